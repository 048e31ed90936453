"""What image bytes really are: servers and file names often lie.

A hot-link-protected host answers ``200 OK`` with an HTML page or a placeholder, a CDN labels a
WebP ``image/jpeg``; the type of an image is decided from its first bytes, never from the
``Content-Type`` header or the extension.
"""

from __future__ import annotations

#: media types an EPUB may hold as images (core media types), by the extension files get
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg"}

#: other image types a web page may show (kept when localizing for HTML or Markdown)
WEB_EXTENSIONS = {**EXTENSIONS, "image/avif": ".avif", "image/bmp": ".bmp", "image/x-icon": ".ico"}


def is_image_answer(content_type: str, data: bytes = b"") -> bool:
    """Whether an answer may be the image asked for: not an HTML or text page (hot-link
    protection often answers 200 with one), and, when bytes came, bytes that are an image or at
    least labelled as one (the first KiB of a format not sniffed here)."""
    if content_type.startswith(("text/html", "text/plain")):
        return False
    return not data or sniff_media_type(data) is not None or content_type.startswith("image/")


def sniff_media_type(data: bytes) -> str | None:
    """The media type of image bytes, from their signature; None when they are not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    if data.startswith(b"BM") and len(data) > 26:
        return "image/bmp"
    if data.startswith(b"\x00\x00\x01\x00"):
        return "image/x-icon"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith((b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head):
        return "image/svg+xml"
    return None
