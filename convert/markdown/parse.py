"""Markdown read as fmconvert reads it: markdown-it-py (CommonMark, GFM tables and
strikethrough, task lists, footnotes; raw HTML passes through), imported on first use."""

from __future__ import annotations

from typing import Any

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
