"""The order of a book's chapters and the shape of its table of contents.

Chapters go by date (the default; undated posts last, ties by title), by file name, or as listed
in a file (one path per line, relative to the list's folder or absolute; ``#`` starts a comment).
The table of contents is flat, or nested by category or by year and month.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from convert.errors import ConvertError, os_error
from convert.xhtml.chapter import MONTHS, as_date

if TYPE_CHECKING:
    from convert.model import Document

ORDERS = ("date", "name")
TOC_BY = ("none", "category", "month")


def _natural(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def order_documents(documents: list[Document], order: str) -> list[Document]:
    """``date``: oldest first, undated last; ``name``: by source path, numbers in numeric order;
    anything else: as given."""
    from convert.model import title_of

    if order == "date":
        def by_date(doc: Document) -> tuple[int, str, str]:
            day = as_date(doc.metadata.get("date"))
            return (0 if day else 1, day.isoformat() if day else "", title_of(doc))

        return sorted(documents, key=by_date)
    if order == "name":
        return sorted(documents, key=lambda d: _natural(d.source.path or ""))
    return list(documents)


def read_chapter_list(path: str) -> list[str]:
    """The files a chapter list names, in order, as absolute paths; a missing file is an error
    naming the list and the line."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise os_error("cannot read the chapter list", err, path=path) from None
    base = os.path.dirname(os.path.abspath(path))
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not entry:
            continue
        full = os.path.realpath(os.path.join(base, entry)) if "\x00" not in entry else ""
        if not full or not os.path.isfile(full):
            raise ConvertError(f"line {number}: {entry} is not a file", path=path)
        if full in out:
            raise ConvertError(f"line {number}: {entry} is listed twice", path=path)
        out.append(full)
    if not out:
        raise ConvertError("the chapter list names no file", path=path)
    return out


def _first_category(doc: Document) -> str | None:
    value = doc.metadata.get("categories") or doc.metadata.get("category")
    if isinstance(value, list):
        value = value[0] if value else None
        if isinstance(value, list):  # Hexo's nested categories: [[parent, child]]
            value = value[0] if value else None
    return " ".join(str(value).split()) if isinstance(value, (str, int)) and str(value).strip() else None


def month_label(month: int, lang: str) -> str:
    if lang.split("-")[0] in ("zh", "ja"):
        return f"{month}月"
    if lang.split("-")[0] == "ko":
        return f"{month}월"
    return MONTHS[month - 1]


def year_label(year: int, lang: str) -> str:
    return {"zh": f"{year}年", "ja": f"{year}年", "ko": f"{year}년"}.get(lang.split("-")[0], str(year))


def collection_title(lang: str) -> str:
    """The title of a book of many posts when none is given, in the book's language."""
    return {"zh": "文集", "ja": "記事集", "ko": "글 모음"}.get(lang.split("-")[0], "Collected posts")


def other_label(lang: str) -> str:
    return {"zh": "其他", "ja": "その他", "ko": "기타"}.get(lang.split("-")[0], "Other")


def group_chapters(documents: list[Document], toc_by: str, lang: str) -> list[tuple[list[str], int]]:
    """For each chapter (in spine order), the group labels it goes under in the table of contents,
    outermost first: ``[]`` (flat), ``[category]``, or ``[year, month]``."""
    out = []
    for i, doc in enumerate(documents):
        if toc_by == "category":
            out.append(([_first_category(doc) or other_label(lang)], i))
        elif toc_by == "month":
            day = as_date(doc.metadata.get("date"))
            out.append(([year_label(day.year, lang), month_label(day.month, lang)] if day else [other_label(lang)], i))
        else:
            out.append(([], i))
    return out


def arrange(documents: list[Document], toc_by: str, lang: str) -> tuple[list[Document], list[list[str]]]:
    """The documents regrouped so each group of the table of contents is contiguous (a table of
    contents out of reading order is an error for EPUBCheck), and each one's group labels.
    Categories come in the order they first appear; months in time order; the ungrouped last."""
    groups = group_chapters(documents, toc_by, lang)
    if toc_by == "none":
        return documents, [g for g, _ in groups]
    first_seen: dict[str, int] = {}
    for labels, i in groups:
        first_seen.setdefault(labels[0], i)
    other = other_label(lang)

    def key(item: tuple[list[str], int]) -> tuple[int, object, int]:
        labels, i = item
        if labels == [other]:
            return (1, 0, i)
        if toc_by == "month":
            day = as_date(documents[i].metadata.get("date"))
            return (0, (day.year, day.month) if day else (0, 0), i)
        return (0, first_seen[labels[0]], i)

    ordered = sorted(groups, key=key)
    return [documents[i] for _, i in ordered], [labels for labels, _ in ordered]
