"""Embedded media in Markdown: iframes, video and audio stay HTML wherever they stand.

Standing alone they are HTML blocks (:meth:`MarkdownRenderer.raw_html`); inside a paragraph,
list item, quote, table cell or link they are one line of inline HTML. Two engine rules shape
the rest: a line that opens with ``<iframe`` is an HTML block to every engine (CommonMark's type
6, kramdown's block elements), which ends the paragraph and leaves its other lines unread as
Markdown; and kramdown shows an ``<iframe>`` inside a line of Markdown text as text (video and
audio it reads), so for it such text is written as HTML (``Profile.inline_iframes``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from convert.lazyre import lazy
from convert.markdown.elements import dropped, is_block, tag_name

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.html.held import HeldCode

_WS_LINE = lazy(r"[ \t]*[\n\r][ \t\n\r\f]*")
_BREAK_BEFORE_IFRAME = lazy(r"(?<!\\)((?:\\\\)*)\\\n[ ]*(?=<iframe[\s/>])", re.IGNORECASE)
_LEADING_IFRAMES = lazy(r"(?:<iframe[\s/>].*?</iframe>(?:[ ]|<br>)*)+", re.IGNORECASE | re.DOTALL)


def one_line(el: HtmlElement, held: HeldCode | None) -> str:
    """``el`` as HTML on one line (a line end inside would let a blank line end the HTML)."""
    from lxml.html import tostring

    html = held.serialize(el) if held else tostring(el, encoding="unicode", method="html", with_tail=False)
    return _WS_LINE.sub(" ", html)


def run_html(run: list[object], tag: str, held: HeldCode | None) -> str:
    """A run of inline content (text and elements) as one ``<tag>`` of HTML on one line."""
    from html import escape

    parts = [escape(item, quote=False) if isinstance(item, str) else one_line(item, held) for item in run]  # type: ignore[arg-type]
    return f"<{tag}>" + _WS_LINE.sub(" ", "".join(parts)).strip(" ") + f"</{tag}>"


def iframe_in_text(run: list[object]) -> bool:
    """Whether a run of inline content holds an iframe beside something else to show."""
    if not any(True for item in run if not isinstance(item, str) for _ in item.iter("iframe")):  # type: ignore[attr-defined]
        return False
    if any(isinstance(item, str) and item.strip() for item in run):
        return True
    return any(tag_name(item) not in ("iframe", "br") for item in run if not isinstance(item, str))  # type: ignore[arg-type]


def beside_text(run: list[object], el: HtmlElement) -> bool:
    """Whether an embed (an iframe in ``<li>text <iframe></li>``) stands in a line of inline
    content: text or an inline element before it in ``run``, or text right after it. It is then
    part of that paragraph, as the browser shows it; standing alone it is a block of its own."""
    if (el.tail or "").strip() or any(not isinstance(item, str) or item.strip() for item in run):
        return True
    after = el.getnext()
    return after is not None and isinstance(after.tag, str) and not is_block(after) and tag_name(after) != "br" and not dropped(after)


def leading_iframes(text: str) -> tuple[str | None, str]:
    """A paragraph's Markdown with no line opening with an iframe: a break before one becomes
    ``<br>`` on the same line, and iframes that open the paragraph are returned apart, as a
    ``<p>`` of their own (None when there are none), with the rest of the text."""
    text = _BREAK_BEFORE_IFRAME.sub(lambda m: m.group(1) + "<br>", text)
    lead = _LEADING_IFRAMES.match(text)
    if not lead:
        return None, text
    return f"<p>{lead.group().rstrip()}</p>", text[lead.end() :].lstrip(" ")
