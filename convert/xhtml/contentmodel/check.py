"""Finding what breaks the content model: :func:`needs_repair` looks at one element and its
children."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from convert.xhtml.contentmodel.rules import (
    BLOCK,
    CHILDREN,
    FLATTEN,
    GUARDED,
    NO_DESCENDANT,
    PARENTS,
    SPLIT,
    TABLE_ORDER,
    child_names,
    is_blank,
    local_name,
)
from convert.xhtml.xmltext import XHTML

if TYPE_CHECKING:
    from lxml.etree import _Element


def allowed_children(el: _Element, name: str) -> set[str] | None:
    """The children ``el`` may hold, when its content model restricts them."""
    if name == "div" and local_name(el.getparent()) == "dl":
        return {"dt", "dd"}  # a group of terms and definitions
    return CHILDREN.get(name)

def in_group(el: _Element) -> bool:
    return local_name(el) == "div" and local_name(el.getparent()) == "dl"

def needs_repair(el: _Element) -> bool:
    """Whether the children of ``el`` break its content model (or it breaks an ancestor's)."""
    name = local_name(el)
    if not name:
        return False
    allowed = allowed_children(el, name)
    if allowed is not None and not is_blank(el.text):
        return True
    if in_group(el) and not any(local_name(c) in ("dt", "dd") for c in el):
        return True
    phrasing_only = name in SPLIT or name in FLATTEN
    for child in el:
        child_name = local_name(child)
        if allowed is not None:
            if not is_blank(child.tail) or (child_name and child_name not in allowed and child_name not in ("script", "template")):
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
        if child_name in ("dt", "dd") and name == "div" and local_name(el.getparent()) != "dl":
            return True
        if child_name in GUARDED and excluded(child):
            return True
    if name == "ruby" and bad_ruby(el):
        return True
    if name == "caption" and el.find(f".//{XHTML}table") is not None:
        return True
    return misordered(el, name)

def bad_ruby(el: _Element) -> bool:
    """A ruby needs base text followed by annotations (``rt``, optionally in ``rp``), and nothing
    after the last annotation."""
    kids = [c for c in el if local_name(c)]
    marks = [i for i, c in enumerate(kids) if local_name(c) in ("rt", "rp")]
    if not marks or not any(local_name(kids[i]) == "rt" for i in marks):
        return True
    last = kids[marks[-1]]
    trailing = kids[marks[-1] + 1 :]
    return not is_blank(last.tail) or bool(trailing) or (marks[0] == 0 and is_blank(el.text)) or el.find(f".//{XHTML}ruby") is not None

def excluded(el: _Element) -> bool:
    name = local_name(el)
    for ancestor in el.iterancestors():
        if name in NO_DESCENDANT.get(local_name(ancestor), ()):
            return True
    return False

_ORDERED = {"table", "dl", "div", "figure", "details"}


def misordered(el: _Element, name: str) -> bool:
    if name not in _ORDERED or (name == "div" and local_name(el.getparent()) != "dl"):
        return False  # (a wrapper of thousands of children is not listed to find that out)
    names = [n for n in map(local_name, el) if n]
    if name == "table":
        return names != sorted(names, key=lambda n: TABLE_ORDER.get(n, 3)) or names.count("caption") > 1 or names.count("thead") > 1 or names.count("tfoot") > 1 or ("tr" in names and "tbody" in names)
    if name in ("dl", "div") and (name == "dl" or local_name(el.getparent()) == "dl"):
        terms = [n for n in names if n in ("dt", "dd")]
        if name == "dl" and terms and "div" in names:
            return True  # groups in <div>s or not at all
        if name == "div" and any(a == "dd" and b == "dt" for a, b in itertools.pairwise(terms)):
            return True  # one group per <div>
        return bool(terms) and (terms[0] == "dd" or terms[-1] == "dt")
    if name == "figure":
        items = child_names(el)
        caps = [i for i, n in enumerate(items) if n == "figcaption"]
        return len(caps) > 1 or (bool(caps) and caps[0] not in (0, len(items) - 1))
    if name == "details":
        return not names or names[0] != "summary" or not is_blank(el.text) or names.count("summary") > 1
    return False
