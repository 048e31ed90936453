"""Lists in Markdown: tight or loose as CommonMark reads them, markers that keep two lists in a
row apart, numbering kept within nine digits, content a browser shows between items (text,
stray elements) written as paragraphs between the parts of the list, and task items
(``- [x] done``). A part of :class:`convert.markdown.render.MarkdownRenderer`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.html.tags import is_checked, task_box
from convert.lazyre import lazy
from convert.markdown.blocks import is_loose
from convert.markdown.elements import dropped, is_block, tag_name
from convert.markdown.escape import BRACKET

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_THEMATIC_BREAK = lazy(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
#: What a task item's checkbox (:func:`convert.html.tags.task_box`) is written as until its
#: paragraph is closed: there :func:`take_task` turns it into ``[x]``/``[ ]`` before the text
#: that follows, which is escaped as a line start (``- [x] \# not a heading``). Control
#: characters no text in an lxml tree can hold (as :data:`convert.markdown.escape.BRACKET`).
TASK_DONE, TASK_OPEN = "\x02", "\x03"
_MARKS = {TASK_DONE: "[x]", TASK_OPEN: "[ ]"}
_TICK = lazy(r"(\[[xX])" + BRACKET)


class ListBlocks:
    """``block_ul``, ``block_ol``, ``block_menu``, a stray ``block_li``, and lists split by
    stray content."""

    blank_in_tight: bool
    task: HtmlElement | None

    if TYPE_CHECKING:

        def blocks_of(self, el: HtmlElement, tight: bool = False, final: bool = False) -> list[str]: ...
        def block(self, el: HtmlElement, final: bool = False) -> list[str]: ...
        def paragraphs_from_run(self, run: list[object]) -> list[list[str]]: ...

    def _split_list(self, el: HtmlElement) -> list[tuple[str, list[str]]]:
        """A list with content between its items, as (kind, lines) blocks: runs of items as
        lists (an ordered one numbered on), the rest as paragraphs."""
        ordered = tag_name(el) == "ol"
        out: list[tuple[str, list[str]]] = []
        run: list[object] = [el.text] if el.text else []
        items: list[HtmlElement] = []
        start = _start(el) if ordered else 1

        def flush_run() -> None:
            if any(not isinstance(x, str) or x.strip() for x in run):
                out.extend(("p", para) for para in self.paragraphs_from_run(run))
            run.clear()

        def flush_items() -> None:
            nonlocal start
            if items:
                out.append(("ol" if ordered else "ul", self._list(el, ordered, items=list(items), start=start)))
                start += len(items)
                items.clear()

        for child in el:
            if tag_name(child) == "li":
                flush_run()
                items.append(child)
            else:
                flush_items()
                if tag_name(child) and is_block(child):
                    flush_run()
                    out.append(("p", self.block(child)))
                elif tag_name(child):
                    run.append(child)
            if child.tail:
                if tag_name(child) == "li" and not child.tail.strip():
                    continue
                flush_items()
                run.append(child.tail)
        flush_items()
        flush_run()
        return out

    def _list(self, el: HtmlElement, ordered: bool, alternate: bool = False, items: list[HtmlElement] | None = None, start: int | None = None) -> list[str]:
        items = [li for li in el if tag_name(li) == "li"] if items is None else items
        if start is None:
            start = _start(el) if ordered else 1
        if ordered:
            start = min(max(start, 0), 999_999_999 - len(items))  # 9 digits at most
        loose = any(is_loose(li) for li in items)
        bodies = [self._item_body(li, tight=not loose) for li in items]
        if not loose and any(needs_blank for _, needs_blank in bodies):
            # An item needs a blank line between its blocks: CommonMark then calls the whole
            # list loose, so write it loose.
            loose = True
            bodies = [self._item_body(li, tight=False) for li in items]
        bullet = "+" if alternate else "-"  # not "*": "* * * *" is a thematic break
        if any(_THEMATIC_BREAK.match(f"{bullet} {body[0]}") for body, _ in bodies):
            bullet = "-" if alternate else "+"  # "- - -" (empty items nested three deep) is one too
        out: list[str] = []
        for i, (body, _) in enumerate(bodies):
            marker = f"{start + i}{')' if alternate else '.'}" if ordered else bullet
            if out and loose:
                out.append("")
            indent = " " * (len(marker) + 1)
            first = body[0]
            out.append(marker + (" " + first if first else ""))
            out.extend((indent + line) if line else "" for line in body[1:])
        return out

    def _item_body(self, li: HtmlElement, tight: bool) -> tuple[list[str], bool]:
        """An item's lines, and whether a tight item had to put a blank line between blocks."""
        saved = self.blank_in_tight, self.task
        self.blank_in_tight, self.task = False, task_box(li)
        try:
            body = self.blocks_of(li, tight=tight) or [""]
            return body, self.blank_in_tight
        finally:
            self.blank_in_tight, self.task = saved

    def block_ul(self, el: HtmlElement) -> list[str]:
        return self._list(el, ordered=False)

    def block_menu(self, el: HtmlElement) -> list[str]:
        return self._list(el, ordered=False)

    def block_ol(self, el: HtmlElement) -> list[str]:
        return self._list(el, ordered=True)

    def block_li(self, el: HtmlElement) -> list[str]:  # a stray <li> outside a list
        return self._list_item_alone(el)

    def _list_item_alone(self, el: HtmlElement) -> list[str]:
        saved, self.task = self.task, task_box(el)
        try:
            body = self.blocks_of(el)
        finally:
            self.task = saved
        return ["- " + body[0], *(("  " + line) if line else "" for line in body[1:])] if body else []


def task_sentinel(box: HtmlElement) -> str:
    """What a task item's checkbox is written as until its paragraph is closed."""
    return TASK_DONE if is_checked(box) else TASK_OPEN


def take_task(text: str) -> tuple[str, str]:
    """A paragraph's text that opens with a task item's checkbox: (``[x]`` or ``[ ]``, the rest
    of the text); else ("", the text)."""
    mark = _MARKS.get(text[:1], "")
    return (mark, text[1:].lstrip(" ")) if mark else ("", text)


def with_task(mark: str, text: str) -> str:
    """A task item's paragraph: its mark, then its text (escaped as a line start). cmark-gfm
    (GitHub) ticks an item whose first line holds ``[x]`` or ``[X]`` anywhere (its tasklist
    extension looks for them with ``strstr``), so in an open item's first line their ``]`` is
    escaped: ``- [ ] \\[x\\] was the old mark``."""
    if not text:
        return mark
    if mark == "[ ]" and BRACKET in text:
        first, newline, rest = text.partition("\n")
        text = _TICK.sub(r"\1\\]", first) + newline + rest
    return f"{mark} {text}"


def join_task(blocks: list[tuple[str, list[str]]]) -> None:
    """The blocks of a task item whose checkbox is a paragraph of its own. Before a paragraph
    (cmark-gfm's loose items: ``<li><input type="checkbox"> <p>a</p></li>``) the mark opens that
    paragraph. Else the box stays HTML: ``- [x]`` with nothing after it is text to every engine."""
    if not blocks or blocks[0][0] != "p" or blocks[0][1] not in (["[x]"], ["[ ]"]):
        return
    mark = blocks[0][1][0]
    if len(blocks) > 1 and blocks[1][0] == "p":
        del blocks[0]
        first, *rest = blocks[0][1]
        blocks[0] = ("p", [with_task(mark, first), *rest])
    else:  # an HTML block, which runs to a blank line
        blocks[0] = ("input", ['<input type="checkbox" checked disabled>' if mark == "[x]" else '<input type="checkbox" disabled>'])


def _start(el: HtmlElement) -> int:
    try:
        return int(el.get("start", "1"))
    except ValueError:
        return 1


def has_stray_content(el: HtmlElement) -> bool:
    """Whether a list holds something other than items: text, or elements that are not <li>."""
    if (el.text or "").strip():
        return True
    for child in el:
        name = tag_name(child)
        if name and name != "li" and not dropped(child):
            return True
        if (child.tail or "").strip():
            return True
    return False
