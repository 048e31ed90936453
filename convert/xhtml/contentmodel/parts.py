"""Repairs of structured containers: lists, definition lists, tables, rows, and the parts
(items, terms, cells, rows) found outside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from convert.xhtml.contentmodel.check import allowed_children, in_group, misordered
from convert.xhtml.contentmodel.rules import (
    PARENTS,
    TABLE_ORDER,
    empty_copy,
    is_blank,
    local_name,
    new_element,
    put,
    sub_element,
    unwrap,
)
from convert.xhtml.xmltext import XHTML

if TYPE_CHECKING:
    from lxml.etree import _Element


def adopt_strays(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Children that may stand only in another parent: wrap runs of them in it, or rename them."""
    wrappers = {"li": "ul", "dt": "dl", "dd": "dl", "td": "tr", "th": "tr", "tr": "table", "thead": "table", "tbody": "table", "tfoot": "table"}
    run: list[_Element] = []

    def flush() -> None:
        if not run:
            return
        kind = wrappers[local_name(run[0])]
        wrapper = new_element(kind)
        run[0].addprevious(wrapper)
        for item in run:
            wrapper.append(item)  # whitespace tails between them travel along
        wrapper.tail, run[-1].tail = run[-1].tail, None
        note(f"<{local_name(run[0])}> outside its container wrapped in <{kind}>")
        if kind == "tr" and name not in ("table", "thead", "tbody", "tfoot"):
            table = new_element("table")
            wrapper.addprevious(table)
            table.append(wrapper)
            table.tail, wrapper.tail = wrapper.tail, None
        if kind == "dl":
            pair_terms(wrapper)
        if kind == "table":
            order_table(wrapper, note)
        run.clear()

    for child in list(el):
        child_name = local_name(child)
        parents = PARENTS.get(child_name)
        misplaced = parents is not None and name not in parents
        if child_name in ("dt", "dd") and name == "div" and local_name(el.getparent()) != "dl":
            misplaced = True
        if misplaced and child_name in wrappers:
            if run and wrappers[local_name(run[0])] != wrappers[child_name]:
                flush()
            run.append(child)
            if not is_blank(child.tail):
                flush()
            continue
        flush()
        if not misplaced:
            continue
        if child_name in ("source", "track", "col") or (child_name == "colgroup" and not len(child) and is_blank(child.text)):
            unwrap(child, "")
            note(f"<{child_name}> outside its container removed")
        elif child_name in ("rt", "rp", "area"):
            child.tag = XHTML + "span"
            if child_name == "area":
                child.text = child.get("alt") or ""
                child.attrib.clear()
            note(f"<{child_name}> outside its container became <span>")
        else:
            child.tag = XHTML + "div"
            note(f"<{child_name}> outside its container became <div>")
    flush()

def contain(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Text and elements a list, table, row or definition list cannot hold go into a new item,
    cell or definition where they stand; in a table they move before it, as browsers show them."""
    allowed = allowed_children(el, name) or set()
    holder = "dd" if in_group(el) else {"ul": "li", "ol": "li", "menu": "li", "dl": "dd", "tr": "td", "thead": "tr", "tbody": "tr", "tfoot": "tr", "hgroup": ""}.get(name)
    parts: list[object] = [el.text] if el.text else []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    if all((isinstance(p, str) and not p.strip()) or (not isinstance(p, str) and (local_name(p) in allowed or local_name(p) in ("script", "template"))) for p in parts):
        return
    if name == "hgroup":
        el.tag = XHTML + "div"
        note("<hgroup> holding more than headings became <div>")
        return
    el.text = None
    for child in list(el):
        child.tail = None
        el.remove(child)
    pending: list[object] = []
    outside: list[object] = []

    def settle() -> None:
        if any(not isinstance(p, str) or p.strip() for p in pending):
            if holder is None:  # table: before the table
                outside.extend(pending)
            else:
                box = new_element(holder)
                if holder == "li":
                    box.set("style", "list-style: none")
                inner = box if holder != "tr" else sub_element(box, "td")
                for piece in pending:
                    put(inner, piece)
                el.append(box)
        pending.clear()

    for part in parts:
        if isinstance(part, str) or (local_name(part) not in allowed and local_name(part) not in ("script", "template")):  # type: ignore[arg-type]
            if name in ("ul", "ol", "menu") and not isinstance(part, str) and local_name(part) in ("ul", "ol") and len(el) and not pending:  # type: ignore[arg-type]
                el[-1].append(part)  # type: ignore[arg-type]  # a nested list after its item belongs to it
                continue
            pending.append(part)
            continue
        settle()
        el.append(part)  # type: ignore[arg-type]
    settle()
    what = {"ul": "a list", "ol": "a list", "menu": "a list", "dl": "a definition list", "tr": "a table row"}.get(name, "a table")
    note(f"content standing in {what} put where it can be")
    if outside:
        anchor = new_element("div")
        el.addprevious(anchor)
        for piece in outside:
            put(anchor, piece)
        unwrap(anchor, "")

def pair_terms(el: _Element) -> None:
    """A definition list needs groups of terms followed by definitions: one that opens with a
    definition or ends with a term gets an empty term or definition. When some groups are in
    ``<div>``s all must be, one group per ``<div>``."""
    from lxml import etree

    kids = [c for c in el if local_name(c)]
    if local_name(el) == "dl" and any(local_name(c) == "div" for c in kids) and any(local_name(c) in ("dt", "dd") for c in kids):
        _wrap_runs(kids, {"dt", "dd"}, "div")
        kids = [c for c in el if local_name(c)]
    if local_name(el) == "dl" and any(local_name(c) == "div" for c in kids):
        for div in kids:
            if local_name(div) == "div":
                _split_groups(div)
                for part in [div, *div.itersiblings()]:
                    if part is not div and etree.iselement(part) and part.get("data-fmc-group") is None:
                        break
                    part.attrib.pop("data-fmc-group", None)
                    _pad_group(part)
        return
    _pad_group(el)

def _split_groups(div: _Element) -> None:
    """One ``<div>`` per group: a definition followed by a term starts a new ``<div>``."""
    current = div
    previous = ""
    for child in list(div):
        name = local_name(child)
        if name == "dt" and previous == "dd":
            new = empty_copy(div, keep_id=False)
            new.set("data-fmc-group", "")
            current.addnext(new)
            current = new
        if current is not div:
            current.append(child)
        if name in ("dt", "dd"):
            previous = name

def _pad_group(el: _Element) -> None:
    terms = [c for c in el if local_name(c) in ("dt", "dd")]
    if terms and local_name(terms[0]) == "dd":
        terms[0].addprevious(new_element("dt"))
    if terms and local_name(terms[-1]) == "dt":
        terms[-1].addnext(new_element("dd"))

def order_table(el: _Element, note: Callable[[str], None]) -> None:
    kids = [c for c in el if local_name(c)]
    if not misordered(el, "table"):
        return
    seen: set[str] = set()
    for child in kids:
        n = local_name(child)
        if n in ("caption", "thead", "tfoot") and n in seen:
            child.tag = XHTML + ("div" if n == "caption" else "tbody")
            if n == "caption":
                el.addprevious(child)
        seen.add(n)
    kids = [c for c in el if local_name(c)]
    if any(local_name(c) == "tbody" for c in kids):
        _wrap_runs(kids, {"tr"}, "tbody")
    kids = sorted((c for c in el if local_name(c)), key=lambda c: TABLE_ORDER.get(local_name(c), 3))
    for child in kids:
        child.tail = None
        el.append(child)
    note("table parts put in order")


def _wrap_runs(kids: list[_Element], names: set[str], wrapper: str) -> None:
    """Wrap each run of consecutive ``kids`` named in ``names`` in a new ``wrapper`` element."""
    box = None
    for child in kids:
        if local_name(child) in names:
            if box is None:
                box = new_element(wrapper)
                child.addprevious(box)
            box.append(child)
        else:
            box = None
