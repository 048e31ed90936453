"""``--check-remote``: fetch each remote image twice, without a Referer and with a foreign one.

HEAD first, GET of the first bytes when HEAD is refused; concurrent (a thread pool), through the
fetch layer (:mod:`convert.fetch`: address checks, time-outs and deadlines, retries), and a cache
so each URL is fetched once per run. A response counts as the image
when its status is 2xx and its type is not an HTML or text page (hot-link protection often answers
200 with a page or a placeholder).

Answers are also kept on disk (``remote-images.json`` in ``$FMCONVERT_CACHE_DIR``, else
``$XDG_CACHE_HOME/fmconvert`` or ``~/.cache/fmconvert``) for ``--remote-cache`` hours, 24 by
default, so a pre-commit hook does not fetch every image on every commit. Only answers a server
gave are kept: a time-out or a refused connection is asked again next time.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from convert.fetch.client import FetchPolicy

FOREIGN_REFERER = "https://referer-check.fmconvert.invalid/"


@dataclass
class RemoteResult:
    url: str
    plain_ok: bool
    referer_ok: bool
    reason: str = ""
    answered: bool = True  # both fetches got an HTTP answer (not a time-out or a network error)

    @property
    def broken(self) -> bool:
        return not self.plain_ok and not self.referer_ok

    @property
    def referer_blocked(self) -> bool:
        return self.plain_ok and not self.referer_ok


_cache: dict[str, RemoteResult] = {}


def _fetch(url: str, referer: str | None, policy: FetchPolicy) -> tuple[bool, str, bool]:
    """(the image came, why not, whether a server answered at all)."""
    from convert.fetch.client import fetcher
    from convert.fetch.media import sniff_media_type

    client = fetcher(policy)
    headers = {"Referer": referer} if referer else {}
    head = client.get(url, method="HEAD", headers=headers)
    if head.ok and not head.content_type.startswith(("text/html", "text/plain")):
        return True, "", True
    if head.answered and head.status not in (400, 403, 405, 501) and not head.ok:
        return False, head.error or f"HTTP {head.status}", True
    # Some servers refuse HEAD, or answer it differently: ask for the first bytes.
    got = client.get(url, headers={**headers, "Range": "bytes=0-1023"}, max_bytes=1024, truncate=True)
    if not got.ok:
        return False, got.error or "no answer", got.answered
    if got.content_type.startswith(("text/html", "text/plain")) or (got.data and sniff_media_type(got.data) is None and not got.content_type.startswith("image/")):
        return False, f"answered with {got.content_type or 'something'}, not an image", True
    return True, "", True


def check(url: str, policy: FetchPolicy | None = None) -> RemoteResult:
    if url in _cache:
        return _cache[url]
    policy = policy or FetchPolicy()
    plain_ok, plain_reason, plain_answered = _fetch(url, None, policy)
    referer_ok, referer_reason, referer_answered = _fetch(url, FOREIGN_REFERER, policy)
    result = RemoteResult(url, plain_ok, referer_ok, plain_reason or referer_reason, plain_answered and referer_answered)
    _cache[url] = result
    return result


def check_all(urls: Iterable[str], policy: FetchPolicy | None = None, workers: int = 16, cache_hours: float = 0.0) -> dict[str, RemoteResult]:
    todo = sorted({u for u in urls if u.lower().startswith(("http://", "https://"))})
    if not todo:
        return {}
    if cache_hours > 0:
        _load_disk_cache(cache_hours)
    fresh = [u for u in todo if u not in _cache]
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        results = dict(zip(todo, pool.map(lambda u: check(u, policy), todo), strict=True))
    if cache_hours > 0 and fresh:
        _save_disk_cache([results[u] for u in fresh if results[u].answered], cache_hours)
    return results


def cache_path() -> str:
    folder = os.environ.get("FMCONVERT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "fmconvert"
    )
    return os.path.join(folder, "remote-images.json")


_disk_loaded = False


def _read_disk(max_age_hours: float) -> dict[str, dict[str, Any]]:
    try:
        with open(cache_path(), encoding="utf-8") as fh:
            entries = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    oldest = time.time() - max_age_hours * 3600
    return {
        url: entry
        for url, entry in entries.items()
        if isinstance(entry, dict) and isinstance(entry.get("checked"), (int, float)) and entry["checked"] >= oldest
    }


def _load_disk_cache(max_age_hours: float) -> None:
    global _disk_loaded
    if _disk_loaded:
        return
    _disk_loaded = True
    for url, entry in _read_disk(max_age_hours).items():
        _cache.setdefault(url, RemoteResult(url, bool(entry.get("plain_ok")), bool(entry.get("referer_ok")), str(entry.get("reason", ""))))


def _save_disk_cache(results: list[RemoteResult], max_age_hours: float) -> None:
    """Add ``results`` to the file (read again first: other processes may have added theirs)."""
    if not results:
        return
    from convert.fsutil import atomic_write

    entries = _read_disk(max_age_hours)
    now = time.time()
    for r in results:
        entries[r.url] = {"plain_ok": r.plain_ok, "referer_ok": r.referer_ok, "reason": r.reason, "checked": now}
    path = cache_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, json.dumps(entries, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs the next run some fetching
