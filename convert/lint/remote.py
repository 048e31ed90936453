"""``--check-remote``: ask for each remote image twice, without a Referer and with a foreign one.

Each ask is a probe of the fetch layer (:mod:`convert.fetch.probe`: HEAD, then the first bytes
when HEAD is refused; address checks, time-outs and deadlines, retries; each URL asked once per
process), run concurrently as image downloads are (:func:`convert.fetch.images.run_concurrently`).
A response counts as the image when its status is 2xx and it is not an HTML or text page
(hot-link protection often answers 200 with a page or a placeholder).

Answers are also kept on disk (``remote-images.json`` in fmconvert's cache folder,
:func:`convert.fetch.cache.checks_path`) for ``--remote-cache`` hours, 24 by default, so a
pre-commit hook does not fetch every image on every commit. Only answers a server gave are kept:
a time-out or a refused connection is asked again next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from convert.fetch import FetchPolicy, probe, run_concurrently
from convert.fetch.cache import load_checks, save_checks

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


# Answers from the disk cache (read once per process) and those this process saved there.
_stored: dict[str, RemoteResult] = {}
_disk_read = False


def check(url: str, policy: FetchPolicy | None = None) -> RemoteResult:
    policy = policy or FetchPolicy()
    plain = probe(url, policy)
    foreign = probe(url, policy, referer=FOREIGN_REFERER)
    return RemoteResult(url, plain.ok, foreign.ok, plain.reason or foreign.reason, plain.answered and foreign.answered)


def check_all(urls: Iterable[str], policy: FetchPolicy | None = None, cache_hours: float = 0.0) -> dict[str, RemoteResult]:
    """The check of each remote (http, https) URL; ``cache_hours`` > 0: answers checked that
    recently are taken from the disk cache, and new answers are added to it."""
    global _disk_read
    todo = sorted({u for u in urls if u.lower().startswith(("http://", "https://"))})
    if not todo:
        return {}
    if cache_hours > 0 and not _disk_read:
        _disk_read = True
        for url, entry in load_checks(cache_hours).items():
            _stored.setdefault(url, RemoteResult(url, bool(entry.get("plain_ok")), bool(entry.get("referer_ok")), str(entry.get("reason", ""))))
    stored = _stored if cache_hours > 0 else {}
    fresh = [u for u in todo if u not in stored]
    checked = dict(zip(fresh, run_concurrently(lambda u: check(u, policy), fresh, policy), strict=True))
    if cache_hours > 0:
        answered = {u: r for u, r in checked.items() if r.answered}
        save_checks({u: {"plain_ok": r.plain_ok, "referer_ok": r.referer_ok, "reason": r.reason} for u, r in answered.items()}, cache_hours)
        _stored.update(answered)
    return {u: stored[u] if u in stored else checked[u] for u in todo}
