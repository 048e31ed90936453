"""Inline elements in Markdown: text escaped where CommonMark would read markup, emphasis with
delimiters only where they open and close (:mod:`.flanking`), else the tag; code spans, links,
images (kept as ``<img>`` when Markdown would lose an attribute). A part of
:class:`convert.markdown.render.MarkdownRenderer`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from convert.html.templates import holds_template
from convert.lazyre import lazy
from convert.markdown.elements import (
    DROP_TAGS,
    EMBEDS,
    INLINE_HTML,
    dropped,
    is_block,
    items_of,
    tag_name,
    written_as_tag,
)
from convert.markdown.escape import code_span, escape_inline, html_attribute_pair
from convert.markdown.flanking import (
    EDGE_LEAD,
    EDGE_TRAIL,
    TOUCHING,
    char_after,
    char_before,
    code_before,
    delimits,
    edge_delimiter,
    is_span,
)
from convert.markdown.lists import task_sentinel
from convert.markdown.urls import EDGES, autolink, held_destination
from convert.markdown.urls import title as title_of
from convert.templates.shown import CODE_CLOSE, CODE_OPEN, lone_hugo_opener

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.markdown.options import RenderOptions

_WS = lazy(r"[ \t\n\r\f]+")
_HEXO_RAW = lazy(r"\{% *raw *%\}")  # Hexo's rSwigRawFullBlock
HARD_BREAK = "\\\n"
IMG_HTML_ATTRS = ("src", "alt", "title", "width", "height", "referrerpolicy", "srcset", "sizes", "loading")
#: Attributes that make Markdown image syntax lose something.
IMG_MARKDOWN_LOSES = ("referrerpolicy", "width", "height", "srcset", "sizes")


def attr_html(el: HtmlElement, restore: Callable[[str], str], names: tuple[str, ...] | None = None) -> str:
    """The attributes of ``el`` (or those of them in ``names``) as HTML, with a leading space;
    ``restore`` puts template code back (:func:`convert.markdown.escape.html_attribute_pair`)."""
    parts = []
    for name, value in el.items():
        if names is not None and name not in names:
            continue
        parts.append(html_attribute_pair(name, value, restore(value)))
    return (" " + " ".join(parts)) if parts else ""



class InlineRenderer:
    """``inline_<tag>`` for each inline element with Markdown of its own; spans otherwise."""

    options: RenderOptions
    link_depth: int
    cell_depth: int
    emphasis_depth: int
    footnote_refs: dict[HtmlElement, str]
    skip: set[HtmlElement]
    task: HtmlElement | None  # the checkbox of the task item being written
    line_break = HARD_BREAK  # what a <br> is written as: a space in a heading

    if TYPE_CHECKING:

        def note_drop(self, el: HtmlElement) -> None: ...
        def anchor(self, el: HtmlElement) -> str: ...

    def text(self, text: str) -> str:
        if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:  # else each run is one space already
            text = _WS.sub(" ", text)
        return escape_inline(text, all_brackets=self.link_depth > 0, typography=self.options.profile.typography)

    def inline_content(self, el: HtmlElement) -> str:
        parts: list[str] = []
        for item in items_of(el):
            if isinstance(item, str):
                add_inline(parts, self.text(item))
            elif tag_name(item) == "br":
                add_inline(parts, self.line_break)
            elif tag_name(item) in EMBEDS:  # a block to the writer, yet it stands inline here
                add_inline(parts, self.inline(item), element=True)
            elif is_block(item):
                add_inline(parts, " " + self.inline_content(item) + " ")
            else:
                add_inline(parts, self.inline(item), element=True)
        return "".join(parts)

    def inline(self, el: HtmlElement) -> str:
        tag = tag_name(el)
        if el in self.footnote_refs:
            return f"[^{self.footnote_refs[el]}]"
        if el is self.task:
            return task_sentinel(el)
        if not tag or el in self.skip or dropped(el):
            if tag and tag in DROP_TAGS:  # (a "copy code" span goes without a note, as ever)
                self.note_drop(el)
            return ""
        method: Callable[[HtmlElement], str] | None = getattr(self, "inline_" + tag, None)
        if method is not None:
            return method(el)
        if tag in INLINE_HTML or written_as_tag(tag):
            inner = self.inline_content(el)
            return f"<{tag}{attr_html(el, self.options.restore)}>{inner}</{tag}>"
        return self.inline_content(el)

    def unwrap_spans(self, run: list[object]) -> list[object]:
        """A run of inline content with each span that holds a ``<br>`` (``<span>``, ``<font>``:
        an element written as its content alone) replaced by its content. Its breaks are then
        the paragraph's own: two in a row start a new paragraph, as they do outside a span and
        as they do once the Markdown is read back (where the span is gone)."""
        if all(isinstance(item, str) for item in run):
            return run
        out: list[object] = []
        for item in run:
            if isinstance(item, str) or not self._is_span(item) or item.find(".//br") is None:
                out.append(item)
            else:
                out.extend(self.unwrap_spans(items_of(item)))
        return out

    def _is_span(self, el: HtmlElement) -> bool:
        """Whether ``el`` is written as its content alone here, blocks inside it aside."""
        return (
            is_span(el)
            and tag_name(el) not in DROP_TAGS
            and not hasattr(self, "inline_" + tag_name(el))
            and el not in self.footnote_refs
            and el not in self.skip
            and "copy-code-btn" not in (el.get("class") or "")
            and not any(is_block(d) for d in el.iterdescendants())
        )

    def _wrap(self, el: HtmlElement, marker: str, tag: str) -> str:
        self.emphasis_depth += 1
        try:
            inner = self.inline_content(el)
        finally:
            self.emphasis_depth -= 1
        # Spaces and line breaks at the edges go outside the delimiters: inside, they would stop
        # them from opening or closing.
        lead = EDGE_LEAD.match(inner).group()  # type: ignore[union-attr]
        trail = EDGE_TRAIL.search(inner[len(lead) :]).group()  # type: ignore[union-attr]
        stripped = inner[len(lead) : len(inner) - len(trail)]
        if not stripped:
            return inner
        if self.emphasis_depth >= 2:
            # Three levels deep, "**_**x**_**" reads as <strong>_</strong>: delimiters of one
            # kind would meet with only punctuation between them.
            return f"{lead}<{tag}>{stripped}</{tag}>{trail}"
        if marker[0] == "*":
            # Nested emphasis alternates "*" and "_": in "*a *b* c*" the inner opener would close
            # the outer one. A delimiter already at the content's edge must not be extended
            # either (<em><em>x</em></em> is not **x**).
            chars = "_*" if self.emphasis_depth % 2 else "*_"
            usable = [c for c in chars if not edge_delimiter(stripped, c)]
            if not usable:
                return f"{lead}<{tag}>{stripped}</{tag}>{trail}"
            marker = usable[0] * len(marker)
        before = " " if lead else char_before(el)
        after = " " if trail else char_after(el)
        if TOUCHING in (before, after) or not delimits(marker, stripped[0], stripped[-1], before, after):
            # "**粗体。**黑客": a delimiter with punctuation inside and a letter outside can neither
            # open nor close (CommonMark's flanking rules; common in CJK text). Nor can two
            # emphases that touch ("*a**b*"). The tag holds.
            return f"{lead}<{tag}>{stripped}</{tag}>{trail}"
        return f"{lead}{marker}{stripped}{marker}{trail}"

    def inline_strong(self, el: HtmlElement) -> str:
        return self._wrap(el, "**", "strong")

    inline_b = inline_strong

    def inline_em(self, el: HtmlElement) -> str:
        return self._wrap(el, "*", "em")

    inline_i = inline_em

    def inline_del(self, el: HtmlElement) -> str:
        return self._wrap(el, "~~", "del")

    inline_s = inline_del
    inline_strike = inline_del

    def inline_code(self, el: HtmlElement) -> str:
        if any(True for _ in el.iter("br")):
            # A code span holds no line break (its line ends are spaces): code broken by <br>
            # (a command per line) keeps its tag. CommonMark engines read Markdown inside it,
            # kramdown takes it as it is: what either would read as markup is a character
            # reference, which both show as the character.
            # White space at a break is not shown (a browser drops it around a line end).
            lines = _code_lines(el).split("\n")
            last = len(lines) - 1
            lines = [line.lstrip(" ") if i else line for i, line in enumerate(lines)]
            lines = [line.rstrip(" ") if i < last else line for i, line in enumerate(lines)]
            typography = self.options.profile.typography
            return "<code>" + "<br>".join(_code_html(line, typography) for line in lines) + "</code>"
        text = el.text_content()
        if "\n" in text or "\r" in text:  # line ends in a code span are spaces
            text = _WS.sub(" ", text)
        span = code_span(text)
        target = self.options.template_target
        if (target == "hugo" and lone_hugo_opener(text)) or (target == "hexo" and _HEXO_RAW.search(text)):
            # Hugo reads "{{<" in code too, and Hexo does not protect code holding {% raw %}:
            # as HTML, the code's braces can be written as text (convert.templates.shown); its
            # content is Markdown text then, each "<" an entity ("{{&lt;" is no shortcode, and a
            # "<" before "</code>" no typographer's "<<")
            pieces = (escape_inline(piece, all_brackets=True, typography=self.options.profile.typography) for piece in text.split("<"))
            return "<code>" + "&lt;".join(pieces) + "</code>"
        if span.startswith("```") or (text and code_before(el)):
            # Three backticks could open a fence at a line start, and `a``b` would read as one
            # span. The tag holds; its content is then Markdown text.
            return f"<code>{escape_inline(text, all_brackets=True)}</code>"
        if self.cell_depth:
            # A table row is split at '|' before code spans are seen; '\|' is the cell's escape,
            # read back as '|', so each '|' of the code (a '\' before it included) gets its own.
            span = span.replace("|", "\\|")
        return f"{CODE_OPEN}{span}{CODE_CLOSE}" if target == "hexo" else span

    inline_tt = inline_code

    def inline_a(self, el: HtmlElement) -> str:
        href = el.get("href")  # live template code in it is a placeholder until the very end
        if href is None:
            return self.anchor(el) + self.inline_content(el).strip(" ")
        self.link_depth += 1
        try:
            text = self.inline_content(el).strip(" ")
        finally:
            self.link_depth -= 1
        title = el.get("title")
        bare = href.strip(EDGES)
        if not title and text == escape_inline(bare, all_brackets=True) and autolink(bare):
            return f"{self.anchor(el)}<{bare}>"
        if self.options.template_target == "hexo" and holds_template(href):
            # Hexo holds template code out of the Markdown as an HTML comment, which marked
            # percent-encodes in a link destination: the link is written as HTML
            dest = None
        else:
            dest = held_destination(href, self.options.restore, shortcode_links=self.options.profile.shortcode_links)
        if dest is None:
            # A link the engine would refuse (javascript:, data:text/html), or template code that
            # angle brackets cannot hold: Markdown would show "[text](...)" as text. The tag
            # holds, its content Markdown.
            return f"{self.anchor(el)}<a{attr_html(el, self.options.restore, ('href', 'title'))}>{text}</a>"
        return f"{self.anchor(el)}[{text}]({dest}{title_of(title)})"

    def inline_embed(self, el: HtmlElement) -> str:
        """An iframe, video or audio inside inline content: its HTML on one line (Markdown has no
        syntax for it; see :mod:`.embeds`)."""
        from convert.markdown.embeds import one_line

        return one_line(el, self.options.held)

    inline_iframe = inline_embed
    inline_video = inline_embed
    inline_audio = inline_embed

    def inline_img(self, el: HtmlElement) -> str:
        style = self.options.image_style
        loses = el.get("alt") is None or any(el.get(a) is not None for a in IMG_MARKDOWN_LOSES)
        if self.options.profile.relative_images_as_html and _is_relative(el.get("src") or el.get("data-src") or ""):
            loses = True  # Hexo prepends the site root to a relative image path in ![]()
        if self.options.template_target == "hexo" and holds_template(el.get("src") or el.get("data-src")):
            loses = True  # (see inline_a)
        # None: a source the engine refuses (data:image/svg+xml), which ![]() would not show, or
        # template code that angle brackets cannot hold
        restore = self.options.restore
        dest = held_destination(el.get("src") or el.get("data-src") or "", restore, shortcode_links=self.options.profile.shortcode_links)
        if style == "html" or dest is None or (style == "auto" and loses):
            attrs = " ".join(
                html_attribute_pair(name, el.get(name), restore(el.get(name))) if el.get(name) != "" or name != "alt" else 'alt=""'
                for name in IMG_HTML_ATTRS
                if el.get(name) is not None
            )
            return f"<img {attrs}>" if attrs else "<img>"
        alt = escape_inline(_WS.sub(" ", el.get("alt") or ""), all_brackets=True, typography=self.options.profile.typography)
        return f"![{alt}]({dest}{title_of(el.get('title'))})"


def _is_relative(src: str) -> bool:
    src = src.strip()
    return bool(src) and not src.startswith(("/", "#")) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src)


def add_inline(parts: list[str], piece: str, *, element: bool = False) -> None:
    """Add ``piece`` to a run of inline Markdown. A space that meets a space is one: HTML shows
    one, and Markdown read back keeps both, to be written as one the next time (spaces around an
    emphasis are written outside its delimiters, beside the text's own). Spaces at the edges of
    a hard break (``\\`` and a line end) go: a browser does not show them, and Markdown would
    keep those before it as trailing spaces (``**a** \\``) that a reader trims, so the next
    conversion would differ. Empty pieces are not kept: the last part is the Markdown right
    before. After a text "!", a link (an ``element``'s ``[``) gets the "!" escaped
    (:func:`guard_bang`)."""
    if element:
        guard_bang(parts, piece)
    if parts and piece.startswith(" ") and parts[-1].endswith((" ", HARD_BREAK)):
        piece = piece.lstrip(" ")
    elif piece.startswith(HARD_BREAK):
        while parts and parts[-1].endswith(" "):
            parts[-1] = parts[-1].rstrip(" ")
            if not parts[-1]:
                parts.pop()
    if piece:
        parts.append(piece)


def guard_bang(parts: list[str], following: str) -> None:
    """A text "!" right before a link would turn the link into an image."""
    if following.startswith("[") and parts and parts[-1].endswith("!"):
        before = parts[-1][:-1]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:  # "\\!" is a backslash, then "!"
            parts[-1] = before + "\\!"


def _code_lines(el: HtmlElement) -> str:
    """The text of inline code as a browser lays it out: white space runs are one space, a
    ``<br>`` a line end (written as nothing in code spans, which would glue the lines)."""
    parts: list[str] = [_WS.sub(" ", el.text or "")]
    for child in el:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag == "br" else _code_lines(child))
        parts.append(_WS.sub(" ", child.tail or ""))
    return "".join(parts)


_CODE_MARKUP = lazy(r"[&<>\\`*_\[\]!~|{}#]")
_CODE_TYPOGRAPHY = lazy(r"[&<>\\`*_\[\]!~|{}#\-.'\"]")


def _code_html(text: str, typography: bool = False) -> str:
    """Code text inside a kept ``<code>`` tag: each character that HTML, Markdown or a template
    pass could read as markup written as a character reference; under a typographer (``--``,
    ``...``, quotes) its characters too, which it would otherwise make typographic."""
    return (_CODE_TYPOGRAPHY if typography else _CODE_MARKUP).sub(lambda m: f"&#{ord(m.group())};", text)
