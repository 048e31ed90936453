"""Highlighted code held out of the tree.

A highlighter (highlight.js, Prism, Pygments, Shiki, Hexo's) wraps every token of a code block in
a ``<span>``: 20 MB of highlighted code is some 360,000 elements, about 700 bytes each in libxml2,
so the tree alone would be 13 times the input. Yet everything that reads a tree sees a code block
as its text: the Markdown writer writes a fence, plain text keeps the code verbatim, lint and the
language guess read text. So a ``<pre>`` whose content is only text, ``<span>`` and ``<br>``
(inside one optional ``<code>``) is held out when the body is parsed:

* the tree keeps the block's elements (``<pre>``, its ``<code>``, with their attributes) and the
  code's text (a ``<br>`` is a line end, a "copy code" button is not code), as a writer reads it;
* its markup is kept aside as the string it was written as (its own bytes, about the size of the
  input's code), and parsed again, one block at a time, when someone needs it: the HTML and JSON
  writers (:meth:`HeldCode.serialize` puts it back byte for byte as the tree would have written
  it), raw HTML kept in Markdown, and the XHTML sanitizer (which sanitizes it on its own).

Plain text reads a held block without its hidden spans and "copy code" buttons, as it reads
any code (:func:`convert.plaintext.prepare.prepare` parses the block again for that).

Only writers ask for it (``Document.hold_code``), never lint (which reports the file's own lines);
and only blocks of at least :data:`MIN_TAGS` tags, where the tree would cost what matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from convert.html.parse import parse_body
from convert.lazyre import lazy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: blocks with fewer tags stay in the tree (they cost little, and are the common case)
MIN_TAGS = 32

OPEN, CLOSE = "\ue310", "\ue311"
_PLACEHOLDER = lazy(OPEN + r"([0-9]+)" + CLOSE)
_PRE = lazy(r"<pre(?:\s[^<>]*)?>", re.IGNORECASE)
_PRE_END = lazy(r"</pre[\s/>]", re.IGNORECASE)
_CODE_START = lazy(r"<code(?:\s[^<>]*)?>", re.IGNORECASE)
_CODE_END = lazy(r"</code\s*>\Z", re.IGNORECASE)
_TAG = lazy(r"</?span(?:\s[^<>]*)?>|</?br\s*/?>", re.IGNORECASE)


def code_text(el: HtmlElement) -> str:
    """The text of a code element as a code block shows it: a ``<br>`` is a line end, a "copy
    code" button that a highlighter put inside is not code, nor is an interface element, but one
    whose content a browser shows is code that lost its escape (:func:`convert.html.tags.code_shows`:
    ``Optional<Button> b`` shows ``Optional b``)."""
    from convert.html.tags import code_shows, is_interface

    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            if is_interface(child) and not code_shows(child):
                pass
            elif child.tag == "br":
                parts.append("\n")
            else:
                parts.append(code_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class HeldCode:
    """The code blocks held out of one document's tree (see the module docstring)."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, bool]] = []  # (inner markup, wrapped in <code>) by placeholder
        self.blocks: dict[HtmlElement, tuple[str, bool]] = {}  # the element that holds the text -> its markup

    def __len__(self) -> int:
        return len(self.blocks)

    def hold(self, markup: str) -> str:
        """``markup`` with the content of each block to hold replaced by a placeholder."""
        if OPEN in markup or CLOSE in markup:  # a post holding the placeholders itself: nothing held
            return markup
        out: list[str] = []
        last = 0
        closed = 0  # where the last </pre> found ends: a <pre> before it lies inside that block
        for m in _PRE.finditer(markup):
            if m.start() < max(last, closed):
                continue  # nested in a block already looked at (linear time, however many)
            end = _PRE_END.search(markup, m.end())
            if end is None:
                break
            closed = end.end()
            inner = markup[m.end() : end.start()]
            wrapped = False
            code = _CODE_START.match(inner)
            code_end = _CODE_END.search(inner) if code is not None else None
            if code is not None and code_end is not None:
                wrapped = True
                head = m.end() + code.end()
                inner = inner[code.end() : code_end.start()]
            else:
                head = m.end()
            if not _eligible(inner):
                continue
            out.append(markup[last:head])
            out.append(f"{OPEN}{len(self.pending)}{CLOSE}")
            self.pending.append((inner, wrapped))
            last = head + len(inner)
        if not out:
            return markup
        out.append(markup[last:])
        return "".join(out)

    def attach(self, body: HtmlElement) -> bool:
        """Find each placeholder in the parsed tree and give its element the code's text. False
        when one is not where it was put (markup that a parser moves around): the caller then
        parses the body again without holding anything."""
        pending = self.pending
        if not pending:
            return True
        found: dict[int, HtmlElement] = {}
        # Texts are checked first, all of them, before any element is changed.
        for pre in body.iter("pre"):
            wrapped_el = pre[0] if len(pre) == 1 else None
            for el, wrapped in ((pre, False), (wrapped_el, True)):
                if el is None or el.text is None or OPEN not in el.text:
                    continue
                m = _PLACEHOLDER.fullmatch(el.text)
                if m is None or len(el) or int(m.group(1)) >= len(pending) or pending[int(m.group(1))][1] != wrapped:
                    return False
                if wrapped and (el.tag != "code" or el.tail or pre.text):
                    return False
                found[int(m.group(1))] = el
        if len(found) != len(pending):
            return False
        for index, el in found.items():
            inner, wrapped = pending[index]
            target = _parse_block(inner, wrapped)
            if target is None:
                return False
            if _shown_as_block(el if not wrapped else el.getparent()):
                el.text = code_text(target) or None
                self.blocks[el] = (inner, wrapped)
            else:
                # Inside a link, a heading, a table cell...: the code is read as inline text
                # there (each writer its own way), so the block goes back in whole.
                el.text = target.text
                for child in list(target):
                    el.append(child)
        self.pending = []
        return True

    def unhold(self, markup: str) -> str:
        """``markup`` (as :meth:`hold` made it) with every held block back in place."""
        pending = self.pending
        return _PLACEHOLDER.sub(lambda m: pending[int(m.group(1))][0] if int(m.group(1)) < len(pending) else m.group(0), markup)

    def copied(self, original: HtmlElement, copy: HtmlElement) -> HeldCode:
        """The same held code for ``copy``, a deep copy of the tree ``original``."""
        view = HeldCode()
        if self.blocks:
            for before, after in zip(original.iter(), copy.iter(), strict=True):
                if before in self.blocks:
                    view.blocks[after] = self.blocks[before]
        return view

    def parsed(self, el: HtmlElement) -> HtmlElement:
        """A held element's content as the tree would have held it: a ``<pre>`` or ``<code>`` of
        a tree of its own."""
        inner, wrapped = self.blocks[el]
        target = _parse_block(inner, wrapped)
        assert target is not None  # it parsed when it was held
        return target

    def markup(self, el: HtmlElement) -> str:
        """A held element's content as HTML, as serializing the tree would have written it."""
        from lxml.html import tostring

        target = self.parsed(el)
        pre = target if target.tag == "pre" else target.getparent()
        html = tostring(pre, encoding="unicode", method="html", with_tail=False)
        head = "<pre><code>" if target.tag == "code" else "<pre>"
        tail = "</code></pre>" if target.tag == "code" else "</pre>"
        return html.removeprefix(head).removesuffix(tail)

    @contextmanager
    def swapped(self, root: HtmlElement) -> Iterator[Callable[[str], str]]:
        """Inside the block, each held element under ``root`` (``root`` included) holds a
        placeholder instead of its text; the function given turns serialized markup with those
        placeholders into the markup of the original content."""
        saved: list[tuple[HtmlElement, str | None]] = []
        if self.blocks:
            for el in root.iter():
                if el in self.blocks:
                    saved.append((el, el.text))
                    el.text = f"{OPEN}{len(saved) - 1}{CLOSE}"
        try:
            if not saved:
                yield lambda html: html
                return
            yield lambda html: _PLACEHOLDER.sub(lambda m: self.markup(saved[int(m.group(1))][0]), html)
        finally:
            for el, text in saved:
                el.text = text

    def serialize(self, el: HtmlElement, *, with_tail: bool = False) -> str:
        """``el`` as HTML (``lxml.html.tostring``) with its held code put back."""
        from lxml.html import tostring

        with self.swapped(el) as restore:
            return restore(tostring(el, encoding="unicode", method="html", with_tail=with_tail))


#: containers whose children every writer reads as blocks (a <pre> in them is a code block)
_BLOCK_CONTAINERS = frozenset("body div section article main aside header footer nav li ul ol blockquote figure center dd dl details".split())


def _shown_as_block(pre: HtmlElement) -> bool:
    """Whether every writer shows ``pre`` as a code block of its own: every ancestor is a
    container of blocks (or the code cell of a highlighter's table, convert.html.codetable)."""
    for ancestor in pre.iterancestors():
        tag = ancestor.tag
        if tag in _BLOCK_CONTAINERS or tag in ("html", "tr", "tbody", "table"):
            continue
        if tag == "td" and "code" in (ancestor.get("class") or "").split():
            continue
        return False
    return True


def _eligible(inner: str) -> bool:
    """Worth holding, and nothing in it but text, ``<span>`` and ``<br>``."""
    tags = inner.count("<")
    if tags < MIN_TAGS:
        return False
    return sum(1 for _ in _TAG.finditer(inner)) == tags


def _parse_block(inner: str, wrapped: bool) -> HtmlElement | None:
    """The block parsed on its own; None if it turned out to hold more than spans and breaks."""
    body = parse_body(f"<pre><code>{inner}</code></pre>" if wrapped else f"<pre>{inner}</pre>")
    if len(body) != 1 or body[0].tag != "pre" or body.text or body[0].tail:
        return None
    pre = body[0]
    target = pre
    if wrapped:
        if len(pre) != 1 or pre[0].tag != "code" or pre.text or pre[0].tail:
            return None
        target = pre[0]
    if any(el.tag not in ("span", "br") for el in target.iterdescendants()):
        return None
    return target
