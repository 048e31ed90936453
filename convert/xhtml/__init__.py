"""EPUB-ready XHTML5 content documents: writing, reading back, and packaging as EPUB 3."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from convert.html.templates import CLOSE, OPEN
from convert.jsondoc import document_to_json
from convert.model import title_of
from convert.xhtml.lang import detect_language, text_sample
from convert.xhtml.sanitize import HELD_CLOSE, HELD_OPEN, Sanitizer
from convert.xhtml.xmltext import EPUB_NS, XHTML_NS, clean_text, xml_text

if TYPE_CHECKING:
    from lxml.etree import _Element

    from convert.formats import WriteOptions
    from convert.model import Document

META_NAME = "fmconvert-metadata"


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


def report_changes(options: WriteOptions, changes: dict[str, int]) -> None:
    """With ``--verbose``, one warning listing what the sanitizer changed, and how often."""
    if options.verbose and changes:
        options.warn("changed for XHTML: " + "; ".join(f"{what} ({n})" for what, n in sorted(changes.items())))


def build_xhtml(document: Document, *, stylesheet: str | None = None, consume: bool = False) -> tuple[_Element, Sanitizer, str, str]:
    """The XHTML tree of a document; also the sanitizer (what changed), the title and language.

    ``consume=True`` empties the document's body tree while the XHTML one is built, so a large
    post never has two whole trees in memory (for callers that do not use the document again)."""
    from lxml import etree

    title = title_of(document)
    lang = detect_language(document.metadata, text_sample(document.body))
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


_PLACEHOLDER_BYTES = re.compile(OPEN.encode() + rb"([0-9]+)" + CLOSE.encode())


def restore_xml(data: bytes, spans: list[str]) -> bytes:
    """Put the spans back into serialized XML, escaped as XML text (``{{ a < b }}`` must not
    break well-formedness)."""
    if not spans or OPEN.encode() not in data:
        return data

    def back(m: re.Match[bytes]) -> bytes:
        i = int(m.group(1))
        return xml_text(spans[i]).encode() if i < len(spans) else m.group(0)

    return _PLACEHOLDER_BYTES.sub(back, data)
