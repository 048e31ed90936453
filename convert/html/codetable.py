"""Code blocks that highlighters lay out as a table: line numbers in one cell, code in the other.

Hexo writes ``<figure class="highlight python"><table><tr><td class="gutter"><pre>1<br>2</pre>
</td><td class="code"><pre>...</pre></td></tr></table></figure>`` (a ``<figcaption>`` first when
the block has a title); Pygments with ``linenos="table"`` writes ``<table class="highlighttable">``
with ``td.linenos`` and ``td.code``. A browser shows a code block; so do the writers that cannot
carry a table of code (Markdown, plain text): the code cell's ``<pre>`` and the language, the line
numbers left out. XHTML and HTML keep the table as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_NUMBERS = {"gutter", "linenos", "hljs-ln-numbers", "line-numbers"}
_CODE = {"code", "hljs-ln-code"}


class CodeTable(NamedTuple):
    table: HtmlElement  # the table (for Hexo: inside the figure)
    caption: HtmlElement | None  # Hexo's <figcaption>: the block's title
    pre: HtmlElement  # the code
    language: str


def _classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def code_table(el: HtmlElement) -> CodeTable | None:
    """``el`` (a ``<figure>`` or ``<table>``) as a code block laid out as a table, or None."""
    language = ""
    caption = None
    table = el
    if el.tag == "figure":
        classes = (el.get("class") or "").split()
        if "highlight" not in classes:
            return None
        rest = [c for c in classes if c != "highlight"]
        language = rest[0] if rest else ""
        children = [c for c in el if isinstance(c.tag, str)]
        tables = [c for c in children if c.tag == "table"]
        if len(tables) != 1 or any(c.tag not in ("table", "figcaption") for c in children):
            return None
        caption = next((c for c in children if c.tag == "figcaption"), None)
        table = tables[0]
    elif el.tag != "table":
        return None
    rows = [r for r in table.iter("tr")]
    if len(rows) != 1:
        return None
    cells = [c for c in rows[0] if isinstance(c.tag, str)]
    if len(cells) != 2 or not (_classes(cells[0]) & _NUMBERS) or not (_classes(cells[1]) & _CODE):
        return None
    pres = list(cells[1].iter("pre"))
    if len(pres) != 1:
        return None
    if not language:
        for candidate in (table, cells[1], pres[0]):
            for cls in _classes(candidate):
                if cls.startswith(("language-", "lang-")):
                    language = cls.split("-", 1)[1]
    return CodeTable(table, caption, pres[0], language if language.replace("-", "").replace("+", "").replace("#", "").isalnum() else "")
