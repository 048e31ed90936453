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

from convert.xhtml.sanitize import XHTML_NS

if TYPE_CHECKING:
    from lxml.etree import _Element

_X = f"{{{XHTML_NS}}}"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SECTIONING = {"article", "aside", "nav", "section"}
BLOCK = HEADINGS | SECTIONING | set(
    """address blockquote details dialog div dl figure footer header hgroup hr main menu ol p pre search
    table ul li dd dt figcaption summary caption thead tbody tfoot tr td th colgroup col""".split()
)
# Elements whose content must be phrasing: split around a block, or keep the block's text inline.
SPLIT = set("p a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var button output label".split())
FLATTEN = HEADINGS | {"pre", "dt", "summary", "rt", "rp", "ruby", "meter", "progress", "legend"}
# Elements that may stand only in certain parents.
PARENTS = {
    "li": {"ul", "ol", "menu"},
    "dt": {"dl", "div"},
    "dd": {"dl", "div"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup"},
    "figcaption": {"figure"},
    "summary": {"details"},
    "rt": {"ruby"},
    "rp": {"ruby"},
    "source": {"video", "audio", "picture"},
    "track": {"video", "audio"},
    "area": {"map"},
}
# Containers and the children they may hold (text aside from whitespace is never allowed).
CHILDREN = {
    "ul": {"li"},
    "ol": {"li"},
    "menu": {"li"},
    "dl": {"dt", "dd", "div"},
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tfoot": {"tr"},
    "tr": {"td", "th"},
    "colgroup": {"col"},
    "hgroup": HEADINGS | {"p"},
}
# Descendants a container may not have (the HTML content model's exclusions).
NO_DESCENDANT = {
    "th": HEADINGS | SECTIONING | {"header", "footer"},
    "address": HEADINGS | SECTIONING | {"header", "footer", "address"},
    "header": {"header", "footer"},
    "footer": {"header", "footer"},
    "a": {"a"},
    "dfn": {"dfn"},
}
_GUARDED = set().union(*NO_DESCENDANT.values())


def _name(el: _Element) -> str:
    """The XHTML element's local name; ``#foreign`` for SVG and MathML, ``""`` for comments."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(_X):] if tag.startswith(_X) else "#foreign"


def _blank(text: str | None) -> bool:
    return not text or not text.strip()


def _new(name: str) -> _Element:
    from lxml import etree

    return etree.Element(_X + name)


def needs_repair(el: _Element) -> bool:
    """Whether the children of ``el`` break its content model (or it breaks an ancestor's)."""
    name = _name(el)
    if not name:
        return False
    allowed = CHILDREN.get(name)
    if allowed is not None and not _blank(el.text):
        return True
    phrasing_only = name in SPLIT or name in FLATTEN
    for child in el:
        child_name = _name(child)
        if allowed is not None:
            if not _blank(child.tail) or (child_name and child_name not in allowed and child_name not in ("script", "template")):
                return True
            if name == "dl" and child_name == "div" and needs_repair(child):
                return True
        if not child_name:
            continue
        if phrasing_only and child_name in BLOCK:
            return True
        parents = PARENTS.get(child_name)
        if parents is not None and name not in parents:
            return True
        if child_name in ("dt", "dd") and name == "div" and _name(el.getparent()) != "dl":
            return True
        if child_name in _GUARDED and _excluded(child):
            return True
    return _misordered(el, name)


def _excluded(el: _Element) -> bool:
    name = _name(el)
    for ancestor in el.iterancestors():
        if name in NO_DESCENDANT.get(_name(ancestor), ()):
            return True
    return False


def _misordered(el: _Element, name: str) -> bool:
    kids = [c for c in el if _name(c)]
    names = [_name(c) for c in kids]
    if name == "table":
        return names != sorted(names, key=lambda n: _TABLE_ORDER.get(n, 3)) or names.count("caption") > 1 or names.count("thead") > 1 or names.count("tfoot") > 1 or ("tr" in names and "tbody" in names)
    if name in ("dl", "div") and (name == "dl" or _name(el.getparent()) == "dl"):
        terms = [n for n in names if n in ("dt", "dd")]
        if name == "dl" and terms and "div" in names:
            return True  # groups in <div>s or not at all
        return bool(terms) and (terms[0] == "dd" or terms[-1] == "dt")
    if name == "figure":
        caps = [i for i, n in enumerate(names) if n == "figcaption"]
        return len(caps) > 1 or (bool(caps) and caps[0] not in (0, len(names) - 1))
    if name == "details":
        return not names or names[0] != "summary" or not _blank(el.text) or names.count("summary") > 1
    return False


_TABLE_ORDER = {"caption": 0, "colgroup": 1, "thead": 2, "tbody": 3, "tr": 3, "tfoot": 4, "script": 3, "template": 3}


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
        for target in (parent, el):
            if (target is not None and target.getparent() is not None) or target is root:
                if id(target) not in queued and needs_repair(target):
                    count += 1
                    queued[id(target)] = target
                    heapq.heappush(heap, (-sum(1 for _ in target.iterancestors()), count, target))


def _fix(el: _Element, note: Callable[[str], None]) -> None:
    name = _name(el)
    for child in list(el):
        child_name = _name(child)
        if child_name in _GUARDED and _excluded(child):
            note(f"<{child_name}> inside a container that excludes it renamed")
            child.tag = _X + ("span" if child_name in ("a", "dfn") else "div")
    _adopt_strays(el, name, note)
    if name in CHILDREN:
        _contain(el, name, note)
    if name == "dl" or (name == "div" and _name(el.getparent()) == "dl"):
        _pair_terms(el)
    if name == "table":
        _order_table(el, note)
    if name == "figure":
        caps = [c for c in el if _name(c) == "figcaption"]
        kids = [c for c in el if _name(c)]
        for cap in caps:
            if cap is not caps[0] or cap not in (kids[0], kids[-1]):
                cap.tag = _X + "div"
                note("<figcaption> not first or last in its figure became <div>")
    if name == "details" and _misordered(el, name):
        el.tag = _X + "div"
        for summary in [c for c in el if _name(c) == "summary"]:
            summary.tag = _X + "div"
        el.attrib.pop("open", None)
        note("<details> without a leading <summary> became <div>")
    if name in SPLIT and any(_name(c) in BLOCK for c in el):
        _split(el, name, note)
    elif name in FLATTEN and any(_name(c) in BLOCK for c in el):
        _flatten(el, "\n" if name == "pre" else " ")
        note(f"blocks inside <{name}> kept as its text")


def _adopt_strays(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Children that may stand only in another parent: wrap runs of them in it, or rename them."""
    wrappers = {"li": "ul", "dt": "dl", "dd": "dl", "td": "tr", "th": "tr", "tr": "table", "thead": "table", "tbody": "table", "tfoot": "table"}
    run: list[_Element] = []

    def flush() -> None:
        if not run:
            return
        kind = wrappers[_name(run[0])]
        wrapper = _new(kind)
        run[0].addprevious(wrapper)
        for item in run:
            wrapper.append(item)  # whitespace tails between them travel along
        wrapper.tail, run[-1].tail = run[-1].tail, None
        note(f"<{_name(run[0])}> outside its container wrapped in <{kind}>")
        if kind == "tr" and name not in ("table", "thead", "tbody", "tfoot"):
            table = _new("table")
            wrapper.addprevious(table)
            table.append(wrapper)
            table.tail, wrapper.tail = wrapper.tail, None
        if kind == "dl":
            _pair_terms(wrapper)
        run.clear()

    for child in list(el):
        child_name = _name(child)
        parents = PARENTS.get(child_name)
        misplaced = parents is not None and name not in parents
        if child_name in ("dt", "dd") and name == "div" and _name(el.getparent()) != "dl":
            misplaced = True
        if misplaced and child_name in wrappers:
            if run and wrappers[_name(run[0])] != wrappers[child_name]:
                flush()
            run.append(child)
            if not _blank(child.tail):
                flush()
            continue
        flush()
        if not misplaced:
            continue
        if child_name in ("source", "track", "col") or (child_name == "colgroup" and not len(child) and _blank(child.text)):
            _unwrap(child, "")
            note(f"<{child_name}> outside its container removed")
        elif child_name in ("rt", "rp", "area"):
            child.tag = _X + "span"
            if child_name == "area":
                child.text = child.get("alt") or ""
                child.attrib.clear()
            note(f"<{child_name}> outside its container became <span>")
        else:
            child.tag = _X + "div"
            note(f"<{child_name}> outside its container became <div>")
    flush()


def _contain(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Text and elements a list, table, row or definition list cannot hold go into a new item,
    cell or definition where they stand; in a table they move before it, as browsers show them."""
    allowed = CHILDREN[name]
    holder = {"ul": "li", "ol": "li", "menu": "li", "dl": "dd", "tr": "td", "thead": "tr", "tbody": "tr", "tfoot": "tr", "hgroup": ""}.get(name)
    parts: list[object] = [el.text] if el.text else []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    if all((isinstance(p, str) and not p.strip()) or (not isinstance(p, str) and (_name(p) in allowed or _name(p) in ("script", "template"))) for p in parts):
        return
    if name == "hgroup":
        el.tag = _X + "div"
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
                box = _new(holder)
                if holder == "li":
                    box.set("style", "list-style: none")
                inner = box if holder != "tr" else _sub(box, "td")
                for piece in pending:
                    _put(inner, piece)
                el.append(box)
        pending.clear()

    for part in parts:
        if isinstance(part, str) or (_name(part) not in allowed and _name(part) not in ("script", "template")):  # type: ignore[arg-type]
            if name in ("ul", "ol", "menu") and not isinstance(part, str) and _name(part) in ("ul", "ol") and len(el) and not pending:  # type: ignore[arg-type]
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
        anchor = _new("div")
        el.addprevious(anchor)
        for piece in outside:
            _put(anchor, piece)
        _unwrap(anchor, "")


def _sub(parent: _Element, name: str) -> _Element:
    child = _new(name)
    parent.append(child)
    return child


def _put(parent: _Element, piece: object) -> None:
    if isinstance(piece, str):
        _add_text(parent, piece)
    else:
        parent.append(piece)  # type: ignore[arg-type]


def _pair_terms(el: _Element) -> None:
    """A definition list needs terms followed by definitions: one that opens with a definition or
    ends with a term gets an empty term or definition. Terms beside ``<div>`` groups are grouped
    in a ``<div>`` of their own."""
    if _name(el) == "dl" and any(_name(c) == "div" for c in el) and any(_name(c) in ("dt", "dd") for c in el):
        group = None
        for child in list(el):
            if _name(child) in ("dt", "dd"):
                if group is None:
                    group = _new("div")
                    child.addprevious(group)
                group.append(child)
            else:
                if group is not None:
                    _pair_terms(group)
                group = None
        if group is not None:
            _pair_terms(group)
        return
    terms = [c for c in el if _name(c) in ("dt", "dd")]
    if terms and _name(terms[0]) == "dd":
        terms[0].addprevious(_new("dt"))
    if terms and _name(terms[-1]) == "dt":
        terms[-1].addnext(_new("dd"))


def _order_table(el: _Element, note: Callable[[str], None]) -> None:
    kids = [c for c in el if _name(c)]
    if not _misordered(el, "table"):
        return
    seen: set[str] = set()
    for child in kids:
        n = _name(child)
        if n in ("caption", "thead", "tfoot") and n in seen:
            child.tag = _X + ("div" if n == "caption" else "tbody")
            if n == "caption":
                el.addprevious(child)
        seen.add(n)
    kids = [c for c in el if _name(c)]
    if any(_name(c) == "tbody" for c in kids):
        body = None
        for child in kids:
            if _name(child) == "tr":
                if body is None:
                    body = _new("tbody")
                    child.addprevious(body)
                body.append(child)
            else:
                body = None
    kids = sorted((c for c in el if _name(c)), key=lambda c: _TABLE_ORDER.get(_name(c), 3))
    for child in kids:
        child.tail = None
        el.append(child)
    note("table parts put in order")


def _split(el: _Element, name: str, note: Callable[[str], None]) -> None:
    """Split a phrasing element around the blocks it holds; an inline element's formatting goes
    into the blocks' text."""
    pieces: list[_Element] = []
    shells: set[_Element] = set()
    current = _shell(el, keep_id=True)
    current.text = el.text
    for child in list(el):
        if _name(child) in BLOCK:
            tail, child.tail = child.tail, None
            pieces.append(current)
            shells.add(current)
            if name != "p":
                _push(el, child)
            pieces.append(child)
            current = _shell(el, keep_id=False)
            current.text = tail
        else:
            current.append(child)
    pieces.append(current)
    shells.add(current)
    kept = [p for p in pieces if p not in shells or p.get("id") or len(p) or not _blank(p.text)]
    tail = el.tail
    for piece in kept:
        el.addprevious(piece)
    el.tail = None
    _text_before(el, tail)
    el.getparent().remove(el)
    note(f"block inside <{name}> moved out of it")


def _push(shell_of: _Element, block: _Element) -> None:
    """Carry an inline element's formatting (a copy of it) into the phrasing runs of ``block``."""
    name = _name(block)
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
    is_link = _name(shell_of) == "a"
    for part in parts:
        element = not isinstance(part, str)
        if element and (_name(part) in BLOCK or (is_link and (_name(part) == "a" or part.find(f".//{_X}a") is not None))):  # type: ignore[union-attr, arg-type]
            runs.append([part])
            runs.append([])
        else:
            runs[-1].append(part)
    for run in runs:
        if not run:
            continue
        if len(run) == 1 and not isinstance(run[0], str) and (_name(run[0]) in BLOCK or is_link):  # type: ignore[arg-type]
            if _name(run[0]) in BLOCK:  # type: ignore[arg-type]
                _push(shell_of, run[0])  # type: ignore[arg-type]
            block.append(run[0])  # type: ignore[arg-type]
            continue
        if all(isinstance(p, str) and not p.strip() for p in run):
            for p in run:
                _add_text(block, p)  # type: ignore[arg-type]
            continue
        wrapper = _shell(shell_of, keep_id=False)
        for p in run:
            _put(wrapper, p)
        block.append(wrapper)


def _shell(el: _Element, *, keep_id: bool) -> _Element:
    from lxml import etree

    copy = etree.Element(el.tag, nsmap=None)
    for key, value in el.attrib.items():
        if keep_id or key not in ("id", "{http://www.w3.org/XML/1998/namespace}id"):
            copy.set(key, value)
    return copy


def _flatten(el: _Element, sep: str) -> None:
    """Keep the content of every block inside ``el`` as its text (a heading holding a
    ``<header>``, a ``<pre>`` holding ``<div>``s); their ids stay, on empty spans."""
    for inner in reversed([d for d in el.iterdescendants() if _name(d) in BLOCK]):
        _unwrap(inner, sep)


def _unwrap(el: _Element, sep: str) -> None:
    """Replace ``el`` by its content, set off by ``sep`` from what stands around it."""
    parent = el.getparent()
    prev = el.getprevious()
    has_before = prev is not None or not _blank(parent.text)
    _text_before(el, (sep if has_before else "") + (el.text or ""))
    if el.get("id"):
        marker = _new("span")
        marker.set("id", el.get("id"))
        el.addprevious(marker)
    for child in list(el):
        el.addprevious(child)
    tail, el.tail = el.tail, None
    _text_before(el, (sep if not _blank(tail) else "") + (tail or ""))
    parent.remove(el)


def _text_before(el: _Element, text: str | None) -> None:
    """Add ``text`` right before ``el`` (the previous sibling's tail, or the parent's text)."""
    if not text:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def _add_text(parent: _Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
