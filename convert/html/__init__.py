"""HTML bodies: parsed into an lxml tree (:mod:`convert.html.parse`, whose names are importable
from here), and serialized back.

Beside them: :mod:`.tags` (what each element is), :mod:`.footnotes`, :mod:`.held` (highlighted
code held out of the tree), :mod:`.templates` (template code kept verbatim), :mod:`.codetable`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.html.parse import (
    PreparedBody,
    cut_before_tag,
    parse_body,
    prepare_body,
    repair_lost_escapes,
    unprepared,
)

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.html.held import HeldCode

__all__ = ["MAX_DEPTH", "PreparedBody", "cut_before_tag", "escape_text", "inner_html", "parse_body", "prepare_body", "repair_lost_escapes", "serialize_body", "unprepared"]


def escape_text(text: str, *, quote: bool = False) -> str:
    """``&``, ``<`` and ``>`` as references, and with ``quote`` both quotes too: what
    ``html.escape`` does (importing :mod:`html` loads its table of 2,000 named references, a
    millisecond of start-up, for these five replacements)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def inner_html(element: HtmlElement) -> str:
    """The markup of an element's content (its text and children), as HTML."""
    from lxml.html import tostring

    parts = [escape_text(element.text)] if element.text else []
    for child in element:
        parts.append(tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def serialize_body(body: HtmlElement, held: HeldCode | None = None) -> str:
    """The body's markup, with its ``held`` code put back (:mod:`convert.html.held`). A
    carriage return in text is written ``&#13;`` so it survives."""
    if held:
        with held.swapped(body) as restore:
            html = restore(inner_html(body))
    else:
        html = inner_html(body)
    return carriage_returns_as_references(html)


def carriage_returns_as_references(markup: str) -> str:
    """Serialized HTML with each carriage return (a ``&#13;`` in the source) written ``&#13;``
    again: read back, a raw one is a line end, which parsers (and Markdown) make a line feed."""
    return markup.replace("\r", "&#13;") if "\r" in markup else markup
