"""Bringing remote images local: downloads without a Referer, with a time-out and a size cap,
stored under a stable name (a hash of the URL) with the extension of their real media type."""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from convert.errors import ConvertError

if TYPE_CHECKING:
    from convert.formats import WriteOptions
    from convert.model import Document

MAX_IMAGE_BYTES = 20 * 1024 * 1024
TIMEOUT = 15.0
USER_AGENT = "fmconvert (image download)"

#: media types an EPUB may hold as images (core media types), by extension
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg"}


@dataclass
class Fetched:
    data: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]


def sniff_media_type(data: bytes) -> str | None:
    """The real type of image bytes, from their first bytes (servers often lie)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


_cache: dict[str, Fetched | str] = {}


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_IMAGE_BYTES) -> Fetched:
    """Download an image (no Referer). Raises :class:`ConvertError` with the reason."""
    if url.startswith("//"):
        url = "https:" + url
    cached = _cache.get(url)
    if isinstance(cached, Fetched):
        return cached
    if isinstance(cached, str):
        raise ConvertError(cached)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as err:
        return _fail(url, f"HTTP {err.code}")
    except (urllib.error.URLError, OSError, ValueError) as err:
        return _fail(url, str(getattr(err, "reason", err)))
    if len(data) > max_bytes:
        return _fail(url, f"larger than {max_bytes // 2**20} MiB")
    kind = sniff_media_type(data)
    if kind is None:
        return _fail(url, "not an image an EPUB can hold (PNG, JPEG, GIF, WebP, SVG)")
    result = Fetched(data, kind)
    _cache[url] = result
    return result


def _fail(url: str, reason: str) -> Fetched:
    message = f"image {url} could not be fetched: {reason}"
    _cache[url] = message
    raise ConvertError(message)


def stable_name(url: str, extension: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16] + extension


def localize_images(document: Document, folder: str, options: WriteOptions) -> None:
    """``--localize-images DIR``: download each remote image once into DIR, point ``src`` at it
    (relative to the output file when there is one). A failed download is reported and the image
    left as it was."""
    os.makedirs(folder, exist_ok=True)
    out_dir = os.path.dirname(os.path.abspath(options.path)) if options.path else os.getcwd()
    for img in document.body.iter("img"):
        src = (img.get("src") or "").strip()
        if not src.startswith(("http://", "https://", "//")):
            continue
        try:
            fetched = fetch(src)
        except ConvertError as err:
            options.warn(err.message)
            continue
        target = os.path.join(folder, stable_name(src, fetched.extension))
        if not os.path.exists(target):
            from convert.fsutil import atomic_write

            atomic_write(target, fetched.data)
        img.set("src", os.path.relpath(target, out_dir).replace(os.sep, "/"))
