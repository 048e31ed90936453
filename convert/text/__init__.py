"""Plain text on html2text: for newsletters, search indexes and language-model corpora.

:func:`render_text` takes a document's body through :func:`convert.text.prepare.prepare` (only
visible text, links and images settled), lays it out with html2text configured for plain text
(no wrapping unless asked, no emphasis marks, no Markdown escapes, padded tables, code verbatim),
then turns html2text's Markdown leftovers into plain-text layout: heading marks go, quote marks
become indentation, the link references are listed at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from convert.text.prepare import REF_CLOSE, REF_OPEN, prepare

# Every "#" and ">" left in html2text's output is one of its marks: the text's own were swapped
# for placeholders before (convert.text.prepare.GUARDS).
_HEADING = re.compile(r"#{1,6} ?")
_QUOTE = re.compile(r"(?:> ?)+")
_BLANKS = re.compile(r"\n{3,}")
_REF = re.compile(REF_OPEN + r"(\d+)" + REF_CLOSE)


@dataclass
class TextOptions:
    width: int = 0  # 0: no wrapping (CJK text has no spaces to wrap at)
    links: str = "ref"  # ref | inline | none
    images: str = "alt"  # alt | none


def _html2text(markup: str, width: int) -> str:
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
    return h.handle(markup)


def render_text(body: object, options: TextOptions | None = None) -> str:
    """The plain text of ``body`` (an lxml tree the caller owns: it is changed)."""
    from convert.html import inner_html

    options = options or TextOptions()
    state = prepare(body, links=options.links, images=options.images)  # type: ignore[arg-type]
    raw = _html2text(inner_html(body), options.width)  # type: ignore[arg-type]
    text = _QUOTE.sub(lambda m: "    " * m.group(0).count(">"), raw)
    text = _HEADING.sub("", text)
    for char, placeholder in state.guards.items():
        text = text.replace(placeholder, char)
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")
    if state.links:
        # Numbered in the order the references appear in the text, listed in that order.
        order: dict[int, int] = {}

        def number(m: re.Match[str]) -> str:
            index = int(m.group(1))
            if index not in order:
                order[index] = len(order) + 1
            return f"[{order[index]}]"

        text = _REF.sub(number, text)
        refs = "\n".join(f"[{n}] {state.links[index]}" for index, n in order.items())
        if refs:
            text = f"{text}\n\n{refs}" if text else refs
    return text + "\n" if text else ""
