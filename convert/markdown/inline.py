"""Inline elements in Markdown: text escaped where CommonMark would read markup, emphasis with
delimiters only where they open and close (:mod:`.flanking`), else the tag; code spans, links,
images (kept as ``<img>`` when Markdown would lose an attribute). A part of
:class:`convert.markdown.render.MarkdownRenderer`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from convert.html.templates import holds_template
from convert.markdown.elements import (
    CODE_TAGS,
    DROP_TAGS,
    INLINE_HTML,
    dropped,
    is_block,
    items_of,
    tag_name,
    written_as_tag,
)
from convert.markdown.escape import code_span, escape_inline, escape_url
from convert.markdown.flanking import EDGE_LEAD, EDGE_TRAIL, TOUCHING, char_after, char_before, delimits, edge_delimiter
from convert.templates.shown import CODE_CLOSE, CODE_OPEN, lone_hugo_opener

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.markdown.render import RenderOptions

_WS = re.compile(r"[ \t\n\r\f]+")
_HEXO_RAW = re.compile(r"\{% *raw *%\}")  # Hexo's rSwigRawFullBlock
IMG_HTML_ATTRS = ("src", "alt", "title", "width", "height", "referrerpolicy", "srcset", "sizes", "loading")
#: Attributes that make Markdown image syntax lose something.
IMG_MARKDOWN_LOSES = ("referrerpolicy", "width", "height", "srcset", "sizes")


def attr_html(el: HtmlElement, names: tuple[str, ...] | None = None) -> str:
    """The attributes of ``el`` (or those of them in ``names``) as HTML, with a leading space."""
    from html import escape

    parts = []
    for name, value in el.items():
        if names is not None and name not in names:
            continue
        parts.append(f'{name}="{escape(value, quote=True)}"')
    return (" " + " ".join(parts)) if parts else ""



class InlineRenderer:
    """``inline_<tag>`` for each inline element with Markdown of its own; spans otherwise."""

    options: RenderOptions
    link_depth: int
    cell_depth: int
    emphasis_depth: int
    footnote_refs: dict[HtmlElement, str]
    skip: set[HtmlElement]

    if TYPE_CHECKING:

        def note_drop(self, el: HtmlElement) -> None: ...
        def anchor(self, el: HtmlElement) -> str: ...

    def text(self, text: str) -> str:
        return escape_inline(_WS.sub(" ", text), all_brackets=self.link_depth > 0, typography=self.options.profile.typography)

    def inline_content(self, el: HtmlElement) -> str:
        parts: list[str] = []
        for item in items_of(el):
            if isinstance(item, str):
                add_inline(parts, self.text(item))
            elif tag_name(item) == "br":
                parts.append("\\\n")
            elif is_block(item):
                add_inline(parts, " " + self.inline_content(item) + " ")
            else:
                add_inline(parts, self.inline(item), element=True)
        return "".join(parts)

    def inline(self, el: HtmlElement) -> str:
        tag = tag_name(el)
        if el in self.footnote_refs:
            return f"[^{self.footnote_refs[el]}]"
        if not tag or el in self.skip or dropped(el):
            if tag and tag in DROP_TAGS:  # (a "copy code" span goes without a note, as ever)
                self.note_drop(el)
            return ""
        method: Callable[[HtmlElement], str] | None = getattr(self, "inline_" + tag, None)
        if method is not None:
            return method(el)
        if tag in INLINE_HTML or written_as_tag(tag):
            inner = self.inline_content(el)
            return f"<{tag}{attr_html(el)}>{inner}</{tag}>"
        return self.inline_content(el)

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
        text = el.text_content()
        if "\n" in text:
            text = _WS.sub(" ", text)
        span = code_span(text)
        before = el.getprevious()
        target = self.options.template_target
        if (target == "hugo" and lone_hugo_opener(text)) or (target == "hexo" and _HEXO_RAW.search(text)):
            # Hugo reads "{{<" in code too, and Hexo does not protect code holding {% raw %}:
            # as HTML, the code's braces can be written as text (convert.templates.shown); its
            # content is Markdown text then, each "<" an entity ("{{&lt;" is no shortcode, and a
            # "<" before "</code>" no typographer's "<<")
            pieces = (escape_inline(piece, all_brackets=True, typography=self.options.profile.typography) for piece in text.split("<"))
            return "<code>" + "&lt;".join(pieces) + "</code>"
        if span.startswith("```") or (before is not None and tag_name(before) in CODE_TAGS and not before.tail and text):
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
        target = self.options.template_target
        if target == "hexo" and holds_template(href):
            # Hexo holds template code out of the Markdown as an HTML comment, which marked
            # percent-encodes in a link destination: the link is written as HTML
            return f"{self.anchor(el)}<a{attr_html(el, ('href', 'title'))}>{text}</a>"
        if not title and text == escape_inline(href, all_brackets=True) and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*$", href):
            if target == "none" or not re.search(r"[{}]", href):
                return f"{self.anchor(el)}<{href}>"
        return f"{self.anchor(el)}[{text}]({escape_url(href)}{_title(title)})"

    def inline_img(self, el: HtmlElement) -> str:
        style = self.options.image_style
        loses = el.get("alt") is None or any(el.get(a) is not None for a in IMG_MARKDOWN_LOSES)
        if self.options.profile.relative_images_as_html and _is_relative(el.get("src") or el.get("data-src") or ""):
            loses = True  # Hexo prepends the site root to a relative image path in ![]()
        if self.options.template_target == "hexo" and holds_template(el.get("src") or el.get("data-src")):
            loses = True  # (see inline_a)
        if style == "html" or (style == "auto" and loses):
            from html import escape

            attrs = " ".join(
                f'{name}="{escape(el.get(name), quote=True)}"' if el.get(name) != "" or name != "alt" else 'alt=""'
                for name in IMG_HTML_ATTRS
                if el.get(name) is not None
            )
            return f"<img {attrs}>" if attrs else "<img>"
        src = el.get("src") or el.get("data-src") or ""
        alt = escape_inline(_WS.sub(" ", el.get("alt") or ""), all_brackets=True, typography=self.options.profile.typography)
        return f"![{alt}]({escape_url(src)}{_title(el.get('title'))})"


def _is_relative(src: str) -> bool:
    src = src.strip()
    return bool(src) and not src.startswith(("/", "#")) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src)


def add_inline(parts: list[str], piece: str, *, element: bool = False) -> None:
    """Add ``piece`` to a run of inline Markdown. A space that meets a space is one: HTML shows
    one, and Markdown read back keeps both, to be written as one the next time (spaces around an
    emphasis are written outside its delimiters, beside the text's own). After a text "!", a
    link (an ``element``'s ``[``) gets the "!" escaped (:func:`guard_bang`)."""
    if element:
        guard_bang(parts, piece)
    if piece.startswith(" ") and parts and parts[-1].endswith(" "):
        piece = piece.lstrip(" ")
    parts.append(piece)


def guard_bang(parts: list[str], following: str) -> None:
    """A text "!" right before a link would turn the link into an image."""
    if following.startswith("[") and parts and parts[-1].endswith("!"):
        before = parts[-1][:-1]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:  # "\\!" is a backslash, then "!"
            parts[-1] = before + "\\!"


def _title(title: str | None) -> str:
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
