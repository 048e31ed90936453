"""Links and media in a book: a book can only hold what is in its package.

- A link between posts of the book (``../2023/old-post.html``, ``/2023/05/01/old-post/`` when
  the post's front matter gives that permalink) points at that post's chapter.
- Any other relative link (a page of the site that is not in the book) becomes its text; so does
  a link whose scheme no reading system follows (``javascript:``, ``data:``).
- ``<video>`` and ``<audio>`` become a link to their remote source (or their fallback text):
  the book does not carry media files, and a reference to a missing resource is invalid.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from convert.xhtml.xmltext import XHTML, remove_keeping_tail

if TYPE_CHECKING:
    from lxml.etree import _Element

    from convert.model import Document

FOLLOWED = {"http", "https", "mailto", "ftp", "tel"}
PERMALINK_FIELDS = ("permalink", "url", "slug", "link", "path")


def _normal(path: str) -> str:
    """A site path without its decorations: ``/2023/a/index.html`` and ``2023/a/`` are the same."""
    path = unquote(path).strip().strip("/")
    for suffix in ("/index.html", "/index.htm", "/index.md", "index.html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    root, ext = posixpath.splitext(path)
    if ext.lower() in (".html", ".htm", ".md", ".markdown", ".xhtml"):
        path = root
    return path.strip("/")


class ChapterMap:
    """Where each post of the book went: source files and permalinks to chapter file names."""

    def __init__(self) -> None:
        self.by_file: dict[str, str] = {}
        self.by_permalink: dict[str, str] = {}

    def add(self, document: Document, chapter: str) -> None:
        if document.source.path:
            path = os.path.realpath(document.source.path)
            self.by_file[os.path.splitext(path)[0]] = chapter
        for key in PERMALINK_FIELDS:
            value = document.metadata.get(key)
            if isinstance(value, str) and value.strip() and "://" not in value:
                self.by_permalink.setdefault(_normal(value), chapter)

    def find(self, href: str, base: str | None) -> str | None:
        path = urlsplit(href).path
        if not path:
            return None
        if not path.startswith("/") and base and "\x00" not in (relative := unquote(path)):
            local = os.path.realpath(os.path.join(base, relative))
            if local.endswith(os.sep) or os.path.isdir(local):
                local = os.path.join(local, "index")
            found = self.by_file.get(os.path.splitext(local)[0])
            if found:
                return found
        return self.by_permalink.get(_normal(path))


def fix_links(tree: _Element, chapters: ChapterMap, base: str | None, note: Callable[[str], None]) -> None:
    """Point links between posts at their chapters; links to what the book lacks become text."""
    for el in list(tree.iter(XHTML + "a", XHTML + "area")):
        href = (el.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            parts = urlsplit(href)
        except ValueError:
            parts = None
        if parts is not None and parts.scheme.lower() in FOLLOWED and (parts.netloc or parts.scheme.lower() in ("mailto", "tel")):
            continue
        target = chapters.find(href, base) if parts is not None and not parts.scheme and not parts.netloc else None
        if target is not None:
            el.set("href", target)
            continue
        del el.attrib["href"]
        if el.tag == XHTML + "a":
            el.tag = XHTML + "span"
            for attr in ("hreflang", "rel", "type", "download"):
                el.attrib.pop(attr, None)
            note("link to a page not in the book became text")
        else:
            note("image-map area to a page not in the book unlinked")


def fix_media(tree: _Element, note: Callable[[str], None]) -> None:
    """``<video>``/``<audio>``: a link to the remote source, else the fallback content as text."""
    for el in list(tree.iter(XHTML + "video", XHTML + "audio")):
        kind = el.tag[len(XHTML):]
        sources = [el.get("src") or ""] + [s.get("src") or "" for s in el.iter(XHTML + "source")]
        remote = next((s.strip() for s in sources if s.strip().lower().startswith(("http://", "https://"))), None)
        local = next((s.strip() for s in sources if s.strip() and not remote), "")
        for child in list(el):
            if child.tag in (XHTML + "source", XHTML + "track"):
                remove_keeping_tail(child)
        fallback = " ".join("".join(el.itertext()).split())
        el.attrib.clear()
        for child in list(el):
            el.remove(child)
        el.tag = XHTML + ("a" if remote else "span")
        if remote:
            el.set("href", remote)
        el.text = fallback or (f"{kind}: {remote}" if remote else (f"[{kind}: {local[:200]}]" if local and not local.lower().startswith("data:") else f"[{kind}]"))
        note(f"<{kind}> became a link to its source")
    for picture in tree.iter(XHTML + "picture"):
        for source in list(picture.iter(XHTML + "source")):
            remove_keeping_tail(source)  # the <img> inside carries the image
