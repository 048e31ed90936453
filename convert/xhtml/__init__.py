"""EPUB-ready XHTML5 content documents: writing, reading back, and packaging as EPUB 3."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from convert.html.attrs import language_tag
from convert.html.tags import is_interface
from convert.xhtml.sanitize import EPUB_NS, HELD_CLOSE, HELD_OPEN, XHTML_NS, Sanitizer, clean_text

if TYPE_CHECKING:
    from lxml.etree import _Element

    from convert.model import Document

META_NAME = "fmconvert-metadata"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def metadata_language(metadata: dict[str, Any]) -> str | None:
    """The language tag the front matter names (``lang``, ``language``, ``locale``), if any."""
    for key in ("lang", "language", "locale"):
        value = metadata.get(key)
        tag = language_tag(value) if isinstance(value, str) else None
        if tag:
            return tag
    return None


def detect_language(metadata: dict[str, Any], text: str) -> str:
    """``lang``/``language`` from the metadata, else guessed from the text's script."""
    named = metadata_language(metadata)
    if named:
        return named
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return "en"
    if len(_KANA.findall(sample)) > letters * 0.05:
        return "ja"
    if len(_HANGUL.findall(sample)) > letters * 0.2:
        return "ko"
    if len(_CJK.findall(sample)) > letters * 0.3:
        return "zh"
    return "en"


def title_of(document: Document) -> str:
    title = document.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.replace("&#123;", "{").replace("&#125;", "}").strip()
    for h in document.body.iter("h1", "h2"):
        text = " ".join(h.text_content().split())
        if text:
            return text
    path = document.source.path
    if path:
        import os

        return os.path.splitext(os.path.basename(path))[0]
    return "Untitled"


def _mark_notes(section: _Element) -> None:
    """EPUB structural semantics on footnotes, so reading systems can show a note in a pop-up:
    ``epub:type="noteref"`` on each reference, ``endnotes``/``endnote`` on the list and its notes."""
    from convert.html.footnotes import find_footnotes

    notes = find_footnotes(section)
    if notes is None:
        return
    kind = f"{{{EPUB_NS}}}type"
    for ref in notes.refs:
        link = ref if ref.tag == f"{{{XHTML_NS}}}a" else ref.find(f"{{{XHTML_NS}}}a")
        if link is not None:
            link.set(kind, "noteref")
    if notes.section is not None and notes.section.tag == f"{{{XHTML_NS}}}section":
        notes.section.set(kind, "endnotes")
    for _, item in notes.notes:
        item.set(kind, "endnote")


def _text_sample(body: _Element, size: int = 20000) -> str:
    """The first ``size`` characters of the body's text (enough to tell its language), read as
    code is read (:func:`convert.html.held.code_text`: a "copy code" button is not text). Walks
    with an iterator per open element: the children of a large body are never listed."""
    parts: list[str] = [body.text or ""]
    total = len(parts[0])
    stack: list[tuple[_Element, Iterator[_Element]]] = [(body, iter(body))]
    while stack and total < size:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            piece = el.tail or "" if stack else ""
        elif not isinstance(child.tag, str) or is_interface(child):
            piece = child.tail or ""
        else:
            piece = "\n" if child.tag == "br" else child.text or ""
            stack.append((child, iter(child)))
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]


def build_xhtml(document: Document, *, stylesheet: str | None = None, consume: bool = False) -> tuple[_Element, Sanitizer, str, str]:
    """The XHTML tree of a document; also the sanitizer (what changed), the title and language.

    ``consume=True`` empties the document's body tree while the XHTML one is built, so a large
    post never has two whole trees in memory (for callers that do not use the document again)."""
    from lxml import etree

    from convert.writers.json import document_to_json

    title = title_of(document)
    lang = detect_language(document.metadata, _text_sample(document.body))
    sanitizer = Sanitizer(consume=consume, templates=document.templates, held=document.held)
    section = sanitizer.build(document.body)
    _mark_notes(section)
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", lang)
    html.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    head = etree.SubElement(html, f"{{{XHTML_NS}}}head")
    meta = etree.SubElement(head, f"{{{XHTML_NS}}}meta")
    meta.set("charset", "utf-8")
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = clean_text(title)
    info = document_to_json(document, with_body=False)
    carried = {k: info[k] for k in ("metadata", "types", "key_types") if k in info}
    carried["frontmatter"] = info["source"].get("frontmatter")
    for name, key in (("author", "author"), ("description", "description"), ("keywords", "tags")):
        value = document.metadata.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str) and value.strip():
            m = etree.SubElement(head, f"{{{XHTML_NS}}}meta")
            m.set("name", name)
            m.set("content", clean_text(value) or "")
    m = etree.SubElement(head, f"{{{XHTML_NS}}}meta")
    m.set("name", META_NAME)
    m.set("content", clean_text(json.dumps(carried, ensure_ascii=False)) or "")
    if stylesheet:
        link = etree.SubElement(head, f"{{{XHTML_NS}}}link")
        link.set("rel", "stylesheet")
        link.set("type", "text/css")
        link.set("href", stylesheet)
    body = etree.SubElement(html, f"{{{XHTML_NS}}}body")
    body.append(section)
    return html, sanitizer, title, lang


def serialize(html: _Element, templates: list[str] | None = None, held: list[bytes] | None = None, *, release: bool = False) -> bytes:
    """The XHTML document as bytes; ``templates``: the document's template spans, put back as
    text (:mod:`convert.html.templates`); ``held``: its held code as sanitized
    (``Sanitizer.held_xml``). ``release=True`` empties the tree once written (before the pieces
    are joined), for a caller that is done with it."""
    from lxml import etree

    from convert.html.templates import restore_xml

    # Written in parts and joined once: a large chapter is never in a growing buffer and its
    # copy at the same time. A tree released is written a subtree at a time, each freed once
    # written (convert.xhtml.pieces): its bytes replace it instead of adding to it.
    header = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    if release:
        from convert.xhtml.pieces import write_in_pieces

        parts: list[bytes] = write_in_pieces(html, header)
    else:
        parts = _Pieces(header)
        etree.ElementTree(html).write(parts, encoding="utf-8", xml_declaration=False)
    parts.append(b"\n")
    if release:
        from convert.limits import return_free_memory

        return_free_memory(sum(len(part) for part in parts))  # the tree's pages go back before the chapter is joined
    data = b"".join(parts)
    parts.clear()
    if held:
        data = _HELD.sub(lambda m: held[int(m.group(1))], data)
    return restore_xml(data, templates or [])


class _Pieces(list[bytes]):
    """A file that keeps what is written to it as a list of pieces."""

    def __init__(self, first: bytes) -> None:
        super().__init__([first])

    def write(self, data: bytes) -> None:
        self.append(bytes(data))


_HELD = re.compile(HELD_OPEN.encode() + rb"([0-9]+)" + HELD_CLOSE.encode())
