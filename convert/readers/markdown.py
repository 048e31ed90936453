"""Markdown reader: front matter as in HTML, the body rendered by markdown-it-py (CommonMark, GFM
tables and strikethrough, task lists, footnotes; raw HTML passes through)."""

from __future__ import annotations

from typing import Any

from convert.formats import Reader, ReadOptions
from convert.model import Document

_md: Any = None


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML the way fmconvert reads it."""
    global _md
    if _md is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.tasklists import tasklists_plugin

        _md = (
            MarkdownIt("commonmark", {"html": True})
            .enable(["table", "strikethrough"])
            .use(tasklists_plugin)
            .use(footnote_plugin)
        )
        _md.core.ruler.push("gfm_del", _strikethrough_as_del)
    return _md.render(text)  # type: ignore[no-any-return]


def _strikethrough_as_del(state: Any) -> None:
    """``~~x~~`` is ``<del>`` in GFM (and in the HTML posts it usually comes from); markdown-it
    writes ``<s>``."""
    for block in state.tokens:
        for token in block.children or ():
            if token.type in ("s_open", "s_close"):
                token.tag = "del"


class MarkdownReader(Reader):
    name = "markdown"
    aliases = ("md", "commonmark", "gfm")
    extensions = (".md", ".markdown")
    description = "Markdown (CommonMark + GFM tables and strikethrough) with the same front matter"

    def read(self, data: bytes, options: ReadOptions) -> Document:
        from convert.readers.common import read_front_matter_text

        metadata, source, body = read_front_matter_text(data, options, self.name)
        # Template code is held out before the Markdown is rendered, as its generator runs it
        # first: the document keeps the Markdown until its body is asked for, so that a writer
        # can give the pass that holds it out (convert.templates; by default every span is held).
        document = Document(metadata, source=source, body_html=body, repair=options.repair)
        document.render_markup = markdown_to_html
        return document
