"""The content model as tables: which elements are blocks, which hold only phrasing content,
which may stand only in certain parents, which restrict their children or exclude descendants;
and the small tree operations every repair uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.xhtml.xmltext import XHTML, add_text, remove_keeping_tail, text_before

if TYPE_CHECKING:
    from lxml.etree import _Element

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
GUARDED = set().union(*NO_DESCENDANT.values())
TABLE_ORDER = {"caption": 0, "colgroup": 1, "thead": 2, "tbody": 3, "tr": 3, "tfoot": 4, "script": 3, "template": 3}


def local_name(el: _Element) -> str:
    """The XHTML element's local name; ``#foreign`` for SVG and MathML, ``""`` for comments."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(XHTML):] if tag.startswith(XHTML) else "#foreign"

def is_blank(text: str | None) -> bool:
    return not text or not text.strip()

def new_element(name: str) -> _Element:
    from lxml import etree

    return etree.Element(XHTML + name)

def child_names(el: _Element) -> list[str]:
    """The names of the element children of ``el``, with ``#text`` for text that is not blank."""
    out = [] if is_blank(el.text) else ["#text"]
    for child in el:
        if local_name(child):
            out.append(local_name(child))
        if not is_blank(child.tail):
            out.append("#text")
    return out

def sub_element(parent: _Element, name: str) -> _Element:
    child = new_element(name)
    parent.append(child)
    return child

def put(parent: _Element, piece: object) -> None:
    if isinstance(piece, str):
        add_text(parent, piece)
    else:
        parent.append(piece)  # type: ignore[arg-type]

def empty_copy(el: _Element, *, keep_id: bool) -> _Element:
    from lxml import etree

    copy = etree.Element(el.tag, nsmap=None)
    for key, value in el.attrib.items():
        if keep_id or key not in ("id", "{http://www.w3.org/XML/1998/namespace}id"):
            copy.set(key, value)
    return copy

def unwrap(el: _Element, sep: str) -> None:
    """Replace ``el`` by its content, set off by ``sep`` from the text around it (unless
    whitespace already does)."""
    prev = el.getprevious()
    before = (prev.tail if prev is not None else el.getparent().text) or ""
    has_before = prev is not None or bool(before.strip())
    lead = sep if has_before and not before[-1:].isspace() and not (el.text or "")[:1].isspace() else ""
    text_before(el, lead + (el.text or ""))
    if el.get("id"):
        marker = new_element("span")
        marker.set("id", el.get("id"))
        el.addprevious(marker)
    for child in list(el):
        el.addprevious(child)
    tail = el.tail
    trail = sep if not is_blank(tail) and not tail[:1].isspace() else ""  # type: ignore[index]
    el.tail = trail + (tail or "")
    remove_keeping_tail(el)
