"""``--check-remote``: fetch each remote image twice, without a Referer and with a foreign one.

HEAD first, GET when HEAD is refused; concurrent (a thread pool), with a time-out, one retry for
network errors, and a cache so each URL is fetched once per run. A response counts as the image
when its status is 2xx and its type is not an HTML or text page (hot-link protection often answers
200 with a page or a placeholder).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

FOREIGN_REFERER = "https://referer-check.fmconvert.invalid/"
USER_AGENT = "fmconvert-lint (image check)"


@dataclass
class RemoteResult:
    url: str
    plain_ok: bool
    referer_ok: bool
    reason: str = ""

    @property
    def broken(self) -> bool:
        return not self.plain_ok and not self.referer_ok

    @property
    def referer_blocked(self) -> bool:
        return self.plain_ok and not self.referer_ok


class _NoRedirectToFile(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if not newurl.lower().startswith(("http://", "https://")):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_NoRedirectToFile())
_cache: dict[str, RemoteResult] = {}


def _fetch(url: str, referer: str | None, timeout: float, retries: int) -> tuple[bool, str]:
    for method in ("HEAD", "GET"):
        for attempt in range(retries + 1):
            headers = {"User-Agent": USER_AGENT, "Accept": "image/*,*/*;q=0.5"}
            if referer:
                headers["Referer"] = referer
            if method == "GET":
                headers["Range"] = "bytes=0-1023"
            request = urllib.request.Request(url, method=method, headers=headers)
            try:
                with _opener.open(request, timeout=timeout) as response:
                    kind = (response.headers.get("Content-Type") or "").lower()
                    if method == "GET":
                        response.read(1024)
                    if kind.startswith(("text/html", "text/plain")):
                        return False, f"answered with {kind.split(';')[0]}, not an image"
                    return True, ""
            except urllib.error.HTTPError as err:
                if method == "HEAD" and err.code in (400, 403, 405, 501):
                    break  # some servers refuse HEAD: try GET
                return False, f"HTTP {err.code}"
            except (urllib.error.URLError, OSError, ValueError) as err:
                reason = getattr(err, "reason", err)
                if attempt == retries:
                    if method == "HEAD":
                        break
                    return False, str(reason)
    return False, "no answer"


def check(url: str, timeout: float = 5.0, retries: int = 1) -> RemoteResult:
    if url in _cache:
        return _cache[url]
    plain_ok, plain_reason = _fetch(url, None, timeout, retries)
    referer_ok, referer_reason = _fetch(url, FOREIGN_REFERER, timeout, retries)
    result = RemoteResult(url, plain_ok, referer_ok, plain_reason or referer_reason)
    _cache[url] = result
    return result


def check_all(urls: Iterable[str], timeout: float = 5.0, workers: int = 16) -> dict[str, RemoteResult]:
    todo = sorted({u for u in urls if u.lower().startswith(("http://", "https://"))})
    if not todo:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        return dict(zip(todo, pool.map(lambda u: check(u, timeout), todo), strict=True))
