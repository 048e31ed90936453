"""EPUB 3 books: one chapter per document, packaged with their images and a cover.

:func:`build_book` takes the documents (one for ``convert -t epub``, a whole tree for
``batch --book``) and :class:`BookSettings`. Each chapter is the document's XHTML
(:mod:`convert.xhtml`, content model repaired) with a header from its front matter
(:mod:`convert.xhtml.chapter`), its images inside the package (:mod:`convert.epub.images`) and
its links pointing at other chapters or turned into text (:mod:`convert.epub.links`). The
package has ``mimetype`` first and stored, a package document with the book's metadata, a table
of contents (flat, or nested by category or month: :mod:`convert.epub.order`), landmarks, a
stylesheet for Latin and CJK text (:mod:`convert.epub.style`) and a cover
(:mod:`convert.epub.cover`).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convert.errors import ConvertError, os_error

if TYPE_CHECKING:
    from convert.formats import WriteOptions
    from convert.model import Document


@dataclass
class BookSettings:
    title: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    cover: str | None = None  # an image file given by the user
    cover_fields: tuple[str, ...] = ()
    order: str = "date"  # date, name, or "given" (a chapter list)
    toc_by: str = "none"
    chapter_header: bool = True
    download_images: bool = True

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> BookSettings:
        from convert.epub.cover import COVER_FIELDS

        authors = extra.get("book_author") or ()
        return cls(
            title=extra.get("book_title") or None,
            authors=tuple([authors] if isinstance(authors, str) else authors),
            language=extra.get("book_language") or None,
            cover=extra.get("cover") or None,
            cover_fields=tuple(extra.get("cover_fields") or COVER_FIELDS),
            order=extra.get("order") or "date",
            toc_by=extra.get("toc_by") or "none",
            chapter_header=extra.get("chapter_header", True),
            download_images=not extra.get("no_download_images"),
        )


def _authors(documents: list[Document]) -> list[str]:
    out: list[str] = []
    for doc in documents:
        value = doc.metadata.get("author") or doc.metadata.get("authors")
        for a in value if isinstance(value, list) else [value]:
            if isinstance(a, dict):
                a = a.get("name")
            if isinstance(a, str) and a.strip() and " ".join(a.split()) not in out:
                out.append(" ".join(a.split()))
    return out


def _user_cover(path: str) -> tuple[bytes, str]:
    from convert.fetch.media import EXTENSIONS, sniff_media_type

    try:
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024 * 1024 + 1)
    except (OSError, ValueError) as err:  # ValueError: a NUL in a path from the configuration
        raise os_error("cannot read the cover", err, path=path) from None
    kind = sniff_media_type(data)
    if kind not in EXTENSIONS or len(data) > 64 * 1024 * 1024:
        raise ConvertError("the cover is not a PNG, JPEG, GIF, WebP or SVG image (of at most 64 MiB)", path=path)
    return data, kind


def build_book(documents: list[Document], options: WriteOptions, settings: BookSettings | None = None) -> bytes:
    """One EPUB 3 book, one chapter per document."""
    from io import BytesIO

    from convert.epub import cover as covers
    from convert.epub.images import BookImages, fix_images
    from convert.epub.links import ChapterMap, fix_links, fix_media
    from convert.epub.order import arrange, collection_title, order_documents
    from convert.epub.package import CONTAINER, Chapter, Metadata, nav, opf
    from convert.epub.style import STYLESHEET
    from convert.model import title_of
    from convert.xhtml import build_xhtml, report_changes, serialize
    from convert.xhtml.chapter import add_chapter_header, as_date, subjects
    from convert.xhtml.lang import detect_language, metadata_language

    settings = settings or BookSettings.from_extra(options.extra)
    if not documents:
        raise ConvertError("no documents to put in the book")
    docs = order_documents(documents, settings.order)
    if settings.language:
        lang = settings.language
    else:
        languages = [metadata_language(d.metadata) or detect_language(d.metadata, _language_sample(d, whole=len(docs) == 1)) for d in docs]
        lang = max(set(languages), key=languages.count)
    docs, groups = arrange(docs, settings.toc_by, lang)
    single = len(docs) == 1
    title = settings.title or (title_of(docs[0]) if single else collection_title(lang))
    authors = list(settings.authors) or _authors(docs)
    bases = [os.path.dirname(os.path.abspath(d.source.path)) if d.source.path else None for d in docs]
    chapter_map = ChapterMap()
    for i, doc in enumerate(docs, 1):
        chapter_map.add(doc, f"chapter-{i:03d}.xhtml")
    cover_src = covers.cover_source(docs[0], settings.cover_fields) if single and not settings.cover else None
    meta = Metadata(
        title=title,
        language=lang,
        authors=authors,
        subjects=subjects(docs),
        description=_description(docs[0]) if single else None,
        date=_newest_date(docs, as_date),
        sources=[],
    )
    images = BookImages(options, download=settings.download_images)
    chapters: list[Chapter] = []
    counter = [0]
    buffer = BytesIO()
    z: Any = None  # opened once the first chapter's tree is gone (zipfile is not small)
    for i, doc in enumerate(docs, 1):
        tree, sanitizer, chapter_title, doc_lang = build_xhtml(doc, stylesheet="style.css", consume=bool(options.extra.get("consume_body")))
        changes: Counter[str] = Counter(sanitizer.changes)
        if settings.chapter_header:
            add_chapter_header(tree, doc, chapter_title, doc_lang)
        name = f"chapter-{i:03d}.xhtml"
        fix_images(tree, images, bases[i - 1])
        fix_links(tree, chapter_map, bases[i - 1], changes.update)
        fix_media(tree, changes.update)
        report_changes(options, {k: v for k, v in changes.items()})
        props = " ".join(p for p, ns in (("svg", "2000/svg}svg"), ("mathml", "1998/Math/MathML}math")) if next(tree.iter("{http://www.w3.org/" + ns), None) is not None)
        chapters.append(Chapter(name, chapter_title, _headings(tree, name, counter), groups[i - 1], props))
        data = serialize(tree, doc.templates, sanitizer.held_xml, release=True)
        del tree
        if z is None:
            # Each chapter goes into the zip (compressed) once written: a large book is never
            # whole as uncompressed XHTML.
            z = _open_package(buffer, CONTAINER, STYLESHEET)
        import hashlib  # here, not above: OpenSSL (4 MiB) is loaded once the tree is gone

        meta.sources.append(hashlib.sha256(data).hexdigest())
        z.writestr("EPUB/" + name, data)
        del data
    images.report_skipped()
    cover_name = _cover(settings, cover_src, bases[0], images, covers, title, authors, lang)
    cover_data, cover_kind = images.files[cover_name]
    import zipfile  # (loaded with the package by now)

    with z:
        z.writestr("EPUB/package.opf", opf(meta, chapters, [(n, k) for n, (_, k) in sorted(images.files.items())], cover_name))
        z.writestr("EPUB/nav.xhtml", nav(title, lang, chapters, cover=True))
        z.writestr("EPUB/cover.xhtml", covers.cover_page(cover_name, title, lang, covers.image_size(cover_data, cover_kind)))
        for name, (data, _) in sorted(images.files.items()):
            z.writestr("EPUB/" + name, data, compress_type=zipfile.ZIP_STORED)  # compressed already
    return buffer.getvalue()


def _open_package(buffer: Any, container: bytes | str, stylesheet: bytes | str) -> Any:
    """The EPUB's zip, deflated by default, with what every book opens with: ``mimetype``
    first and stored, the container, the stylesheet."""
    import zipfile

    z = zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED)
    z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
    z.writestr("META-INF/container.xml", container)
    z.writestr("EPUB/style.css", stylesheet)
    return z


def _cover(settings: BookSettings, cover_src: str | None, base: str | None, images: Any, covers: Any, title: str, authors: list[str], lang: str) -> str:
    """The package path of the cover image: the user's file, the front matter's image, or a
    generated one."""
    from convert.fetch.media import EXTENSIONS

    if settings.cover:
        data, kind = _user_cover(settings.cover)
        name = "images/cover" + EXTENSIONS[kind]
        images.files[name] = (data, kind)
        return name
    if cover_src:
        images.prefetch([cover_src])
        name = images.resolve(cover_src, base, fallback="a cover is generated instead")
        if name is not None:
            return name
    name = "images/cover.svg"
    images.files[name] = (covers.generated_cover(title, authors, lang), "image/svg+xml")
    return name


_SAMPLE_MARKUP = 256 * 1024  # characters of a post's markup read to tell its language in a book


def _language_sample(doc: Document, *, whole: bool) -> str:
    """Text to tell ``doc``'s language by: from its tree when it has one or is the book's only
    post; else from the start of its markup, parsed apart (a book of many posts never holds
    every post's tree at once)."""
    from convert.html import parse_body
    from convert.xhtml.lang import text_sample

    if whole or doc.parsed:
        return text_sample(doc.body)
    return text_sample(parse_body(doc.body_html()[:_SAMPLE_MARKUP]))


def _description(doc: Document) -> str | None:
    value = doc.metadata.get("description") or doc.metadata.get("excerpt") or doc.metadata.get("summary")
    return value if isinstance(value, str) and value.strip() else None


def _newest_date(docs: list[Document], as_date: Any) -> str | None:
    days = [d for d in (as_date(doc.metadata.get("date")) for doc in docs) if d is not None]
    return max(days).isoformat() if days else None


def _headings(tree: Any, chapter: str, counter: list[int]) -> list[tuple[int, str, str]]:
    from convert.xhtml.xmltext import XHTML_NS

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
