"""Content-model repair: make a sanitized XHTML tree valid HTML without dropping anything.

Real pages put blocks where XHTML allows only phrasing content (a ``<div>`` in a ``<p>``, ``<a>``
or ``<span>``; a ``<header>`` in a heading; a list in a paragraph), leave list items, cells and
captions outside their containers, and put paragraphs straight into tables and lists. Browsers
recover from all of it; EPUB reading systems and EPUBCheck do not. The repairs, each what a
browser shows:

- a paragraph or inline element holding a block is **split** around it: the block moves out, the
  text before and after stays in copies of the element, and an inline element's formatting (a
  link, emphasis) is carried into the block's text, so ``<a href><div>card</div></a>`` becomes
  ``<div><a href>card</a></div>``;
- a heading, ``<pre>``, ``<dt>`` or ``<summary>`` holding blocks keeps their content **inline**
  (separated by a space, a line break in ``<pre>``);
- stray items, terms, cells and rows get the container they need (``<ul>``, ``<dl>``,
  ``<table>``); what stands in a list, definition list, table or row without being allowed there
  goes into an item, a definition, a cell, or before the table (as browsers show it);
- elements allowed only in one place elsewhere (a ``<figcaption>`` outside a figure, a
  ``<summary>`` that is not first in its ``<details>``) become ``<div>``, nested links ``<span>``.

Only the places that need it are touched: one pass finds them, then each is repaired deepest
first, and its parent rechecked, since a block moved out of a paragraph may land in another.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING

from convert.xhtml.contentmodel.check import allowed_children, bad_ruby, excluded, in_group, misordered, needs_repair
from convert.xhtml.contentmodel.parts import adopt_strays, contain, order_table, pair_terms
from convert.xhtml.contentmodel.rules import (
    BLOCK,
    CHILDREN,
    FLATTEN,
    GUARDED,
    SPLIT,
    child_names,
    empty_copy,
    is_blank,
    local_name,
    put,
    unwrap,
)
from convert.xhtml.xmltext import XHTML, add_text, remove_keeping_tail

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["needs_repair", "repair"]


def repair(root: _Element, note: Callable[[str], None]) -> None:
    """Repair the content model of ``root``'s subtree in place, reporting each kind through ``note``."""
    from lxml import etree

    heap: list[tuple[int, int, _Element]] = []
    queued: dict[int, _Element] = {}
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
        else:
            depth -= 1
            if needs_repair(el):
                queued[id(el)] = el
                heap.append((-depth, len(queued), el))
    heapq.heapify(heap)
    count = len(queued)
    while heap:
        _, _, el = heapq.heappop(heap)
        queued.pop(id(el), None)
        if el is not root and el.getparent() is None:
            continue  # replaced by the repair of a deeper element
        parent = el.getparent()
        if not needs_repair(el):
            continue
        _fix(el, note)
        for target in (parent, el, *el):
            if (target is not None and target.getparent() is not None) or target is root:
                if id(target) not in queued and needs_repair(target):
                    count += 1
                    queued[id(target)] = target
                    heapq.heappush(heap, (-sum(1 for _ in target.iterancestors()), count, target))

def _fix(el: _Element, note: Callable[[str], None]) -> None:
    name = local_name(el)
    for child in list(el):
        child_name = local_name(child)
        if child_name in GUARDED and excluded(child):
            note(f"<{child_name}> inside a container that excludes it renamed")
            child.tag = XHTML + ("span" if child_name in ("a", "dfn") else "div")
            for attr in ("href", "hreflang", "rel", "type", "download"):
                child.attrib.pop(attr, None)
    adopt_strays(el, name, note)
    if in_group(el) and not any(local_name(c) in ("dt", "dd") for c in el):
        el.tag = XHTML + "dd"  # a <div> in a list of definitions, holding none: a definition
        note("<div> in a definition list became <dd>")
        return
    if allowed_children(el, name) is not None:
        contain(el, name, note)
    if name == "dl" or (name == "div" and local_name(el.getparent()) == "dl"):
        pair_terms(el)
    if name == "table":
        order_table(el, note)
    if name == "figure" and misordered(el, name):
        items = child_names(el)
        caps = [c for c in el if local_name(c) == "figcaption"]
        for cap in caps:
            place = [c for c in el if local_name(c)].index(cap)
            position = [i for i, n in enumerate(items) if n != "#text"][place]
            if cap is not caps[0] or position not in (0, len(items) - 1):
                cap.tag = XHTML + "div"
                note("<figcaption> not first or last in its figure became <div>")
    if name == "details" and misordered(el, name):
        el.tag = XHTML + "div"
        for summary in [c for c in el if local_name(c) == "summary"]:
            summary.tag = XHTML + "div"
        el.attrib.pop("open", None)
        note("<details> without a leading <summary> became <div>")
    if name == "caption" and el.find(f".//{XHTML}table") is not None:
        el.tag = XHTML + "div"  # a table in a caption: the caption goes before its table
        note("<caption> holding a table became <div>")
        return
    if name == "ruby" and bad_ruby(el):
        el.tag = XHTML + "span"
        for child in el:
            if local_name(child) in ("rt", "rp"):
                child.tag = XHTML + "span"
        note("<ruby> without annotations became <span>")
        return
    if name in SPLIT and any(local_name(c) in BLOCK for c in el):
        _split(el, name, note)
    elif name in FLATTEN and any(local_name(c) in BLOCK for c in el):
        _flatten(el, "\n" if name == "pre" else " ")
        note(f"blocks inside <{name}> kept as its text")

def _split(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Split a phrasing element around the blocks it holds; an inline element's formatting goes
    into the blocks' text."""
    pieces: list[_Element] = []
    shells: set[_Element] = set()
    current = empty_copy(el, keep_id=True)
    current.text = el.text
    for child in list(el):
        if local_name(child) in BLOCK:
            tail, child.tail = child.tail, None
            pieces.append(current)
            shells.add(current)
            if name != "p":
                _push(el, child)
            pieces.append(child)
            current = empty_copy(el, keep_id=False)
            current.text = tail
        else:
            current.append(child)
    pieces.append(current)
    shells.add(current)
    kept = [p for p in pieces if p not in shells or p.get("id") or len(p) or not is_blank(p.text)]
    for piece in kept:
        el.addprevious(piece)
    remove_keeping_tail(el)
    note(f"block inside <{name}> moved out of it")

def _push(shell_of: _Element, block: _Element) -> None:
    """Carry an inline element's formatting (a copy of it) into the phrasing runs of ``block``."""
    name = local_name(block)
    if name in ("hr", "col") or not name:
        return
    if name in CHILDREN:
        for child in block:
            _push(shell_of, child)
        return
    runs: list[list[object]] = [[]]
    parts: list[object] = [block.text] if block.text else []
    for child in block:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    block.text = None
    for child in list(block):
        child.tail = None
        block.remove(child)
    is_link = local_name(shell_of) == "a"
    for part in parts:
        element = not isinstance(part, str)
        if element and (local_name(part) in BLOCK or (is_link and (local_name(part) == "a" or part.find(f".//{XHTML}a") is not None))):  # type: ignore[union-attr, arg-type]
            runs.append([part])
            runs.append([])
        else:
            runs[-1].append(part)
    for run in runs:
        if not run:
            continue
        if len(run) == 1 and not isinstance(run[0], str) and (local_name(run[0]) in BLOCK or is_link):  # type: ignore[arg-type]
            if local_name(run[0]) in BLOCK:  # type: ignore[arg-type]
                _push(shell_of, run[0])  # type: ignore[arg-type]
            block.append(run[0])  # type: ignore[arg-type]
            continue
        if all(isinstance(p, str) and not p.strip() for p in run):
            for p in run:
                add_text(block, p)  # type: ignore[arg-type]
            continue
        wrapper = empty_copy(shell_of, keep_id=False)
        for p in run:
            put(wrapper, p)
        block.append(wrapper)

def _flatten(el: _Element, sep: str) -> None:
    """Keep the content of every block inside ``el`` as its text (a heading holding a
    ``<header>``, a ``<pre>`` holding ``<div>``s); their ids stay, on empty spans."""
    for inner in reversed([d for d in el.iterdescendants() if local_name(d) in BLOCK]):
        unwrap(inner, sep)
