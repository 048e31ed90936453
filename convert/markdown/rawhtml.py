"""What stays HTML in the Markdown: elements Markdown cannot express (definition lists,
``<details>``, iframes, video and audio, tables GFM cannot write, a ``<pre>`` holding links or
images) written as HTML blocks. Carriage returns are written ``&#13;`` (a raw one is a line end
to a Markdown reader), and an attribute whose template code holds a double quote is put in
single quotes (the code is put back as written). A part of
:class:`convert.markdown.render.MarkdownRenderer`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from convert.html import carriage_returns_as_references
from convert.html.templates import OPEN as TEMPLATE_OPEN
from convert.lazyre import lazy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.markdown.options import RenderOptions

_TAG = lazy(r"<[A-Za-z][^<>]*>")
_TEMPLATE_VALUE = lazy(r'="([^"]*(?:' + TEMPLATE_OPEN + r'|%EE%8C%80)[^"]*)"')  # libxml2 may percent-encode it


class RawHtmlBlocks:
    """``raw_html`` and the blocks that are always HTML."""

    options: RenderOptions

    def raw_html(self, el: HtmlElement) -> list[str]:
        """An element kept as HTML: an HTML block, blank lines removed so the block holds."""
        from lxml.html import tostring

        held = self.options.held
        html = held.serialize(el) if held else tostring(el, encoding="unicode", method="html", with_tail=False)
        lines = [line.rstrip() for line in self.as_markdown_html(html).split("\n")]
        return [line for line in lines if line.strip()]

    def pre_as_html(self, el: HtmlElement) -> list[str]:
        """A ``<pre>`` kept as HTML, blank lines and all (a ``<pre>`` HTML block ends at
        ``</pre>``, not at a blank line)."""
        from lxml.html import tostring

        return self.as_markdown_html(tostring(el, encoding="unicode", method="html", with_tail=False)).rstrip("\n").split("\n")

    def as_markdown_html(self, html: str) -> str:
        """Serialized HTML as it goes into the Markdown: carriage returns as ``&#13;``, and each
        attribute whose template code holds a double quote in single quotes
        (:func:`convert.markdown.escape.html_attribute_pair`)."""
        html = carriage_returns_as_references(html)
        if TEMPLATE_OPEN not in html and "%EE%8C%80" not in html:
            return html

        def requote(m: re.Match[str]) -> str:
            value = m.group(1)
            restored = self.options.restore(value)
            return f"='{value}'" if '"' in restored and "'" not in restored else m.group()

        return _TAG.sub(lambda tag: _TEMPLATE_VALUE.sub(requote, tag.group()), html)

    def block_dl(self, el: HtmlElement) -> list[str]:
        return self.raw_html(el)

    def block_details(self, el: HtmlElement) -> list[str]:
        return self.raw_html(el)

    def block_iframe(self, el: HtmlElement) -> list[str]:
        return self.raw_html(el)

    def block_video(self, el: HtmlElement) -> list[str]:
        return self.raw_html(el)

    def block_audio(self, el: HtmlElement) -> list[str]:
        return self.raw_html(el)
