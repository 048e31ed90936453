"""Asking whether a remote image can be had, without downloading it (``lint --check-remote``).

A probe is a HEAD request, then, when HEAD is refused or answered oddly, a GET of the first KiB;
through the fetch layer like every network read (address checks, deadlines, per-host rules). An
answer counts as the image when it is 2xx and not an HTML or text page
(:func:`convert.fetch.media.is_image_answer`). Each (URL, Referer) is probed once per process,
whatever the outcome: a host that timed out is not asked again by every file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from convert.fetch.client import FetchPolicy, fetcher
from convert.fetch.media import is_image_answer


@dataclass(frozen=True)
class Probe:
    ok: bool  # the image came
    reason: str = ""  # why not
    answered: bool = True  # a server answered at all (not a time-out or a network error)


_memo: dict[tuple[str, str | None], Probe] = {}
_memo_lock = threading.Lock()


def probe(url: str, policy: FetchPolicy, *, referer: str | None = None) -> Probe:
    """Whether ``url`` answers with an image, asked with ``referer`` (none by default)."""
    key = (url, referer)
    with _memo_lock:
        known = _memo.get(key)
    if known is not None:
        return known
    result = _ask(url, policy, referer)
    with _memo_lock:
        _memo[key] = result
    return result


def _ask(url: str, policy: FetchPolicy, referer: str | None) -> Probe:
    client = fetcher(policy)
    headers = {"Referer": referer} if referer else {}
    head = client.get(url, method="HEAD", headers=headers)
    if head.ok and is_image_answer(head.content_type):
        return Probe(True)
    if head.answered and head.status not in (400, 403, 405, 501) and not head.ok:
        return Probe(False, head.error or f"HTTP {head.status}")
    # Some servers refuse HEAD, or answer it differently: ask for the first bytes.
    got = client.get(url, headers={**headers, "Range": "bytes=0-1023"}, max_bytes=1024, truncate=True)
    if not got.ok:
        return Probe(False, got.error or "no answer", got.answered)
    if not is_image_answer(got.content_type, got.data):
        return Probe(False, f"answered with {got.content_type or 'something'}, not an image")
    return Probe(True)
