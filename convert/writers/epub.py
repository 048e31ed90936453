"""EPUB 3 packaging around the XHTML writer.

:func:`build_book` takes a list of documents (one chapter each) so that a whole tree of posts
becomes one book; the ``epub`` writer calls it with one. The package has ``mimetype`` first and
stored, ``META-INF/container.xml``, a package document (identifier, title, language, modified
date, authors, dates), a navigation document built from the headings, a small stylesheet, and
the images: remote ones downloaded into the book (without a Referer), local ones copied. An image
that cannot be had (offline, 403, too big, not an image) is replaced by its alt text and a link,
and reported: the book stays valid whatever the network did.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Any

from convert.errors import ConvertError
from convert.formats import WriteOptions, Writer

if TYPE_CHECKING:
    from convert.model import Document

XHTML_NS = "http://www.w3.org/1999/xhtml"
STYLESHEET = """body { font-family: serif; line-height: 1.6; margin: 0 5%; }
h1, h2, h3, h4 { line-height: 1.3; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; font-size: 0.85em; background: #f6f6f6; padding: 0.5em; }
code { font-family: monospace; }
blockquote { margin-left: 1em; padding-left: 1em; border-left: 3px solid #ccc; color: #444; }
table { border-collapse: collapse; }
td, th { border: 1px solid #bbb; padding: 0.2em 0.5em; }
header.fmc-chapter { margin-bottom: 1.5em; }
header.fmc-chapter p { color: #666; font-size: 0.85em; margin: 0.2em 0; }
"""

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _w3cdtf(value: Any) -> str | None:
    """A metadata date as W3C date-time, if it can be understood."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError):
            pass
        m = re.match(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                return None
    return None


def _sort_key(document: Document) -> str:
    return _w3cdtf(document.metadata.get("date")) or "9999"


class _Images:
    """The images of the book: fetched or copied once, named by content."""

    def __init__(self, options: WriteOptions, download: bool) -> None:
        from convert.fetch.config import policy_for_options

        self.options = options
        self.download = download
        self.policy = policy_for_options(options.extra) if download else None
        self.files: dict[str, tuple[bytes, str]] = {}  # name -> (data, media type)
        self.by_source: dict[str, str | None] = {}
        self.fetched: dict[str, Any] = {}  # remote URL or data: URI -> Image | reason

    def prefetch(self, sources: list[str]) -> None:
        """Fetch the remote images of a chapter at once (concurrently, one deadline)."""
        from convert.fetch.images import fetch_images, is_remote

        wanted = [s for s in sources if s not in self.fetched and (s.lower().startswith("data:") or (self.download and is_remote(s)))]
        if wanted:
            self.fetched.update(fetch_images(wanted, self.policy, report=self._report))

    def _report(self, line: str) -> None:
        if self.options.verbose or "failed" in line:
            self.options.warn(line)

    def resolve(self, src: str, base: str | None) -> str | None:
        """The package path of the image, or None when it cannot be had (reported)."""
        import hashlib

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
            name = "images/" + hashlib.sha256(data).hexdigest()[:16] + EXTENSIONS[kind]
            self.files[name] = (data, kind)
        except ConvertError as err:
            self.options.warn(err.message + "; replaced by its alt text and a link")
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


def _fix_images(tree: Any, images: _Images, base: str | None) -> None:
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


def _headings(tree: Any, chapter: str, counter: list[int]) -> list[tuple[int, str, str]]:
    out = []
    for el in tree.iter(f"{{{XHTML_NS}}}h1", f"{{{XHTML_NS}}}h2", f"{{{XHTML_NS}}}h3"):
        text = " ".join("".join(el.itertext()).split())
        if not text:
            continue
        if not el.get("id"):
            counter[0] += 1
            el.set("id", f"fmc-heading-{counter[0]}")
        out.append((int(el.tag[-1]), text, f"{chapter}#{el.get('id')}"))
    return out


def _xml_text(value: str) -> str:
    """Text for the package and navigation documents: characters XML forbids (control
    characters a title may carry) removed, markup escaped."""
    from html import escape

    from convert.xhtml.sanitize import clean_text

    return escape(clean_text(value) or "")


def _nav(title: str, lang: str, chapters: list[tuple[str, str, list[tuple[int, str, str]]]]) -> bytes:
    e = _xml_text
    items = []
    for href, chapter_title, heads in chapters:
        if len(chapters) == 1 and heads:
            items.extend(f'<li><a href="{e(h)}">{e(t)}</a></li>' for _, t, h in heads)
            continue
        sub = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for level, t, h in heads if level <= 2)
        items.append(f'<li><a href="{e(href)}">{e(chapter_title)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
    if not items:
        items.append(f'<li><a href="{e(chapters[0][0])}">{e(title)}</a></li>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{e(lang)}" xml:lang="{e(lang)}">\n'
        f"<head><meta charset=\"utf-8\"/><title>{e(title)}</title></head>\n"
        f'<body><nav epub:type="toc" id="toc"><h1>{e(title)}</h1><ol>{"".join(items)}</ol></nav></body>\n</html>\n'
    ).encode()


def build_book(documents: list[Document], options: WriteOptions, *, title: str | None = None, order: str = "date") -> bytes:
    """One EPUB 3 book with one chapter per document (ordered by date, or as given)."""
    import hashlib
    import uuid
    import zipfile
    from io import BytesIO

    from convert.writers.xhtml import report_changes
    from convert.xhtml import build_xhtml, serialize, title_of

    if not documents:
        raise ConvertError("no documents to put in the book")
    docs = sorted(documents, key=_sort_key) if order == "date" else list(documents)
    images = _Images(options, download=not options.extra.get("no_download_images"))
    chapters = []
    files: list[tuple[str, bytes, str, str]] = []  # name, data, media type, properties
    languages = []
    counter = [0]
    for i, doc in enumerate(docs, 1):
        tree, sanitizer, chapter_title, lang = build_xhtml(doc, stylesheet="style.css", consume=bool(options.extra.get("consume_body")))
        report_changes(options, dict(sanitizer.changes))
        languages.append(lang)
        if options.extra.get("chapter_header", True):
            from convert.xhtml.chapter import add_chapter_header

            add_chapter_header(tree, doc, chapter_title, lang)
        base = os.path.dirname(os.path.abspath(doc.source.path)) if doc.source.path else None
        _fix_images(tree, images, base)
        name = f"chapter-{i:03d}.xhtml"
        heads = _headings(tree, name, counter)
        chapters.append((name, chapter_title, heads))
        props = "svg" if next(tree.iter("{http://www.w3.org/2000/svg}svg"), None) is not None else ""
        if next(tree.iter("{http://www.w3.org/1998/Math/MathML}math"), None) is not None:
            props = (props + " mathml").strip()
        files.append((name, serialize(tree, doc.templates), "application/xhtml+xml", props))
    first = docs[0]
    book_title = title or (title_of(first) if len(docs) == 1 else "Collected posts")
    lang = max(set(languages), key=languages.count)
    authors = []
    for doc in docs:
        author = doc.metadata.get("author")
        for a in author if isinstance(author, list) else [author]:
            if isinstance(a, str) and a.strip() and a.strip() not in authors:
                authors.append(a.strip())
    identity = hashlib.sha256(("\0".join([book_title] + [f[0] + ":" + hashlib.sha256(f[1]).hexdigest() for f in files])).encode()).hexdigest()
    identifier = f"urn:uuid:{uuid.UUID(identity[:32])}"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    modified = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    e = _xml_text
    meta = [
        f'<dc:identifier id="uid">{identifier}</dc:identifier>',
        f"<dc:title>{e(book_title)}</dc:title>",
        f"<dc:language>{e(lang)}</dc:language>",
        f'<meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>',
    ]
    meta.extend(f"<dc:creator>{e(a)}</dc:creator>" for a in authors)
    from convert.xhtml.chapter import subjects

    meta.extend(f"<dc:subject>{e(topic)}</dc:subject>" for topic in subjects(docs))
    description = first.metadata.get("description") or first.metadata.get("excerpt") if len(docs) == 1 else None
    if isinstance(description, str) and description.strip():
        meta.append(f"<dc:description>{e(' '.join(description.split()))}</dc:description>")
    date = _w3cdtf(first.metadata.get("date")) if len(docs) == 1 else None
    if date:
        meta.append(f"<dc:date>{date}</dc:date>")
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    for i, (name, _, media, props) in enumerate(files, 1):
        p = f' properties="{props}"' if props else ""
        manifest.append(f'<item id="c{i}" href="{name}" media-type="{media}"{p}/>')
        spine.append(f'<itemref idref="c{i}"/>')
    for i, (name, (_, kind)) in enumerate(sorted(images.files.items()), 1):
        manifest.append(f'<item id="img{i}" href="{name}" media-type="{kind}"/>')
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{e(lang)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        "<spine>\n" + "\n".join(spine) + "\n</spine>\n</package>\n"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("EPUB/package.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("EPUB/nav.xhtml", _nav(book_title, lang, chapters), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("EPUB/style.css", STYLESHEET, compress_type=zipfile.ZIP_DEFLATED)
        for name, data, _, _ in files:
            z.writestr("EPUB/" + name, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, (data, _) in sorted(images.files.items()):
            z.writestr("EPUB/" + name, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


class EpubWriter(Writer):
    name = "epub"
    extensions = (".epub",)
    description = "EPUB 3 book (one chapter; images downloaded into the package)"
    binary = True

    def write(self, document: Document, options: WriteOptions) -> bytes:
        return build_book([document], options)
