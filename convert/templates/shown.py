"""Text that looks like template code, written so that the target engine shows it as it is.

Writers call :func:`escape_lines` (or :func:`escape_text`) on what they wrote, before the live
template spans are put back (those are placeholders here, left alone):

* **Jekyll** runs Liquid over the whole post first, code included, so the fix is the same
  everywhere: each ``{{ ... }}`` / ``{% ... %}`` (or a lone ``{{``, ``{%``) is wrapped in
  ``{% raw %}...{% endraw %}``, which Liquid consumes (see :func:`_raw` for a ``{%`` inside).
* **Hexo** leaves fenced and inline code alone (the writer marks them with :data:`CODE_OPEN` /
  :data:`CODE_CLOSE`); elsewhere the ``{`` of ``{{``, ``{%``, ``{#`` and the ``}`` of ``#}``
  (Nunjucks refuses a lone one) become ``&#123;`` / ``&#125;``, which marked passes through
  and the browser shows as braces.
* **Hugo** reads shortcodes everywhere: ``{{< x >}}`` becomes ``{{</* x */>}}`` (Hugo shows
  ``{{< x >}}``), ``{{% x %}}`` ``{{%/* x */%}}``; an opener with no closer after it is written
  ``{{&lt;`` / ``{{&#37;`` (the writer keeps code holding one as HTML, where those read right);
  text ``{{`` right before a tag is written ``{&#123;``.
"""

from __future__ import annotations

import re

from convert.html.templates import CLOSE, OPEN

CODE_OPEN, CODE_CLOSE = "\ue302", "\ue303"

_LIQUID_OPENER = re.compile(r"\{[{%]")
_ANY_TAG = re.compile(r"\{%")
_ENDRAW = re.compile(r"\{%(?=-?\s*endraw\b)")
_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
_HUGO_OPENER = re.compile(r"\{\{([<%])")
_NUNJUCKS = re.compile(r"\{(?=[{%#" + OPEN + r"])|#\}")
_LONE_HUGO = re.compile(r"\{\{([<%])")
_TAG_START = re.compile(r"[A-Za-z/!?]")


def escape_text(text: str, target: str, head: bool = True) -> str:
    """``text`` with its shown template code escaped for ``target`` (markers of code removed).
    ``head``: ``text`` starts the post's body (Jekyll's excerpt is its first paragraph)."""
    if target == "jekyll":
        if "{" not in text:
            return text
        blank = text.find("\n\n", 1)
        return jekyll(text, (blank if blank >= 0 else len(text)) if head else -1)
    if target == "hugo":
        return hugo(text) if "{{" in text else text
    if target == "hexo":
        return hexo(text, False)[0]
    return text


def escape_lines(lines: list[str], target: str) -> list[str]:
    """:func:`escape_text` on each line of ``lines`` in place (Hexo's code markers may open on
    one line and close on a later one; Jekyll's excerpt runs to the first blank line)."""
    if target == "hexo":
        in_code = False
        for i, line in enumerate(lines):
            if "{" in line or "#}" in line or CODE_OPEN in line or CODE_CLOSE in line or in_code:
                lines[i], in_code = hexo(line, in_code)
        return lines
    head = target == "jekyll"
    for i, line in enumerate(lines):
        if "{" in line:
            if head and "\n\n" not in line:
                lines[i] = jekyll(line, len(line) + 1)
            else:
                lines[i] = escape_text(line, target, head)
        if head and ((line == "" and i > 0) or "\n\n" in line):
            head = False
    return lines


def _raw(region: str, split: bool) -> str:
    """``region`` in ``{% raw %}``. A ``{%`` in it may close the raw block (a token ``{%{% endraw
    %}`` ends it and writes its ``{%``) and open another: always before ``endraw`` (a shown
    ``{% endraw %}`` must not end it), and everywhere when ``split`` (in the first paragraph,
    which Jekyll's excerpt checks for block tags left open, ``{% for`` without ``{% endfor``)."""
    pattern = _ANY_TAG if split else _ENDRAW
    return "{% raw %}" + pattern.sub("{%{% endraw %}{% raw %}", region) + "{% endraw %}"


def _opens_blocks(head: str) -> bool:
    """Whether Jekyll's excerpt would find a tag without its end tag in ``head`` (it appends one)."""
    for name in set(_TAG_NAME.findall(head)):
        if name not in ("raw", "endraw") and not name.startswith("end") and not re.search(r"\{%-?\s*end" + name + r"\b", head):
            return True
    return False


def jekyll(text: str, head_end: int = -1) -> str:
    """``head_end``: where Jekyll's excerpt (the first paragraph) ends in ``text`` (-1: not here)."""
    regions: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _LIQUID_OPENER.search(text, pos)
        lone = text.find("{" + OPEN, pos)
        if m is None and lone < 0:
            break
        if m is None or 0 <= lone < m.start():
            start, end = lone, lone + 1  # a "{" right before live code would open it: "{{% x %}"
        else:
            start = m.start()
            floor = regions[-1][1] if regions else 0
            while start > floor and text[start - 1] == "{":
                start -= 1  # "{{{": Liquid would read "{{" from the first brace
            close = text.find("}}" if text[m.start() + 1] == "{" else "%}", m.end())
            held = text.find(OPEN, m.end())
            blank = text.find("\n\n", m.end())  # (Jekyll's excerpt ends at a blank line: a raw block must not)
            end = close + 2 if close >= 0 and (held < 0 or held > close) and (blank < 0 or blank > close) else m.end()
            while end < len(text) and text[end] == "}":
                end += 1  # "{{" + "{% endraw %}" + "}" would read as one variable "{{{% endraw %}}"
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], end))
        else:
            regions.append((start, end))
        pos = end
    if not regions:
        return text
    split = head_end > 0 and _opens_blocks(text[:head_end])
    out: list[str] = []
    last = 0
    for start, end in regions:
        out.append(text[last:start])
        out.append(_raw(text[start:end], split and start < head_end))
        last = end
    out.append(text[last:])
    return "".join(out)


def hugo(text: str) -> str:
    out: list[str] = []
    pos = 0
    while (m := _HUGO_OPENER.search(text, pos)) is not None:
        mark = m.group(1)
        closer = (">" if mark == "<" else "%") + "}}"
        close = text.find(closer, m.end())
        held = text.find(OPEN, m.end())
        if close >= 0 and (held < 0 or held > close):
            out.append(text[pos : m.end()] + "/*" + text[m.end() : close] + "*/" + closer)
            pos = close + 3
        elif mark == "<" and _TAG_START.match(text, m.end()):
            out.append(text[pos : m.start()] + "{&#123;")  # text "{{" before a tag the writer wrote
            pos = m.start() + 2
        else:
            out.append(text[pos : m.start()] + "{{" + ("&lt;" if mark == "<" else "&#37;"))
            pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def lone_hugo_opener(code: str) -> bool:
    """Whether ``code`` holds a ``{{<`` / ``{{%`` with no closer after it (Hugo would refuse
    it; in a code block nothing hides it, so the block is written as HTML)."""
    for m in _LONE_HUGO.finditer(code):
        if code.find((">" if m.group(1) == "<" else "%") + "}}", m.end()) < 0:
            return True
    return False


def _hexo_prose(text: str) -> str:
    return _NUNJUCKS.sub(lambda m: "#&#125;" if m.group() == "#}" else "&#123;", text)


def hexo(text: str, in_code: bool) -> tuple[str, bool]:
    if CODE_OPEN not in text and CODE_CLOSE not in text:
        return (text if in_code else _hexo_prose(text)), in_code
    out: list[str] = []
    for piece in re.split(f"([{CODE_OPEN}{CODE_CLOSE}])", text):
        if piece == CODE_OPEN:
            in_code = True
        elif piece == CODE_CLOSE:
            in_code = False
        elif piece:
            out.append(piece if in_code else _hexo_prose(piece))
    return "".join(out), in_code


def strip_markers(text: str) -> str:
    return text.replace(CODE_OPEN, "").replace(CODE_CLOSE, "") if (CODE_OPEN in text or CODE_CLOSE in text) else text


__all__ = ["CLOSE", "CODE_CLOSE", "CODE_OPEN", "escape_lines", "escape_text", "lone_hugo_opener", "strip_markers"]
