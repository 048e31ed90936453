"""Finding what breaks the content model: :func:`needs_repair` looks at one element and its
children."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from convert.xhtml.contentmodel.rules import (
    _GUARDED,
    _X,
    BLOCK,
    CHILDREN,
    FLATTEN,
    NO_DESCENDANT,
    PARENTS,
    SPLIT,
    TABLE_ORDER,
    _blank,
    _items,
    _name,
)

if TYPE_CHECKING:
    from lxml.etree import _Element


def _allowed(el: _Element, name: str) -> set[str] | None:
    """The children ``el`` may hold, when its content model restricts them."""
    if name == "div" and _name(el.getparent()) == "dl":
        return {"dt", "dd"}  # a group of terms and definitions
    return CHILDREN.get(name)

def _in_group(el: _Element) -> bool:
    return _name(el) == "div" and _name(el.getparent()) == "dl"

def needs_repair(el: _Element) -> bool:
    """Whether the children of ``el`` break its content model (or it breaks an ancestor's)."""
    name = _name(el)
    if not name:
        return False
    allowed = _allowed(el, name)
    if allowed is not None and not _blank(el.text):
        return True
    if _in_group(el) and not any(_name(c) in ("dt", "dd") for c in el):
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
    if name == "ruby" and _bad_ruby(el):
        return True
    if name == "caption" and el.find(f".//{_X}table") is not None:
        return True
    return _misordered(el, name)

def _bad_ruby(el: _Element) -> bool:
    """A ruby needs base text followed by annotations (``rt``, optionally in ``rp``), and nothing
    after the last annotation."""
    kids = [c for c in el if _name(c)]
    marks = [i for i, c in enumerate(kids) if _name(c) in ("rt", "rp")]
    if not marks or not any(_name(kids[i]) == "rt" for i in marks):
        return True
    last = kids[marks[-1]]
    trailing = kids[marks[-1] + 1 :]
    return not _blank(last.tail) or bool(trailing) or (marks[0] == 0 and _blank(el.text)) or el.find(f".//{_X}ruby") is not None

def _excluded(el: _Element) -> bool:
    name = _name(el)
    for ancestor in el.iterancestors():
        if name in NO_DESCENDANT.get(_name(ancestor), ()):
            return True
    return False

_ORDERED = {"table", "dl", "div", "figure", "details"}


def _misordered(el: _Element, name: str) -> bool:
    if name not in _ORDERED or (name == "div" and _name(el.getparent()) != "dl"):
        return False  # (a wrapper of thousands of children is not listed to find that out)
    names = [n for n in map(_name, el) if n]
    if name == "table":
        return names != sorted(names, key=lambda n: TABLE_ORDER.get(n, 3)) or names.count("caption") > 1 or names.count("thead") > 1 or names.count("tfoot") > 1 or ("tr" in names and "tbody" in names)
    if name in ("dl", "div") and (name == "dl" or _name(el.getparent()) == "dl"):
        terms = [n for n in names if n in ("dt", "dd")]
        if name == "dl" and terms and "div" in names:
            return True  # groups in <div>s or not at all
        if name == "div" and any(a == "dd" and b == "dt" for a, b in itertools.pairwise(terms)):
            return True  # one group per <div>
        return bool(terms) and (terms[0] == "dd" or terms[-1] == "dt")
    if name == "figure":
        items = _items(el)
        caps = [i for i, n in enumerate(items) if n == "figcaption"]
        return len(caps) > 1 or (bool(caps) and caps[0] not in (0, len(items) - 1))
    if name == "details":
        return not names or names[0] != "summary" or not _blank(el.text) or names.count("summary") > 1
    return False
