"""The images of a book: remote ones downloaded through the fetch layer (concurrently, without a
Referer), ``data:`` URIs decoded, local ones copied from inside the resource root; each stored
once, named by its content. An image that cannot be had (offline, 403, too big, not an image)
is replaced by its alt text and a link, and reported: the book stays valid whatever the network
did."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from convert.errors import ConvertError
from convert.xhtml.xmltext import XHTML_NS

if TYPE_CHECKING:
    from convert.formats import WriteOptions


_ALT_AND_LINK = "replaced by its alt text and a link"


class BookImages:
    """The images of the book: fetched or copied once, named by content."""

    def __init__(self, options: WriteOptions, download: bool) -> None:
        self.options = options
        self.download = download
        self.policy = None
        if download:
            from convert.fetch.config import policy_for_options

            self.policy = policy_for_options(options.extra)
        self.files: dict[str, tuple[bytes, str]] = {}  # name -> (data, media type)
        self.by_source: dict[str, str | None] = {}
        self.fetched: dict[str, Any] = {}  # remote URL or data: URI -> Image | reason
        self.not_downloaded = 0  # remote images left out by --no-download-images (one line for all)

    def report_skipped(self) -> None:
        """One line for the remote images ``--no-download-images`` left out (``-v``: one each)."""
        if self.not_downloaded:
            n = self.not_downloaded
            self.options.warn(f"{n} remote image{'s' if n > 1 else ''} not downloaded (--no-download-images); replaced by alt text and a link")

    def prefetch(self, sources: list[str]) -> None:
        """Fetch the remote images of a chapter at once (concurrently, one deadline)."""
        from convert.fetch.images import fetch_images, is_remote

        wanted = [s for s in sources if s not in self.fetched and (s.lower().startswith("data:") or (self.download and is_remote(s)))]
        if wanted:
            self.fetched.update(fetch_images(wanted, self.policy, report=self._report))

    def _report(self, line: str) -> None:
        if self.options.verbose or "failed" in line:
            self.options.warn(line)

    def resolve(self, src: str, base: str | None, fallback: str = _ALT_AND_LINK) -> str | None:
        """The package path of the image, or None when it cannot be had (reported)."""
        from convert.fetch.images import Image, is_remote
        from convert.fetch.media import EXTENSIONS, sniff_media_type

        remote = is_remote(src) or src.lower().startswith("data:")
        key = src if remote else os.path.join(base or "", src)
        if key in self.by_source:
            return self.by_source[key]
        name = None
        try:
            if remote:
                if is_remote(src) and not self.download:
                    if fallback == _ALT_AND_LINK and not self.options.verbose:
                        self.not_downloaded += 1  # asked for: counted, reported once (report_skipped)
                        self.by_source[key] = None
                        return None
                    raise ConvertError(f"image {src} not downloaded (--no-download-images)")
                self.prefetch([src])
                image = self.fetched[src]
                if isinstance(image, str):
                    raise ConvertError(image)
                if not isinstance(image, Image) or not image.epub_ok:
                    raise ConvertError(f"image {src[:80]} is {image.media_type}, which an EPUB cannot hold")
                data, kind = image.data, image.media_type
            else:
                path = self.local_path(src, base)
                try:
                    with open(path, "rb") as fh:
                        data = fh.read()
                except (OSError, ValueError):
                    raise ConvertError(f"local image {src} not found") from None
                found = sniff_media_type(data)
                if found not in EXTENSIONS:
                    raise ConvertError(f"local image {src} is not PNG, JPEG, GIF, WebP or SVG")
                kind = found
            import hashlib  # here: OpenSSL (4 MiB) is loaded only for a book that holds an image

            name = "images/" + hashlib.sha256(data).hexdigest()[:16] + EXTENSIONS[kind]
            self.files[name] = (data, kind)
        except ConvertError as err:
            self.options.warn(f"{err.message}; {fallback}")
            name = None
        self.by_source[key] = name
        return name

    def local_path(self, src: str, base: str | None) -> str:
        """The file a local image reference names, confined to the resource root.

        A post is untrusted input: ``../../secret.png``, ``/home/me/secret.png`` or a symlink must
        not pull a file from elsewhere on the machine into the book. Relative references resolve
        against the post's folder, ``/``-rooted ones against the root (a site's ``source/``), and
        the result, symlinks followed, must lie inside the root: ``--resource-root``, by default
        the post's own folder (the current one for stdin).
        """
        from urllib.parse import unquote, urlsplit

        try:
            parts = urlsplit(src)
        except ValueError:
            raise ConvertError(f"image {src[:80]!r} is not a valid URL; not read") from None
        if parts.scheme or parts.netloc:
            raise ConvertError(f"image {src} is neither a web address nor a relative path; not read")
        root = os.path.realpath(self.options.extra.get("resource_root") or base or os.getcwd())
        rel = unquote(parts.path)
        if "\x00" in rel:
            raise ConvertError(f"image {src[:80]!r} names a path with a NUL character; not read")
        path = os.path.join(root, rel.lstrip("/")) if rel.startswith("/") else os.path.join(base or root, rel)
        real = os.path.realpath(path)
        if os.path.commonpath([real, root]) != root:
            raise ConvertError(f"local image {src} is outside {root}; not read (widen with --resource-root)")
        return real


def fix_images(tree: Any, images: BookImages, base: str | None) -> None:
    from lxml import etree

    found = list(tree.iter(f"{{{XHTML_NS}}}img"))
    images.prefetch([(img.get("src") or "").strip() for img in found])
    for img in found:
        src = (img.get("src") or "").strip()
        img.attrib.pop("srcset", None)
        img.attrib.pop("sizes", None)
        img.attrib.pop("loading", None)
        img.attrib.pop("referrerpolicy", None)
        for lazy in ("data-src", "data-original", "data-srcset"):
            img.attrib.pop(lazy, None)  # the book holds the image itself; no script swaps these in
        name = images.resolve(src, base) if src else None
        if name is not None:
            img.set("src", name)
            continue
        parent = img.getparent()
        replacement = etree.Element(f"{{{XHTML_NS}}}a")
        replacement.set("href", src if src.startswith(("http://", "https://")) else "#")
        replacement.text = img.get("alt") or src or "image"
        replacement.tail = img.tail
        if replacement.get("href") == "#":
            span = etree.Element(f"{{{XHTML_NS}}}span")
            span.text, span.tail = replacement.text, replacement.tail
            replacement = span
        parent.replace(img, replacement)
