"""Plain text on html2text: for newsletters, search indexes and language-model corpora.

:func:`render_text` takes a document's body through :func:`convert.plaintext.prepare.prepare` (only
visible text, links and images settled), lays it out with html2text configured for plain text
(no wrapping unless asked, no emphasis marks, no Markdown escapes, padded tables, code verbatim),
then turns html2text's Markdown leftovers into plain-text layout: heading marks go, quote marks
become indentation, the link references are listed at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convert.html import cut_before_tag, escape_text
from convert.plaintext.prepare import CODE_LINE, CODE_START, REF_CLOSE, REF_OPEN, prepare

if TYPE_CHECKING:
    from convert.html.held import HeldCode

# Every "#" and ">" left in html2text's output is one of its marks: the text's own were swapped
# for placeholders before (convert.plaintext.prepare.GUARDS).
_HEADING = re.compile(r"#{1,6} ?")
_QUOTE = re.compile(r"(?:> ?)+")
_REF = re.compile(REF_OPEN + r"(\d+)" + REF_CLOSE)
_PART = 1 << 20  # bytes of markup fed to html2text at a time


@dataclass
class TextOptions:
    width: int = 0  # 0: no wrapping (CJK text has no spaces to wrap at)
    links: str = "ref"  # ref | inline | none
    images: str = "alt"  # alt | none


def _html2text(markup: list[bytes], width: int, code: tuple[str, ...] = (CODE_LINE, CODE_START)) -> list[str]:
    """html2text's layout of ``markup`` (UTF-8 pieces, fed a part at a time and emptied);
    ``code``: the marks of code's lines (:func:`convert.plaintext.prepare.prepare`)."""
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

    decoder = getincrementaldecoder("utf-8")()
    h.start = True
    # html2text keeps its output as many small strings (a few characters each); they become
    # lines as it goes (the last string stays: html2text looks back at it). Lines, not one text:
    # only a line with a character above U+00FF takes two or four bytes per character.
    lines = _Lines()
    output = h.outtextlist
    if sum(len(piece) for piece in markup) <= _PART:  # most posts: one call (each one is slow)
        markup[:] = [b"".join(markup)]
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
            if len(output) > 1:
                lines.add(_NBSP.join("".join(output[:-1]).split(_NBSP_HELD)))
                del output[:-1]
        del piece
    h.feed(decoder.decode(b"", final=True))
    h.feed("")
    rest = h.finish()  # what HTML2Text.handle does after feeding: the rest, the spaces
    if h.body_width:  # paragraphs wrapped: a pass over the whole text
        return _table_lines(_wrapped(h, "\n".join(lines.done()) + rest, code))
    lines.add(rest)
    return _table_lines(lines.done())


def _wrapped(h: Any, text: str, code: tuple[str, ...]) -> list[str]:
    """html2text's wrap (``optwrap``) of ``text``'s paragraphs, its lines of code left as they
    are: each goes through as a line that html2text takes for code (four spaces first: in a
    quote, the "> " first would have it wrapped as prose) and is put back after."""
    held: list[str] = []
    mark = code[0]

    def hold(line: str) -> str:
        if not any(m in line for m in code):
            return line
        held.append(line)
        return f"    {mark}{len(held) - 1}"

    text = h.optwrap("\n".join(hold(line) for line in text.split("\n")))
    return [held[int(line[4 + len(mark) :])] if mark in line else line for line in text.split("\n")]


_NBSP_HELD, _NBSP = "&nbsp_place_holder;", "\u00a0"  # what html2text's finish() puts back


class _Lines(list[str]):
    """Text added a part at a time, kept as its lines (``"".join(parts).split("\n")``)."""

    pending = ""

    def add(self, text: str) -> None:
        split = text.split("\n")
        split[0] = self.pending + split[0]
        self.pending = split.pop()
        self.extend(split)

    def done(self) -> list[str]:
        self.append(self.pending)
        self.pending = ""
        return self


def _table_lines(lines: list[str]) -> list[str]:
    """html2text's table padding (``pad_tables_in_text``) on lines: the lines between two table
    markers padded by its ``reformat_table``, a blank line after. Unlike html2text's own, the
    text that shares a line with a marker (``intro<table>`` in one block) is kept, and a table
    without text is left out (html2text's own fails on one of no lines)."""
    from html2text.config import TABLE_MARKER_FOR_PAD as marker
    from html2text.utils import reformat_table

    if not any(marker in line for line in lines):
        return lines
    start, end = f"<{marker}>", f"</{marker}>"
    out: list[str] = []  # references to the same strings: a list of pointers, not a copy
    table: list[str] = []
    inside = False
    for line in lines:
        if marker not in line:
            (table if inside else out).append(line)
            continue
        text = line.replace(start, "").replace(end, "")
        inside = not inside
        if inside:
            if text.strip():
                out.extend([text.rstrip(), ""])
        else:
            if any(line.strip(" |-") for line in table):  # a table with no text shows nothing
                out.extend(reformat_table(table, 1))
            table = []
            out.append("")
            if text.strip():
                out.append(text)
    return out


def _empty(el: Any) -> None:
    el.clear(keep_tail=True)


def render_text(body: object, options: TextOptions | None = None, *, release: Callable[[], None] | None = None, held: HeldCode | None = None) -> str:
    """The plain text of ``body`` (an lxml tree the caller owns: it is changed). ``release`` is
    called once the tree is no longer needed (before the layout), so a caller can free it;
    ``held``: the code held out of that tree (:mod:`convert.html.held`)."""
    lines = render_text_lines(body, options, release=release, held=held)
    text = "\n".join(lines)
    lines.clear()
    return text


def render_text_lines(
    body: object,
    options: TextOptions | None = None,
    *,
    release: Callable[[], None] | None = None,
    held: HeldCode | None = None,
    discard: Callable[[object], None] | None = None,
) -> list[str]:
    """:func:`render_text` as lines, to be joined by line ends (the last one empty, so the
    text ends with one; no lines for no text). ``discard`` empties an element once it is
    written (a document's :meth:`~convert.model.Document.discard`)."""
    options = options or TextOptions()
    state = prepare(body, links=options.links, images=options.images, held=held)  # type: ignore[arg-type]
    markup = _serialized(body, discard or _empty)
    body.clear(keep_tail=True)  # type: ignore[attr-defined]  # the tree goes (whoever still holds its root)
    del body
    if release is not None:
        release()
    lines = _html2text(markup, options.width, (state.code_line, state.code_start))
    del markup
    # Line by line, in place: a large text is never copied whole.
    quote, heading = _QUOTE.sub, _HEADING.sub
    guards = [(placeholder, char) for char, placeholder in state.guards.items()]
    code_line, code_start = state.code_line, state.code_start
    order: dict[int, int] = {}  # link index -> its number, in the order the references appear

    def number(m: re.Match[str]) -> str:
        index = int(m.group(1))
        if index not in order:
            order[index] = len(order) + 1
        return f"[{order[index]}]"

    kept = 0
    for line in lines:
        coded = code_line in line
        if coded:
            line = line.replace(code_line, "")
        opens = code_start in line
        if opens:
            line = line.replace(code_start, "")
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
        if not line and (kept == 0 or opens or (not coded and not lines[kept - 1])):
            continue  # blank lines at the start, before code, and a second one in a row (but a line of code), go
        lines[kept] = line
        kept += 1
    del lines[kept:]
    if lines and not lines[-1]:
        lines.pop()
    refs = [f"[{n}] {state.links[index]}" for index, n in order.items()]
    if refs:
        lines.extend(["", *refs] if lines else refs)
    if lines:
        lines.append("")
    return lines


def _serialized(body: object, discard: Callable[[object], None]) -> list[bytes]:
    """The body's content as HTML, UTF-8, in pieces (never joined): one per child, and for an
    element of many children (a wrapper such as ``<article>``) its start tag, its children one
    by one, its end tag. Each child is ``discard``-ed once written, so the pieces replace the tree
    as they are made instead of adding to it."""
    pieces = [escape_text(body.text).encode("utf-8")] if body.text else []  # type: ignore[attr-defined]
    _serialize_children(body, pieces, discard)
    return pieces


_WRAPPER = 64  # children that make an element written a child at a time
_WHOLE = frozenset({"pre", "textarea", "listing", "plaintext", "script", "style", "svg", "math", "template"})


def _serialize_children(el: Any, pieces: list[bytes], discard: Callable[[object], None]) -> None:
    from lxml.html import tostring

    for child in el:
        if len(child) < _WRAPPER or not isinstance(child.tag, str) or child.tag in _WHOLE:
            pieces.append(tostring(child, encoding="utf-8", method="html", with_tail=True))
        else:
            at = len(pieces)
            pieces.append(b"")  # the start tag, written once the children are gone
            _serialize_children(child, pieces, discard)
            del child[:]
            # What lxml writes for the element without its children: start tag and text, end
            # tag, tail (the element itself, so each attribute is written as it was read).
            bare = tostring(child, encoding="utf-8", method="html", with_tail=False)
            # (an element that may omit its end tag, written empty, is its start tag alone).
            end = b"</" + child.tag.encode("utf-8") + b">"
            pieces[at] = bare[: -len(end)] if bare.endswith(end) else bare
            pieces.append(end + tostring(child, encoding="utf-8", method="html", with_tail=True)[len(bare) :])
        discard(child)
