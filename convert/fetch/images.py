"""Images, fetched: the bytes of remote images (and ``data:`` URIs), checked to be images.

:func:`fetch_images` is what EPUB packaging and ``--localize-images`` call: each distinct URL is
fetched once per process (concurrently, within the document's deadline), and a 200 answer whose
bytes are an HTML page or a placeholder text is a failure, not an image.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote_to_bytes

from convert.fetch.client import FetchPolicy, fetcher
from convert.fetch.media import EXTENSIONS, WEB_EXTENSIONS, sniff_media_type

REMOTE_PREFIXES = ("http://", "https://", "//")
T = TypeVar("T")


@dataclass(frozen=True)
class Image:
    data: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return WEB_EXTENSIONS[self.media_type]

    @property
    def epub_ok(self) -> bool:
        return self.media_type in EXTENSIONS


_memo: dict[str, Image | str] = {}
_memo_lock = threading.Lock()


def is_remote(src: str) -> bool:
    return src.lower().startswith(REMOTE_PREFIXES)


def decode_data_uri(uri: str) -> Image | str:
    """The image in a ``data:`` URI, or why there is none (a broken one is a reason, not a crash)."""
    header, sep, payload = uri.partition(",")
    if not sep:
        return "data: URI without a comma"
    try:
        if header.lower().endswith(";base64"):
            data = base64.b64decode(unquote_to_bytes(payload).strip(), validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as err:
        return f"data: URI does not decode ({err})"
    kind = sniff_media_type(data)
    if kind is None:
        return "data: URI is not an image"
    return Image(data, kind)


def summary(results: dict[str, Image | str], seconds: float) -> str:
    """One line for the user: how many images came, in how long."""
    remote = [v for k, v in results.items() if is_remote(k)]
    failed = sum(1 for v in remote if isinstance(v, str))
    return f"images: {len(remote) - failed} of {len(remote)} fetched in {seconds:.1f} s" + (f", {failed} failed" if failed else "")


def fetch_images(urls: Iterable[str], policy: FetchPolicy | None = None, report: Callable[[str], None] | None = None) -> dict[str, Image | str]:
    """Each URL's image, or the reason it could not be had. Remote URLs go through the fetch
    layer (guarded, deadlines, size cap); ``data:`` URIs are decoded. ``report`` hears the
    :func:`summary` line when anything was fetched."""
    started = time.monotonic()
    wanted = list(dict.fromkeys(urls))
    out: dict[str, Image | str] = {}
    todo = []
    for url in wanted:
        if url.lower().startswith("data:"):
            out[url] = decode_data_uri(url)
            continue
        with _memo_lock:
            known = _memo.get(url)
        if known is None and policy is not None and policy.use_cache:
            from convert.fetch.cache import lookup

            cached = lookup(url)
            if cached is not None and sniff_media_type(cached[0]):
                known = Image(cached[0], sniff_media_type(cached[0]))  # type: ignore[arg-type]
        if known is not None:
            out[url] = known
        elif policy is not None and policy.offline:
            out[url] = f"image {url} is not in the cache (--offline)"
        else:
            todo.append(url)
    end = time.monotonic() + (policy or FetchPolicy()).document_deadline

    def fetch_one(url: str) -> Image | str:
        if policy is None or not policy.use_cache:
            return _fetched(url, policy, end)
        from convert.fetch.cache import lookup, url_lock

        with url_lock(url):  # another process may be fetching it: wait, then take its copy
            cached = lookup(url)
            kind = sniff_media_type(cached[0]) if cached is not None else None
            if cached is not None and kind is not None:
                return Image(cached[0], kind)
            return _fetched(url, policy, end)

    for url, result in zip(todo, run_concurrently(fetch_one, todo, policy), strict=True):
        out[url] = result
    if report is not None and todo:
        report(summary({u: out[u] for u in todo}, time.monotonic() - started))
    return out


def run_concurrently(work: Callable[[str], T], urls: Sequence[str], policy: FetchPolicy | None = None) -> list[T]:
    """``work(url)`` for each URL, in order: on up to ``policy.concurrency`` threads (the
    fetcher limits connections per host), inline for a single URL."""
    if len(urls) == 1:
        return [work(urls[0])]
    if not urls:
        return []
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min((policy or FetchPolicy()).concurrency, len(urls))) as pool:
        return list(pool.map(work, urls))


def _fetched(url: str, policy: FetchPolicy | None, end: float) -> Image | str:
    """Fetch one image through the fetch layer; keep it (memory, disk cache) when it came."""
    if time.monotonic() >= end:
        return f"image {url} could not be fetched: the document's time for images had passed"
    response = fetcher(policy).get(url, deadline=end)
    result: Image | str
    if not response.ok:
        result = f"image {url} could not be fetched: {response.error or 'no answer'}"
    else:
        kind = sniff_media_type(response.data)
        if kind is None:
            served = f" (served as {response.content_type})" if response.content_type else ""
            looks = "an HTML page" if response.data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) else "not an image"
            result = f"image {url} could not be fetched: the answer is {looks}{served}"
        else:
            result = Image(response.data, kind)
            if policy is not None and policy.use_cache:
                from convert.fetch.cache import store

                store(url, response.data, kind, response.headers)
    if isinstance(result, Image) or response.answered:  # a time-out may pass: ask again later
        with _memo_lock:
            _memo[url] = result
    return result
