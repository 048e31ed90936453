"""Emphasis delimiters and their neighbours: CommonMark's flanking rules.

A ``*``, ``_`` or ``~~`` run opens emphasis only if it is left-flanking and closes it only if it
is right-flanking, and that depends on the characters on both sides of each run: inside (the
emphasis's own first and last characters) and outside (whatever the Markdown has next to the
element). These functions find the outside characters in the tree, so the writer can use
delimiters where they work and keep the HTML tag where they would not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.html.tags import is_known
from convert.lazyre import lazy
from convert.markdown.elements import (
    CODE_TAGS,
    INLINE_HTML,
    dropped,
    has_content,
    is_block,
    items_of,
    tag_name,
    written_as_tag,
)
from convert.markdown.escape import BRACKET

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: Spaces (a no-break space too: white space to the flanking rules) and hard breaks at the edges
#: of an emphasis's content: written outside its delimiters.
EDGE_LEAD = lazy(r"(?:[^\S\n]|\\\n)*")
EDGE_TRAIL = lazy(r"(?:[^\S\n]|\\\n)*\Z")
#: What :func:`char_before` and :func:`char_after` say of an emphasis right beside: its
#: delimiters would run into ours.
TOUCHING = "\x02"
_EMPHASIS = frozenset({"em", "i", "strong", "b", "del", "s", "strike"})
#: Inline elements that write markup of their own at their edges (a delimiter, a bracket, a tag).
_MARKED = frozenset({"em", "i", "strong", "b", "del", "s", "strike", "a", "code", "tt"}) | INLINE_HTML


def is_punct(ch: str) -> bool:
    import unicodedata

    return ch == BRACKET or unicodedata.category(ch).startswith(("P", "S"))  # BRACKET is a "]"


def edge_delimiter(text: str, char: str) -> bool:
    """Whether ``text`` starts or ends with an unescaped ``char``."""
    if text.startswith(char):
        return True
    if not text.endswith(char):
        return False
    body = text.rstrip(char)
    backslashes = len(body) - len(body.rstrip("\\"))
    return backslashes % 2 == 0 or len(text) - len(body) > 1


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def delimits(marker: str, first: str, last: str, before: str, after: str) -> bool:
    """Whether ``marker`` around content from ``first`` to ``last``, between the characters
    ``before`` and ``after`` ("" or a space at a line's edge), opens and closes as emphasis.

    CommonMark: an opening run must be left-flanking (punctuation inside needs space or
    punctuation outside), a closing run right-flanking (the mirror image); ``_`` must not touch
    a letter or digit outside."""
    if is_punct(first) and not (_is_space(before) or is_punct(before)):
        return False
    if is_punct(last) and not (_is_space(after) or is_punct(after)):
        return False
    return not (marker[0] == "_" and (before.isalnum() or after.isalnum()))


def char_after(el: HtmlElement) -> str:
    """The character the Markdown has right after ``el``: " " at a block's end, "a" (any letter:
    the careful guess) when an element follows whose first character is not known here."""
    if el.tail:
        return el.tail[0]
    following = el.getnext()
    while following is not None:
        if isinstance(following.tag, str):  # comments and what renders nothing are looked past
            edge = " " if tag_name(following) == "br" or is_block(following) else _edge(following, first=True)
            if edge:
                return edge
        if following.tail:
            return following.tail[0]
        following = following.getnext()
    parent = el.getparent()
    if parent is None or is_block(parent):
        return " "
    return "*" if tag_name(parent) in _MARKED or written_as_tag(tag_name(parent)) else char_after(parent)


def _edge(el: HtmlElement, first: bool) -> str:
    """The first (or last) character of an inline element's Markdown, as far as flanking cares:
    markup (a delimiter, a bracket, a backtick, a tag) is punctuation; anything else may be a
    letter."""
    tag = tag_name(el)
    if dropped(el):
        return ""
    if tag != "img" and (tag in _EMPHASIS or tag not in _MARKED) and not has_content(el):
        # An empty emphasis or span writes its spaces and breaks, or nothing at all.
        return " " if el.text_content() or el.find(".//br") is not None else ""
    if tag in _EMPHASIS:  # its edge spaces and breaks are written outside its delimiters
        return " " if _starts_with_space(el, first) else TOUCHING
    if tag == "img" or (tag in _MARKED and (tag != "a" or el.get("href") is not None)):
        return "*"
    if is_span(el):
        # A span is written as its content: its edge is its content's (a letter was guessed
        # before, and "<strong>。</strong><span>。</span>" kept its tag, to become "**。**。"
        # the next time, with the span gone).
        for item in items_of(el) if first else reversed(items_of(el)):
            if isinstance(item, str):
                return item[0] if first else item[-1]
            edge = " " if tag_name(item) == "br" or is_block(item) else _edge(item, first)
            if edge:
                return edge
        return ""
    return "a"


def _starts_with_space(el: HtmlElement, first: bool) -> bool:
    """Whether an element's content starts (or ends) with white space or a line break."""
    items = items_of(el)
    for item in items if first else reversed(items):
        if isinstance(item, str):
            return (item[0] if first else item[-1]).isspace()
        if tag_name(item) == "br":
            return True
        if has_content(item) or item.find(".//br") is not None:
            return (tag_name(item) in _EMPHASIS or tag_name(item) not in _MARKED) and _starts_with_space(item, first)
        if item.text_content():  # only spaces
            return True
    return False


def char_before(el: HtmlElement) -> str:
    """The mirror image of :func:`char_after`."""
    preceding = el.getprevious()
    while preceding is not None:
        if preceding.tail:
            return preceding.tail[-1]
        if isinstance(preceding.tag, str):
            edge = " " if tag_name(preceding) == "br" or is_block(preceding) else _edge(preceding, first=False)
            if edge:
                return edge
        preceding = preceding.getprevious()
    parent = el.getparent()
    if parent is None:
        return " "
    if parent.text:
        return parent.text[-1]
    if is_block(parent):
        return " "
    return "*" if tag_name(parent) in _MARKED or written_as_tag(tag_name(parent)) else char_before(parent)


def code_before(el: HtmlElement) -> bool:
    """Whether the Markdown right before ``el`` ends with a code span: comments, empty elements
    and the edges of spans (written as their content) looked past. Two code spans that touch
    read as one (`` `a``b` ``)."""
    node = el
    while True:
        preceding = node.getprevious()
        while preceding is not None:
            if preceding.tail:
                return False
            if isinstance(preceding.tag, str):
                ends = _ends_with_code(preceding)
                if ends is not None:
                    return ends
            preceding = preceding.getprevious()
        parent = node.getparent()
        if parent is None or parent.text or not is_span(parent):
            return False
        node = parent


def _ends_with_code(el: HtmlElement) -> bool | None:
    """Whether an element's Markdown ends with a code span; None when it writes nothing."""
    tag = tag_name(el)
    if dropped(el):
        return None
    if tag in CODE_TAGS:
        return True if el.text_content() else None
    if not is_span(el):
        return False
    for item in reversed(items_of(el)):
        if isinstance(item, str):
            return False
        ends = _ends_with_code(item)
        if ends is not None:
            return ends
    return None


def is_span(el: HtmlElement) -> bool:
    """An inline element written as its content alone (``<span>``, ``<font>``)."""
    tag = tag_name(el)
    return is_known(tag) and tag not in _MARKED and tag not in ("img", "br") and not is_block(el)
