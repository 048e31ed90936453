"""Escaping text for CommonMark: exactly where a character would be read as markup, no more.

Inline (anywhere in a line):

* ``\\`` before ASCII punctuation or at the end (else a backslash is literal and stays bare);
* `` ` `` always; ``^`` before ``[`` (an inline footnote) and at the end; ``[`` before ``^``
  (a footnote reference);
* ``]`` where a link could follow or a definition begin: right before ``(``, ``[`` or ``:``.
  What follows a text node is only known once the whole Markdown is written, so a text ``]``
  is first written as :data:`BRACKET` and :func:`resolve_brackets` decides at the end. Our
  Markdown never defines link references or footnotes, so ``[1]`` or ``[sic]`` cannot become
  links and stay as written.
  Inside link text and image descriptions every bracket is escaped (``all_brackets``): there an
  unbalanced one would end the text;
* ``*`` unless surrounded by spaces (``a * b``); ``_`` unless inside a word (``snake_case``)
  or surrounded by spaces;
* ``~`` next to another ``~`` (GFM strikethrough);
* ``<`` before a letter, ``/``, ``!`` or ``?`` (raw HTML, autolinks);
* ``&`` that would start an entity or character reference;
* ``!`` before ``[`` is covered by escaping the ``[``.

At the start of a line: ``#`` headings, ``>`` quotes, ``-``/``+``/``*`` bullets, ``1.``/``1)``
ordered items, ``=``/``-`` setext underlines, code fences, ``|`` (tables), ``[ ]``/``[x]``
(task-list boxes at the start of an item).
"""

from __future__ import annotations

import re

from convert.html import escape_text
from convert.lazyre import lazy

#: Stands for a text "]" until :func:`resolve_brackets`. A control character that no text in an
#: lxml tree can hold, so it cannot clash with the document's own characters, and that Python
#: does not count as whitespace (``strip`` keeps it).
BRACKET = "\x01"
_BRACKETS = lazy(BRACKET + r"(?=[(\[:])")

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
ENTITY = lazy(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


_SPECIAL = lazy(r"[\\`\[\]^*_~<&|]|www\.|(?<=[A-Za-z])://")
_TYPOGRAPHIC = lazy(r"[\\`\[\]^*_~<&|\"'>]|www\.|(?<=[A-Za-z])://|(?<=-)-|(?<=\.\.)\.")
# The characters of each alone: a class is found by a quick scan, an alternation is tried at
# every position. Most text has none of them (and no "www.", "://", "--" or "..."): it is done.
_SPECIAL_CHARS = lazy(r"[\\`\[\]^*_~<&|]")
_TYPOGRAPHIC_CHARS = lazy(r"[\\`\[\]^*_~<&|\"'>]")


def _plain(text: str, typography: bool) -> bool:
    """Whether ``text`` surely holds nothing :func:`escape_inline` escapes."""
    if (_TYPOGRAPHIC_CHARS if typography else _SPECIAL_CHARS).search(text) or "www." in text or "://" in text:
        return False
    return not typography or ("--" not in text and "..." not in text)


def escape_inline(text: str, all_brackets: bool = False, typography: bool = False) -> str:
    """``text`` with a backslash before each character CommonMark would read as markup there.

    Also, for every engine blogs publish with: ``|`` (kramdown reads a line holding one as a
    table row), ``www.`` and ``scheme://`` (GFM engines turn them into links), ``&`` that would
    start an entity (written ``&amp;``: kramdown has no ``\\&``). With ``typography`` (an engine
    with a typographer: smartypants, goldmark's, kramdown's), straight quotes, ``--``, ``...``
    and ``<<``/``>>`` are escaped so that they stay as they were."""
    pattern = _TYPOGRAPHIC if typography else _SPECIAL
    if not text or _plain(text, typography) or pattern.search(text) is None:
        return text
    first = len(text) - len(text.lstrip(" "))  # index of the first character that is not a space
    end = len(text.rstrip(" "))  # index after the last one

    def escape(m: re.Match[str]) -> str:
        ch, i = m.group(), m.start()
        # At the edges of a text node the neighbour is unknown markup: assume the worst. Spaces
        # at either edge may be trimmed later (the end of a paragraph, of link text): look past.
        prev = text[i - 1] if i > first else ""
        nxt = text[i + 1] if i + 1 < end else ""
        if ch == "\\":
            return "\\\\" if (nxt in _PUNCT or nxt == "") else "\\"
        if ch == "`" or (all_brackets and ch in "[]"):
            return "\\" + ch
        if ch == "[":
            return "\\[" if nxt == "^" else ch  # [^1] is a footnote reference
        if ch == "]":
            return BRACKET
        if ch == "^":
            return "\\^" if nxt in ("[", "") else "^"  # ^[...] is an inline footnote
        if ch == "*":
            return "*" if (prev.isspace() and nxt.isspace()) else "\\*"
        if ch == "_":
            inside_word = prev.isalnum() and nxt.isalnum()
            spaced = prev.isspace() and nxt.isspace()
            return "_" if (inside_word or spaced) else "\\_"
        if ch == "~":
            return "\\~" if (prev == "~" or nxt == "~") else "~"
        if ch == "<":
            return "\\<" if (nxt.isalpha() or (nxt and nxt in "/!?") or (typography and "<" in (prev, nxt))) else "<"
        if ch == "&":
            return "&amp;" if ENTITY.match(text, i) else "&"
        if ch == "|":
            return "\\|"
        if ch == "www.":
            return "www\\."
        if ch == "://":
            return "\\://"
        if ch in "\"'":
            return "\\" + ch
        if ch == ">":
            return "\\>" if ">" in (prev, nxt) else ">"
        if ch in "-.":
            return "\\" + ch  # the second of "--", the third of "..."
        return ch

    return pattern.sub(escape, text)


def resolve_brackets(markdown: str) -> str:
    """Turn each :data:`BRACKET` into ``\\]`` where a link or a definition could start, else ``]``."""
    if BRACKET not in markdown:
        return markdown
    return _BRACKETS.sub(r"\\]", markdown).replace(BRACKET, "]")


_LINE_START = lazy(
    r"^(?:"
    r"(?P<hash>#{1,6})(?=[ \t]|$)"
    r"|(?P<quote>>)"
    r"|(?P<bullet>[-+*])(?=[ \t]|$)"
    r"|(?P<num>[0-9]{1,9})(?P<delim>[.)])(?=[ \t]|$)"
    r"|(?P<setext>=+|-+)[ \t]*$"
    r"|(?P<fence>```|~~~)"
    r"|(?P<pipe>\|)"
    r"|(?P<task>\[[ xX][\]" + BRACKET + r"])(?=[ \t]|$)"
    r"|(?P<definition>\[[^\n]*?" + BRACKET + r":)"  # kramdown reads [x\]: as a definition too
    r")"
)


def escape_line_starts(text: str) -> str:
    """Escape what would start a block at the beginning of any line of ``text``."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        lead = line[: len(line) - len(stripped)]
        m = _LINE_START.match(stripped)
        if not m:
            continue
        if m.group("num") is not None:
            stripped = m.group("num") + "\\" + stripped[len(m.group("num")) :]
        else:
            stripped = "\\" + stripped
        lines[i] = lead + stripped
    return "\n".join(lines)


def code_span(text: str) -> str:
    """A code span holding ``text`` exactly."""
    if text == "":
        return ""
    runs = {len(m) for m in re.findall(r"`+", text)}
    ticks = 1
    while ticks in runs:
        ticks += 1
    fence = "`" * ticks
    pad = " " if (text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " " and text.strip(" "))) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run at the start of a line in ``code``."""
    longest = 0
    for m in re.finditer(r"^[ ]{0,3}(`{3,})", code, re.MULTILINE):
        longest = max(longest, len(m.group(1)))
    return "`" * max(3, longest + 1)


def html_attribute(value: str) -> str:
    """An attribute value of raw HTML in Markdown, escaped; its line ends are character
    references: a reader turns a carriage return into a line feed, and a blank line would end
    the HTML."""
    value = escape_text(value, quote=True)
    return value.replace("\r", "&#13;").replace("\n", "&#10;") if "\r" in value or "\n" in value else value


def html_attribute_pair(name: str, value: str, restored: str) -> str:
    """``name="value"`` for raw HTML in Markdown (:func:`html_attribute`); ``name='value'`` when
    the template code in it (``restored`` is the value with its code put back) holds a double
    quote. That code is put back as written, and must be: its generator reads it before any
    HTML (``&quot;`` would break ``{{< relref "x" >}}``)."""
    quote = "'" if '"' in restored and "'" not in restored else '"'
    return f"{name}={quote}{html_attribute(value)}{quote}"
