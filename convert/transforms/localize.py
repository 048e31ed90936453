"""Bringing remote images home (``--localize-images DIR``, pandoc's ``--extract-media DIR``).

For every writer: the images a post shows (``src``; every ``srcset`` candidate, ``<picture>``
sources included; the lazy-loading attributes that hold the real URL, ``data-src``,
``data-original`` and friends) and the image fields of its front matter
(:data:`convert.model.IMAGE_FIELDS`: ``cover``, ``headimg``, ``thumbnail``, ``image``, ...) are
downloaded through the fetch layer (:mod:`convert.fetch`: no Referer, guarded addresses,
deadlines, size cap, the type decided from the bytes) and ``data:`` URIs written out, into DIR. Files are named by their content (the
same image used by 300 posts is one file) with their real extension, written atomically; links
are rewritten relative to the output file. A lazy image whose ``src`` is a placeholder gets the
real image as ``src``. Layouts (``--media-layout``): ``shared`` (one content-addressed folder,
DIR), ``post-folder`` (Hexo's ``post_asset_folder``: a folder named after each post, images
referenced by file name), ``bundle`` (Hugo page bundles: ``name/index.md`` with its images beside
it; batch writes posts so).

An image that cannot be had keeps its original URL (never a link to a file that is not there)
and is reported, naming the post and the URL; ``--strict`` makes that an error.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any

from convert.errors import ConvertError, os_error
from convert.html.attrs import format_srcset, parse_srcset, srcset_urls
from convert.model import IMAGE_FIELDS

if TYPE_CHECKING:
    from convert.formats import WriteOptions
    from convert.model import Document

LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url")
SRCSET_ATTRIBUTES = ("srcset", "data-srcset")


def _wanted(url: str) -> bool:
    from convert.fetch.images import is_remote

    return is_remote(url.strip()) or url.strip().lower().startswith("data:")


def localize(document: Document, folder: str, options: WriteOptions) -> None:
    """Localize the document's images into ``folder`` (see the module docstring)."""
    from convert.fetch.config import policy_for_options
    from convert.fetch.images import fetch_images

    body = document.body
    images = [el for el in body.iter("img", "source") if isinstance(el.tag, str)]
    urls: list[str] = []
    for el in images:
        for name in ("src", *LAZY_ATTRIBUTES):
            value = (el.get(name) or "").strip()
            if value and _wanted(value):
                urls.append(value)
        for name in SRCSET_ATTRIBUTES:
            urls.extend(url for url in srcset_urls(el.get(name) or "") if _wanted(url))
    keys = tuple(options.extra.get("image_keys") or IMAGE_FIELDS)
    for key in keys:
        value = document.metadata.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _wanted(item):
                urls.append(item.strip())
    if not urls:
        return

    def report(line: str) -> None:
        if options.verbose or "failed" in line:
            options.warn(line)

    fetched = fetch_images(urls, policy_for_options(options.extra), report)
    out_dir = os.path.dirname(os.path.abspath(options.path)) if options.path else os.getcwd()
    layout = options.extra.get("media_layout") or "shared"
    if layout == "post-folder" and options.path:
        # Hexo's post asset folder: beside the post, a folder of its name; links are file names.
        folder = os.path.splitext(os.path.abspath(options.path))[0]
        out_dir = folder
    elif layout == "bundle" and options.path:
        # A Hugo page bundle: the post is <name>/index.md, its images beside it.
        folder = out_dir
    stored: dict[str, str] = {}
    strict = bool(options.extra.get("strict"))

    def local(url: str) -> str | None:
        url = url.strip()
        if url in stored:
            return stored[url]
        image = fetched.get(url)
        if image is None or isinstance(image, str):
            message = image if isinstance(image, str) else f"image {url} could not be fetched"
            if strict:
                raise ConvertError(message + " (--strict)")
            options.warn(message + "; the original URL stays")
            options.extra.setdefault("images_missed", []).append(url)
            stored[url] = None  # type: ignore[assignment]
            return None
        name = hashlib.sha256(image.data).hexdigest()[:20] + image.extension
        target = os.path.join(folder, name)
        try:
            os.makedirs(folder, exist_ok=True)
            if not os.path.exists(target):
                from convert.fsutil import atomic_write

                atomic_write(target, image.data)
        except OSError as err:
            raise os_error(f"cannot write images into {folder}", err) from None
        stored[url] = os.path.relpath(target, out_dir).replace(os.sep, "/")
        return stored[url]

    for el in images:
        real = next((local(el.get(n, "")) for n in LAZY_ATTRIBUTES if _wanted(el.get(n) or "")), None)
        for name in LAZY_ATTRIBUTES:
            if _wanted(el.get(name) or ""):
                new = local(el.get(name, ""))
                if new:
                    el.set(name, new)
        src = (el.get("src") or "").strip()
        if real and el.tag == "img":
            el.set("src", real)  # the placeholder of a lazy image gives way to the image itself
        elif src and _wanted(src):
            new = local(src)
            if new:
                el.set("src", new)
        for name in SRCSET_ATTRIBUTES:
            value = el.get(name)
            if value and any(_wanted(u) for u in srcset_urls(value)):
                el.set(name, format_srcset(((local(u) or u) if _wanted(u) else u, d) for u, d in parse_srcset(value)))
    changed: dict[str, Any] = {}
    for key in keys:
        value = document.metadata.get(key)
        if isinstance(value, str) and _wanted(value):
            new = local(value)
            if new:
                changed[key] = new
        elif isinstance(value, list) and any(isinstance(v, str) and _wanted(v) for v in value):
            changed[key] = [(local(v) or v) if isinstance(v, str) and _wanted(v) else v for v in value]
    if changed:
        document.metadata = {**document.metadata, **changed}
