"""Plain text on html2text: for newsletters, search indexes and language-model corpora.

:func:`render_text` takes a document's body through :func:`convert.text.prepare.prepare` (only
visible text, links and images settled), lays it out with html2text configured for plain text
(no wrapping unless asked, no emphasis marks, no Markdown escapes, padded tables, code verbatim),
then turns html2text's Markdown leftovers into plain-text layout: heading marks go, quote marks
become indentation, the link references are listed at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from convert.html import cut_before_tag, escape_text
from convert.text.prepare import REF_CLOSE, REF_OPEN, prepare

if TYPE_CHECKING:
    from convert.html.held import HeldCode

# Every "#" and ">" left in html2text's output is one of its marks: the text's own were swapped
# for placeholders before (convert.text.prepare.GUARDS).
_HEADING = re.compile(r"#{1,6} ?")
_QUOTE = re.compile(r"(?:> ?)+")
_REF = re.compile(REF_OPEN + r"(\d+)" + REF_CLOSE)
_PART = 1 << 20  # bytes of markup fed to html2text at a time


@dataclass
class TextOptions:
    width: int = 0  # 0: no wrapping (CJK text has no spaces to wrap at)
    links: str = "ref"  # ref | inline | none
    images: str = "alt"  # alt | none


def _html2text(markup: list[bytes], width: int) -> str:
    """html2text's layout of ``markup`` (UTF-8 pieces, fed a part at a time and emptied)."""
    import html2text

    h = html2text.HTML2Text(bodywidth=width)
    h.unicode_snob = True  # characters as they are, never ASCII look-alikes
    h.ignore_emphasis = True
    h.ignore_links = True  # links were settled before (prepare); nothing left to mark
    h.ignore_images = True
    h.ignore_mailto_links = True
    h.pad_tables = True  # columns aligned for a monospaced view
    h.ul_item_mark = "-"
    h.wrap_list_items = width > 0
    h.wrap_links = False
    h.single_line_break = False
    h.mark_code = False
    h.escape_snob = False
    # No Markdown escapes at all: data reaches the output as it is. html2text escapes in
    # handle_data unless it is told the data came from an entity; the flag does nothing else.
    plain_handle_data = h.handle_data
    h.handle_data = lambda data, entity_char=False: plain_handle_data(data, True)  # type: ignore[method-assign]
    from codecs import getincrementaldecoder

    from html2text.utils import pad_tables_in_text

    decoder = getincrementaldecoder("utf-8")()
    h.start = True
    markup.reverse()
    while markup:
        piece = markup.pop()
        start = 0
        while start < len(piece):
            # Parts end before a "<" (lxml escapes every other one), so no run of text is
            # split: html2text would lay out its two halves on their own.
            end = cut_before_tag(piece, start, _PART)
            h.feed(decoder.decode(piece[start:end]))
            start = end
        del piece
    h.feed(decoder.decode(b"", final=True))
    h.feed("")
    return pad_tables_in_text(h.optwrap(h.finish()))  # what HTML2Text.handle does after feeding


def render_text(body: object, options: TextOptions | None = None, *, release: Callable[[], None] | None = None, held: HeldCode | None = None) -> str:
    """The plain text of ``body`` (an lxml tree the caller owns: it is changed). ``release`` is
    called once the tree is no longer needed (before the layout), so a caller can free it;
    ``held``: the code held out of that tree (:mod:`convert.html.held`)."""
    options = options or TextOptions()
    state = prepare(body, links=options.links, images=options.images, held=held)  # type: ignore[arg-type]
    markup = _serialized(body)
    body.clear(keep_tail=True)  # type: ignore[attr-defined]  # the tree goes (whoever still holds its root)
    del body
    if release is not None:
        release()
    lines = _html2text(markup, options.width).split("\n")
    del markup
    # Line by line, in place: a large text is never copied whole.
    quote, heading = _QUOTE.sub, _HEADING.sub
    guards = [(placeholder, char) for char, placeholder in state.guards.items()]
    order: dict[int, int] = {}  # link index -> its number, in the order the references appear

    def number(m: re.Match[str]) -> str:
        index = int(m.group(1))
        if index not in order:
            order[index] = len(order) + 1
        return f"[{order[index]}]"

    kept = 0
    for line in lines:
        if ">" in line:
            line = quote(lambda m: "    " * m.group(0).count(">"), line)
        if "#" in line:
            line = heading("", line)
        for placeholder, char in guards:
            if placeholder in line:
                line = line.replace(placeholder, char)
        line = line.rstrip()
        if state.links and REF_OPEN in line:
            line = _REF.sub(number, line)
        if not line and (kept == 0 or not lines[kept - 1]):
            continue  # blank lines at the start, and a second one in a row, go
        lines[kept] = line
        kept += 1
    del lines[kept:]
    if lines and not lines[-1]:
        lines.pop()
    refs = [f"[{n}] {state.links[index]}" for index, n in order.items()]
    if refs:
        lines.extend(["", *refs] if lines else refs)
    if not lines:
        return ""
    lines.append("")
    text = "\n".join(lines)
    lines.clear()
    return text


def _serialized(body: object) -> list[bytes]:
    """The body's content as HTML, UTF-8, one piece per child: never joined."""
    from lxml.html import tostring

    pieces = [escape_text(body.text).encode("utf-8")] if body.text else []  # type: ignore[attr-defined]
    pieces.extend(tostring(child, encoding="utf-8", method="html", with_tail=True) for child in body)  # type: ignore[attr-defined]
    return pieces
