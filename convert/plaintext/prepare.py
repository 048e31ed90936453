"""The body made ready for html2text: only what a reader sees, in a shape html2text cannot lose.

html2text is a good layout engine for plain text (paragraphs, indented lists and quotes,
monospaced tables, code kept verbatim), but it was written for Markdown: it escapes, it marks
emphasis and links, and on some inline mixes it drops or glues text. So before it runs, the tree
is reduced to blocks and plain text:

* not text, removed: scripts, styles, templates, buttons and form controls (the interface
  elements of :mod:`convert.html.tags`, "copy code" buttons included; a form's own text stays),
  navigation, SVG icons, embedded objects, hidden elements (``hidden``, ``aria-hidden="true"``,
  ``display:none``), comments; but inside code (``<pre>``, ``<code>``) an element whose content a
  browser shows (``List<Object>`` gives an ``<object>``, JSX a ``<Button>``) is code whose ``<``
  lost its escape: its text stays;
* a task list's checkbox (:func:`convert.html.tags.task_box`) becomes ``[x]`` or ``[ ]``;
* images become their alt text (``images="alt"``) or nothing (``"none"``);
* links become their text, followed by a reference number (``links="ref"``, the URLs listed at the
  end), by the URL in parentheses (``"inline"``), or by nothing (``"none"``); a link whose text is
  its URL is the URL;
* every inline element (emphasis, code, spans...) is unwrapped into its text; ``<q>`` gets the
  quotation marks a browser shows; an iframe becomes a link to what it embeds;
* characters html2text would read as its own markers in the output (``>`` of quotes, ``#`` of
  headings) are swapped for placeholders, and swapped back after (:mod:`convert.plaintext`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from convert.html.held import code_text
from convert.html.tags import (
    INTERFACE,
    code_shows,
    in_code,
    is_checked,
    is_copy_control,
    is_hidden,
    is_interface,
    task_box,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

    from convert.html.held import HeldCode

NOT_TEXT = INTERFACE | frozenset(
    "script style template noscript head title meta link base nav svg object embed applet canvas audio video source track map area".split()
)
BLOCKS = frozenset(
    "address article aside blockquote body center details div dl dt dd fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hgroup hr li main menu ol p pre section table tbody td tfoot th thead tr ul caption colgroup col summary search".split()
)
KEEP = BLOCKS | {"br", "a"}
#: elements whose content a browser shows even when they are not text to this module: inside
#: code they are source whose "<" lost its escape (``List<Object>``, ``Set<Map>``,
#: ``<Button>`` in JSX), and their content is the code that follows
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

#: placeholders for characters html2text would take for its own markers (private-use code points)
GUARDS = {">": "\ue0f0", "#": "\ue0f1"}
#: a link reference before it is numbered: REF_OPEN, the link's index in ``Prepared.links``, REF_CLOSE
REF_OPEN, REF_CLOSE = "\ue0e0", "\ue0e1"
#: opens each line of a code block, so the layout after html2text knows the line for code: never
#: wrapped, never merged with a blank line beside it (:mod:`convert.plaintext`); and a line of its own
#: before the code, so the code's first line is where its others are (html2text puts the first
#: line of a code block that opens a list item on the item's mark line): it goes after layout
CODE_LINE, CODE_START = "\ue0e4", "\ue0e6"


@dataclass
class Prepared:
    links: list[str] = field(default_factory=list)  # the URLs of "ref" links (numbered later, as they appear)
    guards: dict[str, str] = field(default_factory=lambda: dict(GUARDS))
    code_line: str = CODE_LINE
    code_start: str = CODE_START


def _guard(text: str | None, guards: dict[str, str]) -> str | None:
    if not text:
        return text
    for char, placeholder in guards.items():
        if char in text:
            text = text.replace(char, placeholder)
    return text


def prepare(body: HtmlElement, *, links: str = "ref", images: str = "alt", held: HeldCode | None = None) -> Prepared:
    """Reduce ``body`` (a tree the caller owns: it is changed in place) for html2text. ``held``:
    the code held out of the tree (:mod:`convert.html.held`), read here as any code is."""
    state = Prepared()
    # Private-use characters a post may hold itself (then others are taken): looked for piece
    # by piece, never in one copy of the whole text.
    taken = {ch for piece in body.itertext() if not piece.isascii() for ch in _PRIVATE_USE.findall(piece)}
    for char, placeholder in list(state.guards.items()):
        while placeholder in taken or placeholder in (REF_OPEN, REF_CLOSE):  # a post that holds the placeholder itself: another one
            placeholder = chr(ord(placeholder) + 2)
        state.guards[char] = placeholder
    while state.code_line in taken or state.code_line in (REF_OPEN, REF_CLOSE, *state.guards.values()):
        state.code_line = chr(ord(state.code_line) + 1)
    while state.code_start in taken or state.code_start in (REF_OPEN, REF_CLOSE, state.code_line, *state.guards.values()):
        state.code_start = chr(ord(state.code_start) + 1)
    numbers: dict[str, int] = {}
    _code_tables(body)
    _layout_tables(body)
    _task_marks(body)

    # Bottom-up, so an element's children are settled before it is unwrapped.
    for el in _elements_bottom_up(body):
        if not isinstance(el.tag, str):
            _replace(el, "")  # comments, processing instructions
            continue
        if held and el in held.blocks:
            el.text = _visible_code(held.parsed(el)) or None
        tag = el.tag.lower()
        if is_hidden(el) or is_copy_control(el) or (tag in NOT_TEXT and not (code_shows(el) and in_code(el))):
            _replace(el, "")
        elif tag == "img":
            alt = " ".join((el.get("alt") or "").split())
            _replace(el, alt if images == "alt" else "")
        elif tag == "iframe":
            src = (el.get("src") or "").strip()
            _replace(el, _link_text(el.get("title") or "embedded content", src, links, state, numbers) if src else "")
        elif tag == "a":
            href = (el.get("href") or "").strip()
            inner = "".join(el.itertext())
            if href and not href.startswith(("#", "javascript:")) and inner.strip():
                label = _link_text(inner, href, links, state, numbers)
                _replace(el, label)
            else:
                el.drop_tag()
        elif tag == "q":
            el.text = "\u201c" + (el.text or "")
            if len(el):
                el[-1].tail = (el[-1].tail or "") + "\u201d"
            else:
                el.text += "\u201d"
            el.drop_tag()
        elif tag in ("pre",):
            # Code stays verbatim: its inline markup (highlighting spans) goes, its text stays,
            # a <br> (Hexo's highlighter ends every line with one) as a line end, each line
            # marked as code.
            text = code_text(el)
            for child in list(el):
                el.remove(child)
            el.text = _code_lines(text, state.code_line, state.code_start)
        elif tag not in KEEP:
            el.drop_tag()
    for el in body.iter():
        el.text = _guard(el.text, state.guards)
        if el is not body:
            el.tail = _guard(el.tail, state.guards)
        if len(el.attrib):
            _only_numbering(el)
    return state


def _code_lines(text: str, mark: str, start: str) -> str:
    """``text`` (a code block's) with ``mark`` opening each of its lines, after a line holding
    ``start``; the line end that ends the last line (the code's, not a line of its own) goes, as
    in a Markdown code block."""
    if not text.strip():
        return text  # nothing shown
    if text.endswith("\n"):
        text = text[:-1]
    return start + "\n" + mark + text.replace("\n", "\n" + mark)


def _task_marks(body: HtmlElement) -> None:
    """Each task item's checkbox (:func:`convert.html.tags.task_box`) becomes ``[x]`` or ``[ ]``
    at the start of its item's text (of the paragraph that follows it, in cmark-gfm's loose
    items: ``<li><input type="checkbox"> <p>a</p></li>``)."""
    for box in [box for li in body.iter("li") if (box := task_box(li)) is not None]:
        mark = "[x] " if is_checked(box) else "[ ] "
        after = box.getnext()
        if after is not None and after.tag == "p" and not (box.tail or "").strip():
            after.text = mark + (after.text or "")
            mark = ""
        _replace(box, mark)


def _only_numbering(el: HtmlElement) -> None:
    """Of an element's attributes, only what html2text lays text out by stays: a list's
    ``start`` number. (A valueless ``<ol start>`` fails html2text; nothing else is read.)"""
    start = (el.get("start") or "").strip() if el.tag == "ol" else ""
    el.attrib.clear()
    if start.lstrip("+-").isdigit():
        el.set("start", start)


_LISTED = 4096  # elements of a tree walked from a list (faster); a larger one is walked as it goes


def _elements_bottom_up(body: HtmlElement) -> Iterator[HtmlElement]:
    """The elements under ``body``, last first, each after its children: from a list of them
    for most posts, found as the walk goes (:func:`_bottom_up`) for a very large tree."""
    from itertools import islice

    listed = list(islice(body.iter(), _LISTED))
    if len(listed) < _LISTED:
        return (el for el in reversed(listed) if el is not body)
    del listed
    return _bottom_up(body)


def _bottom_up(body: HtmlElement) -> Iterator[HtmlElement]:
    """The elements under ``body`` from the last to the first in document order, each after
    its children (``reversed(list(body.iter()))`` without ``body``), found as the walk goes: no
    list of the whole tree is made. The element given may be removed or unwrapped before the
    next is asked for (its children were given already)."""
    stack: list[tuple[HtmlElement, HtmlElement | None]] = [(body, body[-1] if len(body) else None)]
    while stack:
        parent, child = stack[-1]
        if child is None:
            stack.pop()
            if stack:
                yield parent
            continue
        stack[-1] = (parent, child.getprevious())  # taken now: the child may go once given
        stack.append((child, child[-1] if len(child) else None))


def _link_text(text: str, href: str, mode: str, state: Prepared, numbers: dict[str, int]) -> str:
    if mode == "none":
        return text
    shown = " ".join(text.split())
    if shown == href or shown == href.split("://", 1)[-1].rstrip("/"):
        return text  # the text is the URL already
    if mode == "inline":
        stripped = text.rstrip()
        return f"{stripped} ({href}){text[len(stripped):]}"
    if href not in numbers:
        numbers[href] = len(state.links)
        state.links.append(href)
    stripped = text.rstrip()
    return f"{stripped}{REF_OPEN}{numbers[href]}{REF_CLOSE}{text[len(stripped):]}"


def _visible_code(code: HtmlElement) -> str:
    """The text of held code as this module reads code: hidden spans and "copy code" buttons
    gone (as in :func:`prepare`), a ``<br>`` a line end."""
    for el in reversed(list(code.iter())):
        if el is not code and isinstance(el.tag, str) and (is_hidden(el) or is_interface(el)):
            _replace(el, "")
    return code_text(code)


def _replace(el: HtmlElement, text: str) -> None:
    """Put ``text`` (and the element's tail) where the element was. Every tree here comes from
    :mod:`convert.html` (lxml.html), whose nodes have ``drop_tree``/``drop_tag``."""
    el.tail = text + (el.tail or "")
    el.drop_tree()


_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})


def _layout_tables(body: HtmlElement) -> None:
    """A table that holds tables (a page laid out with tables, a table of tables) or code blocks
    becomes blocks, each of its cells one after the other: plain text cannot draw a table or a
    code block in a table cell, and html2text, asked to, loses cells or spreads the code over
    rows of its own. The tables inside stay tables. (A highlighter's table of line numbers and
    code is a code block by now: :func:`_code_tables`.)"""
    for table in [t for t in body.iter("table") if any(True for _ in t.iterdescendants("table", "pre"))]:
        for el in _own_parts(table):
            el.tag = "div"
            for attr in ("colspan", "rowspan"):
                el.attrib.pop(attr, None)


def _own_parts(table: HtmlElement) -> list[HtmlElement]:
    """The table, its row groups, rows and cells, not those of tables inside its cells."""
    parts = [table]
    pending = [table]
    while pending:
        el = pending.pop()
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() in _TABLE_PARTS and child.tag.lower() != "table":
                parts.append(child)
                if child.tag.lower() not in ("td", "th", "caption"):
                    pending.append(child)
    return parts


def _code_tables(body: HtmlElement) -> None:
    """A highlighter's table of line numbers and code becomes its code (and its title): plain
    text shows a code block, not a table (:mod:`convert.html.codetable`)."""
    from convert.html.codetable import code_table

    for el in list(body.iter("figure", "table")):
        found = code_table(el)
        if found is None or el.getparent() is None:
            continue
        parts = [found.caption] if found.caption is not None else []
        parts.append(found.pre)
        tail = el.tail
        parent = el.getparent()
        index = parent.index(el)
        parent.remove(el)
        for offset, part in enumerate(parts):
            part.tail = None
            parent.insert(index + offset, part)
        parts[-1].tail = tail
