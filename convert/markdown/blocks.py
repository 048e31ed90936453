"""Block layout: when blocks may sit together in a tight list item, when a list is loose, and
which tables GFM can write."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from convert.markdown.elements import has_content, tag_name

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_CLOSED = frozenset({"pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
_INTERRUPTS = frozenset({"ul", "ol1", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})


def joins_tightly(prev: str, kind: str) -> bool:
    """Whether block ``kind`` may follow block ``prev`` in a tight list item, with no blank line.

    When ``prev`` is closed by its own syntax (a fence, a heading, a rule), or when ``kind``
    interrupts a paragraph and cannot be read as part of ``prev``: after a quote or a list, a line
    of text would continue it lazily, and a quote or list would join it. An ordered list not
    starting at 1 cannot interrupt a paragraph; tables and HTML blocks run to a blank line. The
    blank line makes the list loose, which is the honest rendering then."""
    if prev in _CLOSED:
        return True
    if prev == "p":
        return kind in _INTERRUPTS
    if prev in ("blockquote", "ul", "ol", "ol1"):
        return kind in _INTERRUPTS and kind not in ("blockquote", "ul", "ol1")
    return False


def is_loose(li: HtmlElement) -> bool:
    """CommonMark renders items of a loose list with <p>: an item holding a <p> asks for it."""
    return any(tag_name(c) == "p" and has_content(c) for c in li)


_CELL_BLOCKS = frozenset("p div ul ol pre table blockquote h1 h2 h3 h4 h5 h6 hr dl figure section".split())


def simple_table(el: HtmlElement, inline_iframes: bool = True) -> tuple[list[HtmlElement], list[list[HtmlElement]], list[str | None]] | None:
    """The header, rows and alignments of a table GFM can write, else None. ``inline_iframes``
    False (kramdown, which shows an iframe inside a cell as text): a cell holding one is not."""
    blocks = _CELL_BLOCKS if inline_iframes else _CELL_BLOCKS | {"iframe"}
    rows: list[HtmlElement] = []
    for child in el:
        tag = tag_name(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if tag_name(r) == "tr")
        elif tag in ("caption", "colgroup"):
            return None
        elif tag:
            return None
    if not rows:
        return None
    cells = []
    for row in rows:
        row_cells = [c for c in row if tag_name(c) in ("td", "th")]
        for c in row_cells:
            if c.get("colspan", "1") != "1" or c.get("rowspan", "1") != "1":
                return None
            if any(tag_name(d) in blocks for d in c.iter() if d is not c):
                return None
        cells.append(row_cells)
    header = cells[0]
    if not header or not all(tag_name(c) == "th" for c in header):
        return None
    if any(tag_name(c) == "th" for row in cells[1:] for c in row):
        return None
    aligns = [_align(c) for c in header]
    return header, cells[1:], aligns


def _align(cell: HtmlElement) -> str | None:
    align = (cell.get("align") or "").lower()
    if not align:
        m = re.search(r"text-align\s*:\s*(left|right|center)", cell.get("style") or "")
        align = m.group(1) if m else ""
    return align or None


def align_marker(align: str | None) -> str:
    return {"left": ":---", "right": "---:", "center": ":---:"}.get(align or "", "---")
