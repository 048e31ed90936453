"""Template syntax kept verbatim through every conversion.

Pages of Jekyll, Hugo, Hexo and Eleventy hold template code that their generator runs before (or
around) Markdown: Liquid and Nunjucks ``{{ ... }}``, ``{% ... %}``, ``{# ... #}``, Hugo's
shortcodes ``{{< ... >}}`` and ``{{% ... %}}``. An HTML parser would take it for text (to escape,
wrap or linkify) or break it where it sits in an attribute (``href="{{< relref "/x" >}}"`` holds
quotes). So before the body is parsed each span is swapped for a placeholder of private-use
characters, which no writer escapes, encodes or splits, and every writer puts the spans back.
"""

from __future__ import annotations

import re

from convert.lazyre import lazy

OPEN, CLOSE = "\ue300", "\ue301"
_SPAN = lazy(r"\{\{[<%].{0,2000}?[>%]\}\}|\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}|\{#.{0,2000}?#\}", re.DOTALL)
# libxml2 writes href and src values percent-encoded: the placeholder may come back so
_PLACEHOLDER = lazy(f"(?:{OPEN}|%EE%8C%80)([0-9]+)(?:{CLOSE}|%EE%8C%81)")


def protect(markup: str) -> tuple[str, list[str]]:
    """``markup`` with its template spans swapped for placeholders, and the spans in order."""
    if "{" not in markup or OPEN in markup:
        return markup, []
    spans: list[str] = []

    def swap(m: re.Match[str]) -> str:
        spans.append(m.group(0))
        return f"{OPEN}{len(spans) - 1}{CLOSE}"

    return _SPAN.sub(swap, markup), spans


def restore(text: str, spans: list[str]) -> str:
    """Put the template spans back where their placeholders are."""
    if not spans or (OPEN not in text and "%EE%8C%80" not in text):
        return text
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))] if int(m.group(1)) < len(spans) else m.group(0), text)


def placeholders(text: str) -> list[str]:
    """The placeholders in ``text``, in order (each as written there)."""
    return [m.group() for m in _PLACEHOLDER.finditer(text)] if OPEN in text or "%EE%8C%80" in text else []


def split_templates(text: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, in order: (piece, whether it is template code)."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in _SPAN.finditer(text):
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m.group(), True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def holds_template(text: str | None) -> bool:
    return bool(text) and OPEN in text  # type: ignore[operator]
