"""HTML tree to CommonMark (+ GFM tables and strikethrough).

One small method per element: ``block_<tag>`` renders a block-level element to a list of lines,
``inline_<tag>`` an inline element to a string. Anything without a method is a container (blocks)
or a span (inline). Rules:

* text is escaped exactly where CommonMark would read it as markup (see :mod:`.escape`);
* lines are never wrapped (a soft break inside CJK text renders as a stray space);
* what Markdown cannot express is kept as HTML: tables with spans or block content, definition
  lists, ``<details>``, iframes, ``<sup>``/``<sub>``, images whose attributes Markdown would lose
  (``referrerpolicy``, ``width``/``height``; see ``image_style``);
* ``<style>``, ``<script>``, comments, buttons and form controls (the interface elements of
  :mod:`convert.html.tags`) and injected "copy code" buttons are dropped; a task list's checkbox
  is its item's ``[x]``/``[ ]`` (:mod:`.lists`).

Beside it: :mod:`.escape` (what text must escape), :mod:`.urls` (link destinations and titles),
:mod:`.flanking` (where emphasis delimiters open and close, else the tag stays), :mod:`.blocks`
(tight and loose lists, GFM tables),
:mod:`convert.html.footnotes` (notes, written as ``[^1]``), :mod:`.elements` (what kind each element is).
The renderer's lists are in :mod:`.lists`, its inline elements in :mod:`.inline` and what stays
HTML in :mod:`.rawhtml`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from convert.html.held import code_text
from convert.lazyre import lazy
from convert.markdown.blocks import align_marker, joins_tightly, simple_table
from convert.markdown.elements import DROP_TAGS, EMBEDS, dropped, is_block, items_of, tag_name
from convert.markdown.embeds import beside_text, iframe_in_text, leading_iframes, run_html
from convert.markdown.escape import (
    BRACKET,
    escape_line_starts,
    fence_for,
    html_attribute,
    resolve_brackets,
)
from convert.markdown.inline import HARD_BREAK, InlineRenderer, add_inline
from convert.markdown.lists import ListBlocks, has_stray_content, join_task, take_task, with_task
from convert.markdown.options import RenderOptions
from convert.markdown.rawhtml import RawHtmlBlocks
from convert.templates.shown import CODE_CLOSE, CODE_OPEN, lone_hugo_opener

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_UNESCAPED_PIPE = lazy(r"(?<!\\)\|")
_TAG = lazy(r"<[A-Za-z][A-Za-z0-9-]*\s[^<>]*>")
_NOT_IN_CODE = frozenset({"img", "video", "audio", "iframe", "svg", "a", "table"})
_LONE_TAG = lazy(r"^</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>$")
_BREAK_BEFORE_BLANK = lazy(r"(?<!\\)((?:\\\\)*)\\(\n\s*)$")
_LANG = lazy(r"(?:^|\s)(?:language|lang)-([\w#+.-]+)")
_HLJS = lazy(r"(?:^|\s)hljs\s+(?!language-)([\w#+.-]+)")


def _packed(lines: list[str]) -> list[str]:
    """A block written for good, its lines joined into one string (a line of the result may
    hold line ends from here on): a large post's Markdown is then thousands of strings, not
    millions, in memory the freed tree leaves."""
    return lines if len(lines) < 2 else ["\n".join(lines)]


class MarkdownRenderer(ListBlocks, InlineRenderer, RawHtmlBlocks):
    """The renderer: blocks here, lists (:mod:`.lists`), inline elements (:mod:`.inline`) and
    what stays HTML (:mod:`.rawhtml`) in their own modules."""

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()
        self.link_depth = 0  # inside link text every bracket is escaped
        self.cell_depth = 0  # inside a GFM table cell: every "|" of a code span is escaped
        self.emphasis_depth = 0  # emphasis inside emphasis alternates its delimiter
        self.blank_in_tight = False  # set when a tight list item needed a blank line
        self.task: HtmlElement | None = None  # the checkbox of the task item being written
        self.footnote_refs: dict[HtmlElement, str] = {}  # a note reference -> its label
        self.skip: set[HtmlElement] = set()  # written elsewhere (footnotes) or not at all
        self.targets: set[str] = set()  # the ids that links in the document point to

    # ---- entry point -------------------------------------------------------------------------
    def render(self, body: HtmlElement) -> str:
        return self.finish(self.render_lines(body))

    def render_lines(self, body: HtmlElement) -> list[str]:
        """The Markdown as lines, before brackets are resolved: after this the tree is no
        longer needed (a caller may free it before :meth:`finish` joins the lines)."""
        from convert.html.footnotes import find_footnotes

        footnotes = find_footnotes(body) if self.options.profile.footnotes else None
        if footnotes is not None:
            self.footnote_refs, self.skip = footnotes.refs, footnotes.skip
        self.targets = {unquote(href[1:]) for a in body.iter("a") if len(href := a.get("href") or "") > 1 and href[0] == "#"}
        lines = self.blocks_of(body, final=self.options.discard is not None)
        for label, note in footnotes.notes if footnotes is not None else ():
            lines.extend(["", *self.footnote(label, note)])
        return lines

    @staticmethod
    def finish(lines: list[str]) -> str:
        """The lines joined into the final text (:meth:`finish_lines`). ``lines`` is emptied;
        the text is built in one join (no copy of a large text is ever made beside it)."""
        text = "\n".join(MarkdownRenderer.finish_lines(lines))
        lines.clear()
        return text

    @staticmethod
    def finish_lines(lines: list[str]) -> list[str]:
        """``lines`` made final, in place: brackets resolved, blank lines at either end trimmed,
        and an empty last line, so that joined by line ends they end with one."""
        for i, line in enumerate(lines):
            if BRACKET in line:
                lines[i] = resolve_brackets(line)
        start = 0
        while start < len(lines) and not lines[start].strip("\n"):
            start += 1
        end = len(lines)
        while end > start and not lines[end - 1].strip("\n"):
            end -= 1
        if start == end:
            lines.clear()
            return lines
        del lines[end:]
        del lines[:start]
        lines[0] = lines[0].lstrip("\n")
        lines[-1] = lines[-1].rstrip("\n")
        lines.append("")
        return lines

    def footnote(self, label: str, note: HtmlElement) -> list[str]:
        """``[^1]: text``, further lines and blocks indented by four spaces."""
        body = self.blocks_of(note) or [""]
        return [f"[^{label}]: {body[0]}".rstrip(), *(("    " + line) if line else "" for line in body[1:])]

    # ---- blocks ------------------------------------------------------------------------------
    def blocks_of(self, el: HtmlElement, tight: bool = False, final: bool = False) -> list[str]:
        """Render an element's content as blocks separated by blank lines. Runs of inline
        content between block children become paragraphs."""
        blocks: list[tuple[str, list[str]]] = []  # (kind: "p" or the tag, lines)
        run: list[object] = []  # text strings and inline elements

        def flush() -> None:
            if run:
                for para in self.paragraphs_from_run(run):
                    blocks.append(("p", _packed(para) if final else para))
                run.clear()

        prev_list = ""
        alternate = False
        if el.text:
            run.append(el.text)
        for child in el:
            tag = tag_name(child)
            if not tag or child in self.skip:  # comment, processing instruction, footnotes
                pass
            elif dropped(child) and child is not self.task:
                if tag in DROP_TAGS:
                    self.note_drop(child)
            elif is_block(child) and not (tag in EMBEDS and beside_text(run, child)):
                written = len(blocks)
                flush()
                if tag in ("ul", "ol") and prev_list == tag and len(blocks) == written:
                    # Two lists in a row would merge into one: the second takes other markers.
                    alternate = not alternate
                else:
                    alternate = False
                if tag in ("ul", "ol") and has_stray_content(child):
                    # Text directly inside a list (template text, stray words) is shown by a
                    # browser: it becomes paragraphs between the parts of the list.
                    for kind_, part in self._split_list(child):
                        if part:
                            blocks.append((kind_, part))
                    prev_list = ""
                    if child.tail:
                        run.append(child.tail)
                    continue
                rendered = self._list(child, tag == "ol", alternate) if tag in ("ul", "ol") else self.block(child, final)
                if final:
                    # Written for good (the chain of wrappers from the body down): its memory can
                    # go. What is written later (footnotes) is held by our references, which
                    # lxml keeps alive when their ancestors are emptied.
                    self.options.discard(child)  # type: ignore[misc]
                if rendered:
                    kind = "ol1" if tag == "ol" and rendered[0].startswith(("1.", "1)")) else tag
                    # (a wrapper's blocks came through here one by one: they are packed already)
                    packed = final and (tag in ("ul", "ol") or hasattr(self, "block_" + tag))
                    blocks.append((kind, _packed(rendered) if packed else rendered))
                    prev_list = tag if tag in ("ul", "ol") else ""
            else:
                run.append(child)
            if child.tail:
                run.append(child.tail)
        flush()
        if self.task is not None:
            join_task(blocks)
        out: list[str] = []
        prev = ""
        for kind, block in blocks:
            if out and not (tight and joins_tightly(prev, kind)):
                out.append("")
                self.blank_in_tight = self.blank_in_tight or tight
            out.extend(block)
            prev = kind
        return out

    def block(self, el: HtmlElement, final: bool = False) -> list[str]:
        method: Callable[[HtmlElement], list[str]] | None = getattr(self, "block_" + tag_name(el), None)
        if method is not None:
            return method(el)
        return self.blocks_of(el, final=final)

    def note_drop(self, el: HtmlElement) -> None:
        self.options.dropped.append(f"<{tag_name(el)}>")

    def paragraphs_from_run(self, run: list[object], tag: str = "div") -> list[list[str]]:
        """Inline content to paragraphs; two <br> in a row start a new paragraph. ``tag``: the
        element the run stands in, when it must be written as HTML (a ``<p>``, or text in a
        list item or ``<div>``)."""
        if not self.options.profile.inline_iframes and iframe_in_text(run):
            # kramdown shows an iframe in Markdown text as text: the run is HTML (a <div> outside
            # a <p>, which would make a tight list item loose)
            return [[run_html(run, tag, self.options.held)]]
        paras: list[list[str]] = []
        pieces: list[str] = []
        pending_breaks = 0
        run = self.unwrap_spans(run)

        def close() -> None:
            mark, text = take_task("".join(pieces).strip(" "))
            text = _strip_breaks(text)
            # A "\" break before nothing but white space (a no-break space, say) ends the
            # paragraph for marked and markdown-it, which then show the backslash: <br> holds.
            # Its no-break spaces are written &nbsp;, which engines do not trim away.
            if "\\\n" in text:  # (the patterns below scan the whole text: most have no break)
                text = _BREAK_BEFORE_BLANK.sub(lambda m: m.group(1) + "<br>" + _references(m.group(2)), text)
            # No line may open with <iframe>: an HTML block to every engine (.embeds)
            lead, text = leading_iframes(text)
            if lead is not None:
                paras.append([lead])
                text = _strip_breaks(text)
            # Engines trim a paragraph's edges of any white space, a no-break or an ideographic
            # space too: at the end, or before a "\" break, nothing shows it, and it goes (it was
            # a trailing space that the next conversion lost); at the start it is an indent
            # ("　　" opens a Chinese paragraph), kept as references.
            if "\\\n" in text or (text[-1:].isspace() and text[-1] != "\n"):
                text = _BLANKS_AT_END.sub("", text)
            blanks = _BLANKS_AT_START.match(text)
            if blanks:
                text = _references(blanks.group()) + text[blanks.end() :]
            if _LONE_TAG.match(text) and not mark:
                # A line that is one whole tag starts an HTML block, not a paragraph: say so.
                text = f"<p>{text}</p>"
            if text.strip() or mark:
                text = escape_line_starts(text)
                paras.append((with_task(mark, text) if mark else text).split("\n"))
            pieces.clear()

        for item in run:
            if isinstance(item, str):
                rendered = self.text(item)
                if rendered.strip(" "):
                    if pending_breaks >= 2:
                        close()
                    elif pending_breaks == 1:
                        add_inline(pieces, HARD_BREAK)
                    pending_breaks = 0
                add_inline(pieces, rendered if pending_breaks == 0 or rendered.strip(" ") else "")
                continue
            el = item  # type: ignore[assignment]
            if tag_name(el) == "br":
                pending_breaks += 1
                continue
            rendered = self.inline(el)
            # Breaks at the edges of an emphasis are written outside it: they count as this
            # paragraph's own, so that "<br><em><br>x</em>" starts a new paragraph as <br><br> does.
            lead = _EDGE_BREAKS_LEAD.match(rendered).group()  # type: ignore[union-attr]
            pending_breaks += lead.count("\n")
            rendered = rendered[len(lead) :]
            trail = _EDGE_BREAKS_TRAIL.search(rendered).group()  # type: ignore[union-attr]
            rendered = rendered[: len(rendered) - len(trail)]
            if rendered.strip(" "):
                if pending_breaks >= 2:
                    close()
                elif pending_breaks == 1:
                    add_inline(pieces, HARD_BREAK)
                pending_breaks = 0
                add_inline(pieces, rendered, element=True)
            elif pending_breaks == 0:  # only spaces (an empty span's): nothing between two breaks
                add_inline(pieces, rendered, element=True)
            pending_breaks += trail.count("\n")
        close()
        return paras

    def block_p(self, el: HtmlElement) -> list[str]:
        paras = self.paragraphs_from_run(items_of(el), "p")
        anchor = self.anchor(el)
        if anchor and paras:
            paras[0][0] = anchor + paras[0][0]
        out: list[str] = []
        for para in paras:
            if out:
                out.append("")
            out.extend(para)
        return out

    def anchor(self, el: HtmlElement) -> str:
        """``<a id="..."></a>`` when a link in the document points to this element's id (a table of
        contents to a heading): Markdown has no ids, and the link would lead nowhere."""
        for name in ("id", "name") if tag_name(el) == "a" else ("id",):
            value = el.get(name)
            if value and value in self.targets:
                return f'<a id="{html_attribute(value)}"></a>'
        return ""

    def _heading(self, el: HtmlElement, level: int) -> list[str]:
        self.line_break = " "  # a heading is one line: its breaks are spaces
        try:
            text = self.inline_content(el).replace("\n", " ").strip()
        finally:
            del self.line_break
        if not text:
            return []
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        return ["#" * level + " " + self.anchor(el) + text]

    def block_h1(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 1)

    def block_h2(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 2)

    def block_h3(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 3)

    def block_h4(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 4)

    def block_h5(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 5)

    def block_h6(self, el: HtmlElement) -> list[str]:
        return self._heading(el, 6)

    def block_hr(self, el: HtmlElement) -> list[str]:
        return ["* * *"]  # not "---", which could read as a front-matter fence or setext underline

    def block_blockquote(self, el: HtmlElement) -> list[str]:
        inner = self.blocks_of(el)
        if not inner:
            return [">"]
        return [("> " + line) if line else ">" for line in inner]

    def block_pre(self, el: HtmlElement) -> list[str]:
        if any(tag_name(x) in _NOT_IN_CODE or is_block(x) for x in el.iterdescendants()):
            return self.pre_as_html(el)  # a code block cannot show an image, a link or a paragraph
        return self._fence(el)

    def _fence(self, el: HtmlElement, lang: str = "") -> list[str]:
        """A ``<pre>`` of text as a fenced code block (``lang``: when the pre does not say)."""
        code = el.find("code") if len(el) == 1 and not (el.text or "").strip() else None
        source = code if code is not None else el
        lang = _language(source) or (_language(el) if code is not None else "") or lang
        text = code_text(source)
        if "\r" in text:  # from "&#13;": a line end to a Markdown reader, which makes it "\n"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.endswith("\n"):
            text = text[:-1]
        fence = fence_for(text)
        if "`" in lang:
            lang = ""
        target = self.options.template_target
        if target == "hugo" and lone_hugo_opener(text):
            # Hugo reads "{{<" in code too, and nothing in a fence hides one without a closer:
            # as HTML it can be "{{&lt;" (a <pre> block holds blank lines)
            from html import escape

            cls = f' class="language-{escape(lang, quote=True)}"' if lang else ""
            return f"<pre><code{cls}>{escape(text, quote=False)}</code></pre>".split("\n")
        if target == "hexo":  # Hexo shows a fence's content as written (convert.templates.shown)
            return [fence + lang + CODE_OPEN, *text.split("\n"), CODE_CLOSE + fence]
        return [fence + lang, *text.split("\n"), fence]

    def block_figure(self, el: HtmlElement) -> list[str]:
        return self._code_table(el) or self.blocks_of(el)

    def _code_table(self, el: HtmlElement) -> list[str] | None:
        """A highlighter's table of line numbers and code as a code block (its title, if any,
        as a paragraph before it): see :mod:`convert.html.codetable`."""
        from convert.html.codetable import code_table

        found = code_table(el)
        if found is None:
            return None
        title = self.blocks_of(found.caption) if found.caption is not None else []
        return [*title, *([""] if title else []), *self._fence(found.pre, found.language)]

    def block_table(self, el: HtmlElement) -> list[str]:
        code = self._code_table(el)
        if code is not None:
            return code
        table = simple_table(el, self.options.profile.inline_iframes)
        if table is None:
            return self.raw_html(el)
        header, rows, aligns = table
        render = [[self.cell(c) for c in header]] + [[self.cell(c) for c in row] for row in rows]
        width = max(len(r) for r in render)
        render = [r + [""] * (width - len(r)) for r in render]
        aligns = aligns + [None] * (width - len(aligns))
        lines = ["| " + " | ".join(render[0]) + " |"]
        lines.append("| " + " | ".join(align_marker(a) for a in aligns) + " |")
        lines.extend("| " + " | ".join(r) + " |" for r in render[1:])
        return lines

    def cell(self, el: HtmlElement) -> str:
        self.cell_depth += 1
        try:
            text = self.inline_content(el).replace(HARD_BREAK, "<br>").replace("\n", " ").strip()
        finally:
            self.cell_depth -= 1
        # A "|" inside a tag written as HTML (an iframe's or image's URL) is &#124;: goldmark keeps
        # the backslash of "\\|" there, and the browser reads the entity as "|".
        text = _TAG.sub(lambda m: m.group().replace("|", "&#124;"), text)
        return _UNESCAPED_PIPE.sub(r"\\|", text)  # text escapes its own; code spans need it too


_EDGE_BREAKS_LEAD = lazy(r"(?:[ ]*\\\n)*")
_EDGE_BREAKS_TRAIL = lazy(r"(?:\\\n[ ]*)*\Z")


_BLANKS_AT_END = lazy(r"(?<=[^\s\\])[^\S\n]+(?=\\\n|\Z)")
_BLANKS_AT_START = lazy(r"[^\S\n]+")  # (spaces are stripped before: other white space)


def _references(blank: str) -> str:
    """White space that engines would trim, written as character references (line ends and ASCII
    spaces as they are)."""
    return "".join(ch if ch in " \t\n" else "&nbsp;" if ch == "\xa0" else f"&#x{ord(ch):X};" for ch in blank)


def _strip_breaks(text: str) -> str:
    while text.endswith("\\\n"):
        text = text[:-2].rstrip(" ")
    while text.startswith("\\\n"):
        text = text[2:].lstrip(" ")
    return text.replace(" \\\n", "\\\n").replace("\\\n ", "\\\n")


def _language(el: HtmlElement) -> str:
    cls = el.get("class") or ""
    m = _LANG.search(cls)
    if m:
        return m.group(1).lower()
    lang = el.get("lang") or el.get("data-lang")
    if lang:
        return lang.strip().lower()
    m = _HLJS.search(cls)
    if m and m.group(1) not in ("copyable",):
        return m.group(1).lower()
    return ""


