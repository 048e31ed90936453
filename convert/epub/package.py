"""The package and navigation documents of a book: ``package.opf`` (metadata, manifest, spine)
and ``nav.xhtml`` (the table of contents, nested by group when asked, and the landmarks)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass, field

from convert.xhtml.xmltext import xml_text

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass
class Chapter:
    name: str  # file name in the package
    title: str
    headings: list[tuple[int, str, str]]  # level, text, href
    groups: list[str] = field(default_factory=list)  # table-of-contents groups, outermost first
    properties: str = ""


@dataclass
class Metadata:
    title: str
    language: str
    authors: list[str]
    subjects: list[str]
    description: str | None
    date: str | None
    sources: list[str]  # one digest per chapter, in order: the identifier is derived from them

    def identifier(self) -> str:
        import hashlib

        digest = hashlib.sha256("\0".join([self.title, *self.sources]).encode()).hexdigest()
        return f"urn:uuid:{uuid.UUID(digest[:32])}"


def modified_time() -> str:
    """``dcterms:modified``: now, or ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        when = dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def opf(meta: Metadata, chapters: list[Chapter], images: list[tuple[str, str]], cover: str | None) -> str:
    """The package document. ``images``: (package path, media type); ``cover``: the cover image's
    path (it is also one of ``images``), whose page ``cover.xhtml`` opens the spine."""
    e = xml_text
    lines = [
        f'<dc:identifier id="uid">{meta.identifier()}</dc:identifier>',
        f"<dc:title>{e(meta.title)}</dc:title>",
        f"<dc:language>{e(meta.language)}</dc:language>",
        f'<meta property="dcterms:modified">{modified_time()}</meta>',
    ]
    lines += [f"<dc:creator>{e(a)}</dc:creator>" for a in meta.authors]
    lines += [f"<dc:subject>{e(s)}</dc:subject>" for s in meta.subjects]
    if meta.description:
        lines.append(f"<dc:description>{e(' '.join(meta.description.split()))}</dc:description>")
    if meta.date:
        lines.append(f"<dc:date>{meta.date}</dc:date>")
    if cover:
        lines.append('<meta name="cover" content="cover-image"/>')
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    if cover:
        manifest.append('<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>')
        spine.append('<itemref idref="cover"/>')
    for i, chapter in enumerate(chapters, 1):
        props = f' properties="{chapter.properties}"' if chapter.properties else ""
        manifest.append(f'<item id="c{i}" href="{chapter.name}" media-type="application/xhtml+xml"{props}/>')
        spine.append(f'<itemref idref="c{i}"/>')
    for i, (name, kind) in enumerate(images, 1):
        ident = "cover-image" if name == cover else f"img{i}"
        props = ' properties="cover-image"' if name == cover else ""
        manifest.append(f'<item id="{ident}" href="{name}" media-type="{kind}"{props}/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{e(meta.language)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(lines) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        "<spine>\n" + "\n".join(spine) + "\n</spine>\n</package>\n"
    )


def _entries(chapters: list[Chapter]) -> str:
    e = xml_text
    if len(chapters) == 1 and chapters[0].headings:
        return "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for _, t, h in chapters[0].headings)
    return "".join(_entry(chapter) for chapter in chapters)


def _entry(chapter: Chapter) -> str:
    e = xml_text
    sub = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for level, t, h in chapter.headings if level <= 2)
    return f'<li><a href="{e(chapter.name)}">{e(chapter.title)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>"


def _grouped(chapters: list[Chapter], depth: int = 0) -> str:
    """Chapters nested under their group labels (contiguous runs of the same label)."""
    e = xml_text
    out = []
    i = 0
    while i < len(chapters):
        if len(chapters[i].groups) <= depth:
            out.append(_entry(chapters[i]))
            i += 1
            continue
        label = chapters[i].groups[depth]
        j = i
        while j < len(chapters) and len(chapters[j].groups) > depth and chapters[j].groups[depth] == label:
            j += 1
        out.append(f"<li><span>{e(label)}</span><ol>{_grouped(chapters[i:j], depth + 1)}</ol></li>")
        i = j
    return "".join(out)


def nav(title: str, lang: str, chapters: list[Chapter], cover: bool) -> bytes:
    e = xml_text
    grouped = any(c.groups for c in chapters)
    items = _grouped(chapters) if grouped else _entries(chapters)
    if not items:
        items = f'<li><a href="{e(chapters[0].name)}">{e(title)}</a></li>'
    marks = ('<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>' if cover else "") + f'<li><a epub:type="bodymatter" href="{e(chapters[0].name)}">{e(chapters[0].title)}</a></li>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{e(lang)}" xml:lang="{e(lang)}">\n'
        f'<head><meta charset="utf-8"/><title>{e(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f'<body><nav epub:type="toc" id="toc"><h1>{e(title)}</h1><ol>{items}</ol></nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>{marks}</ol></nav></body>\n</html>\n'
    ).encode()
