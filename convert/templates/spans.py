"""Template code in a post's markup, found as each engine's own lexer finds it.

* **Liquid** (Jekyll) reads the whole post: ``{{ ... }}`` ends at the first ``}}`` (a ``{{ x }``
  or an opener never closed fails the build), ``{% ... %}`` at the first ``%}``; the content of
  ``{% raw %}...{% endraw %}`` is shown text (``endraw`` is found as Liquid's ``Raw`` tag finds
  it), ``{% comment %}...{% endcomment %}`` is one tag.
* **Nunjucks** as Hexo runs it skips code: fenced and inline code of Markdown, every
  ``<code>...</code>`` element (Hexo's ``rCodeTag``) and HTML comments. A ``{{ x`` never closed
  (or closed by one ``}``) stays text; ``{% raw %}`` content is shown text.
* **Hugo** finds ``{{< ... >}}`` and ``{{% ... %}}`` everywhere (quoted arguments may hold the
  closing delimiter); ``{{</* x */>}}`` shows ``{{< x >}}``. Plain ``{{ }}`` and ``{% %}`` are text.
* **WordPress** shortcodes ``[name ...]`` (``[/name]`` closes) are read only for the names the
  tag table knows; ``[[name]]`` shows ``[name]``.

Each finder returns :class:`Token` objects in order; :class:`Malformed` names the offset of code
the engine itself would refuse (the caller turns it into a line number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from convert.html.templates import OPEN


@dataclass
class Token:
    start: int
    end: int
    syntax: str  # "tag" {% %} | "var" {{ }} | "comment" {# #} | "sc" {{< >}} | "scmd" {{% %}} | "wp" [x]
    name: str = ""  # the tag or shortcode name ("" for a variable or a comment)
    args: str = ""  # what follows the name (a variable: its whole expression)
    closing: bool = False  # {{< /x >}}, [/x]
    shown: str | None = None  # not code at all: the text it shows ({% raw %} content, {{</* x */>}})
    inner: str | None = None  # a tag that holds its content ({% comment %}...{% endcomment %})


class Malformed(Exception):
    """Template code the engine would refuse, at offset ``pos`` of the markup."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


def snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- Liquid (Jekyll) -----------------------------------------------------------------------------

_LIQUID_OPENER = re.compile(r"\{[{%]")
_LIQUID_TOKEN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}?", re.DOTALL)
_TAG_BODY = re.compile(r"-?\s*(\w+|#)(.*?)-?\s*\Z", re.DOTALL)
#: Liquid 5's Raw#parse: a token closes {% raw %} when it ends in {% endraw ... %}
_ENDS_RAW = re.compile(r"\A(.*)\{%\s*(\w+)\s*(.*)?%\}\Z", re.DOTALL)


def _tag_parts(inner: str) -> tuple[str, str]:
    m = _TAG_BODY.match(inner)
    return (m.group(1), m.group(2).strip()) if m else ("", inner.strip())


def liquid_tokens(markup: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while (m := _LIQUID_OPENER.search(markup, pos)) is not None:
        t = _LIQUID_TOKEN.match(markup, m.start())
        if t is None:
            raise Malformed(m.start(), f"'{m.group()}' is never closed")
        text = t.group()
        if text.startswith("{{"):
            if not text.endswith("}}"):
                raise Malformed(m.start(), f"'{snippet(text)}' is not closed by '}}}}'")
            tokens.append(Token(t.start(), t.end(), "var", args=text[2:-2].strip("-").strip()))
            pos = t.end()
            continue
        name, args = _tag_parts(text[2:-2])
        if not name:
            raise Malformed(m.start(), f"'{snippet(text)}' has no tag name")
        if name in ("raw", "comment"):
            end, body_end = _liquid_block_end(markup, t.end(), name)
            if end < 0:
                raise Malformed(m.start(), f"'{snippet(text)}' is never closed (no '{{% end{name} %}}')")
            body = markup[t.end() : body_end]
            if name == "raw":
                tokens.append(Token(t.start(), end, "tag", name, args, shown=body))
            else:
                tokens.append(Token(t.start(), end, "tag", name, args, inner=body))
            pos = end
            continue
        tokens.append(Token(t.start(), t.end(), "tag", name, args))
        pos = t.end()
    return tokens


def _liquid_block_end(markup: str, pos: int, name: str) -> tuple[int, int]:
    """Where ``{% end<name> %}`` ends, and where the block's content ends, as Liquid's tokenizer
    finds them from ``pos`` ((-1, -1): never)."""
    while (m := _LIQUID_OPENER.search(markup, pos)) is not None:
        t = _LIQUID_TOKEN.match(markup, m.start())
        if t is None:
            return -1, -1
        e = _ENDS_RAW.match(t.group())
        if e and e.group(2) == "end" + name:
            return t.end(), t.start() + len(e.group(1))
        pos = t.end()
    return -1, -1


# ---- Nunjucks as Hexo runs it ---------------------------------------------------------------------

_CODE_TAG = re.compile(r"<code[^<>]*>[\s\S]+?</code>|<!--[\s\S]*?(?:-->|\Z)")
_FENCE = re.compile(
    r"^((?:(?:[^\S\r\n]*>){0,3}|[-*+]|[0-9]+\.)[^\S\r\n]*)(`{3,}|~{3,})[^\S\r\n]*((?:.*?[^`\s])?)[^\S\r\n]*\n"
    r"((?:[\s\S]*?\n)?)(?:(?:[^\S\r\n]*>){0,3}[^\S\r\n]*)\2[^\S\r\n]?(\n+|$)",
    re.MULTILINE,
)
_NUNJUCKS_OPENER = re.compile(r"\{[{%#]")
_RAW_START = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_END = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def inline_code_ranges(markup: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Code spans as Hexo's escaper finds them: a backtick run not after a backslash, closed by
    a run of the same length before a blank line."""
    end = len(markup) if end is None else end
    ranges = []
    i = start
    while (i := markup.find("`", i, end)) >= 0:
        run = i
        while run < end and markup[run] == "`":
            run += 1
        if i > 0 and markup[i - 1] == "\\":
            i = run
            continue
        n = run - i
        j = run
        found = -1
        while (j := markup.find("`", j, end)) >= 0:
            k = j
            while k < end and markup[k] == "`":
                k += 1
            if "\n\n" in markup[run:j]:
                break
            if k - j == n:
                found = k
                break
            j = k
        if found < 0:
            i = run
            continue
        ranges.append((i, found))
        i = found
    return ranges


def code_ranges(markup: str, language: str) -> list[tuple[int, int]]:
    """The parts of ``markup`` Hexo shows as written: ``<code>`` elements and comments, and in
    Markdown fenced and inline code too. Sorted, not overlapping."""
    found = [(m.start(), m.end()) for m in _CODE_TAG.finditer(markup)]
    if language == "markdown":
        fences = [(m.start(), m.end()) for m in _FENCE.finditer(markup)] if ("```" in markup or "~~~" in markup) else []
        found.extend(fences)
        if "`" in markup:
            last = 0
            for a, b in [*sorted(fences), (len(markup), len(markup))]:
                found.extend(inline_code_ranges(markup, last, a))
                last = max(last, b)
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _close_of(markup: str, pos: int, closer: str, *, lone_first_ends: bool = False) -> int:
    """The offset after ``closer`` from ``pos``, outside quoted strings (-1: none).
    ``lone_first_ends``: the closer's first character alone (outside quotes) ends the span as
    text (-1), as Hexo reads ``{{ ... }`` (see :func:`_var_close`)."""
    quote = ""
    i = pos
    n = len(markup)
    first = closer[0]
    while i < n:
        ch = markup[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == first:
            if markup.startswith(closer, i):
                return i + len(closer)
            if lone_first_ends:
                return -1
        i += 1
    return -1


def nunjucks_tokens(markup: str, language: str) -> list[Token]:
    tokens: list[Token] = []
    skip = code_ranges(markup, language) if ("<code" in markup or "<!--" in markup or language == "markdown") else []
    k = 0
    pos = 0
    while (m := _NUNJUCKS_OPENER.search(markup, pos)) is not None:
        at = m.start()
        while k < len(skip) and skip[k][1] <= at:
            k += 1
        if k < len(skip) and skip[k][0] <= at:
            pos = skip[k][1]
            continue
        kind = markup[at + 1]
        if kind == "{":
            close = _var_close(markup, at + 2)
            if close < 0:
                pos = at + 2  # "{{ x" or "{{ x }": text to Hexo and Nunjucks alike
                continue
            tokens.append(Token(at, close, "var", args=markup[at + 2 : close - 2].strip("-").strip()))
            pos = close
        elif kind == "#":
            close = markup.find("#}", at + 2)
            if close < 0:
                raise Malformed(at, "'{#' is never closed by '#}'")
            tokens.append(Token(at, close + 2, "comment", args=markup[at + 2 : close]))
            pos = close + 2
        else:
            close = _close_of(markup, at + 2, "%}")
            if close < 0:
                raise Malformed(at, "'{%' is never closed by '%}'")
            name, args = _tag_parts(markup[at + 2 : close - 2])
            if name == "raw":
                end = _RAW_END.search(markup, close)
                if end is None:
                    raise Malformed(at, "'{% raw %}' is never closed (no '{% endraw %}')")
                tokens.append(Token(at, end.end(), "tag", name, args, shown=markup[close : end.start()]))
                pos = end.end()
                continue
            tokens.append(Token(at, close, "tag", name, args))
            pos = close
    return tokens


def _var_close(markup: str, pos: int) -> int:
    """The end of ``{{ ... }}`` from ``pos`` as Hexo finds it: at ``}}`` outside quotes; a lone
    ``}`` there ends it as text (-1)."""
    return _close_of(markup, pos, "}}", lone_first_ends=True)


# ---- Hugo shortcodes ------------------------------------------------------------------------------

_HUGO_OPENER = re.compile(r"\{\{([<%])")
_HUGO_NAME = re.compile(r"\s*(/?)\s*([^\s/]+)(.*?)(/?)\s*\Z", re.DOTALL)


def _hugo_close(markup: str, pos: int, closer: str) -> int:
    """The end of a shortcode's ``closer`` from ``pos``, outside "quoted" (with backslash
    escapes) and `raw` arguments (-1: none)."""
    i = pos
    n = len(markup)
    while i < n:
        ch = markup[i]
        if ch == '"':
            j = i + 1
            while j < n and markup[j] != '"':
                j += 2 if markup[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "`":
            j = markup.find("`", i + 1)
            i = (j if j >= 0 else n) + 1
            continue
        if ch == closer[0] and markup.startswith(closer, i):
            return i + len(closer)
        i += 1
    return -1


def hugo_tokens(markup: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while (m := _HUGO_OPENER.search(markup, pos)) is not None:
        at = m.start()
        mark = m.group(1)
        closer = (">" if mark == "<" else "%") + "}}"
        syntax = "sc" if mark == "<" else "scmd"
        if markup.startswith("/*", m.end()):
            end = markup.find("*/" + closer, m.end() + 2)
            if end < 0:
                raise Malformed(at, f"'{{{{{mark}/*' is never closed by '*/{closer}'")
            tokens.append(Token(at, end + 2 + len(closer), syntax, shown=f"{{{{{mark}{markup[m.end() + 2 : end]}{closer}"))
            pos = end + 2 + len(closer)
            continue
        close = _hugo_close(markup, m.end(), closer)
        if close < 0:
            raise Malformed(at, f"shortcode '{snippet(markup[at : at + 40])}' is never closed by '{closer}'")
        parts = _HUGO_NAME.match(markup[m.end() : close - 3])
        if parts is None:
            raise Malformed(at, f"shortcode '{snippet(markup[at:close])}' has no name")
        self_closed = "" if parts.group(4) else None  # {{< x />}}: no content, no closing tag
        tokens.append(Token(at, close, syntax, parts.group(2), parts.group(3).strip(), closing=bool(parts.group(1)), inner=self_closed))
        pos = close
    return tokens


# ---- WordPress shortcodes -------------------------------------------------------------------------


def wordpress_tokens(markup: str, names: frozenset[str]) -> list[Token]:
    if not names or "[" not in markup:
        return []
    pattern = re.compile(r"\[(\[?)(/?)(" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w-])([^\[\]]*?)(/?)\](\]?)")
    tokens = []
    for m in pattern.finditer(markup):
        if m.group(1) and m.group(6):  # [[name]]: shown as [name]
            tokens.append(Token(m.start(), m.end(), "wp", shown=m.group(0)[1:-1]))
            continue
        start = m.start() + len(m.group(1))
        end = m.end() - len(m.group(6))
        tokens.append(Token(start, end, "wp", m.group(3), m.group(4).strip(), closing=bool(m.group(2))))
    return tokens


def holds_placeholder(text: str) -> bool:
    return OPEN in text
