"""What makes a chapter look like a chapter: a header built from the front matter.

The title as a heading (unless the body already opens with the same title), then a line with the
author, the date (written as the book's language writes dates) and the categories and tags,
styled unobtrusively by the book's stylesheet (``header.fmc-chapter``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from convert.xhtml.xmltext import XHTML_NS, clean_text

if TYPE_CHECKING:
    from lxml.etree import _Element

    from convert.model import Document

MONTHS = "January February March April May June July August September October November December".split()


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        from convert.dates import mail_date

        stamp = mail_date(value)
        if stamp is not None:
            return stamp.date()
        m = re.match(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def format_date(day: dt.date, lang: str) -> str:
    if lang.split("-")[0] in ("zh", "ja"):
        return f"{day.year}年{day.month}月{day.day}日"
    if lang.split("-")[0] == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _strings(value: Any) -> list[str]:
    """The names in a front-matter value: a string, a number, or a list of them (Hexo's nested
    categories, ``[[Parent, Child]]``, give each name)."""
    items = value if isinstance(value, list) else [value]
    flat = [x for v in items for x in (v if isinstance(v, list) else [v])]
    return [" ".join(str(v).split()) for v in flat if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip()]


def add_chapter_header(tree: _Element, document: Document, title: str, lang: str) -> None:
    """Put the chapter header at the top of the chapter's ``<section>``."""
    from lxml import etree

    section = tree.find(f".//{{{XHTML_NS}}}section")
    if section is None:
        return
    header = etree.Element(f"{{{XHTML_NS}}}header")
    header.set("class", "fmc-chapter")
    first = next((el for el in section.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("h1", "h2", "h3")), None)
    first_text = " ".join("".join(first.itertext()).split()) if first is not None else ""
    shown = clean_text(title)  # as the heading would show it: a control character is no difference
    if shown and " ".join(shown.split()) != first_text:
        etree.SubElement(header, f"{{{XHTML_NS}}}h1").text = shown
    parts = []
    meta = document.metadata
    authors = _strings(meta.get("author") or meta.get("authors"))
    if authors:
        parts.append(", ".join(authors))
    day = as_date(meta.get("date"))
    if day is not None:
        parts.append(format_date(day, lang))
    topics = list(dict.fromkeys(_strings(meta.get("categories")) + _strings(meta.get("tags"))))
    if topics:
        parts.append(" · ".join(topics))
    if parts:
        etree.SubElement(header, f"{{{XHTML_NS}}}p").text = clean_text(" — ".join(parts))
    if len(header):
        header.tail = section.text
        section.text = None
        section.insert(0, header)


def subjects(documents: list[Document]) -> list[str]:
    """``dc:subject`` values: the categories and tags of all the documents, in order, once."""
    out: list[str] = []
    for doc in documents:
        for value in _strings(doc.metadata.get("categories")) + _strings(doc.metadata.get("tags")):
            if value not in out:
                out.append(value)
    return out
