"""Writing a tag the table matched: as plain HTML (the entry's ``html``), or as the target
engine's own tag (its first pattern), arguments quoted as that engine reads them."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from convert.html.templates import OPEN
from convert.templates.table import Pattern

_COND = re.compile(r"\{\?(\w+)\}(.*?)\{/\1\}", re.DOTALL)
_FIELD = re.compile(r"\{(\w+)\}")
_HELD = re.compile(OPEN + r"[0-9]+\ue301")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def escape_code(text: str) -> str:
    """Code as HTML text; held template spans (placeholders) are left as they are."""
    return escape(text, quote=False)


def html_parts(template: str, params: dict[str, Any]) -> tuple[str, str]:
    """The entry's HTML with ``params``, split at ``{inner}`` (before, after)."""

    def fill(text: str) -> str:
        while True:
            new = _COND.sub(lambda m: m.group(2) if _text(params.get(m.group(1))) else "", text)
            if new == text:
                break
            text = new

        def value(m: re.Match[str]) -> str:
            name = m.group(1)
            if name == "inner":
                return m.group(0)
            raw = _text(params.get(name))
            if name.endswith("_html"):
                return raw
            if name == "code":
                return escape_code(raw)
            return escape(raw, quote=True)

        return _FIELD.sub(value, text)

    filled = fill(template)
    before, _, after = filled.partition("{inner}")
    return before, after


def _quote(engine: str, value: str, keyed: bool) -> str:
    if engine == "hugo":
        if keyed or not value or re.search(r'[\s"`]|>\}\}|%\}\}', value):
            return "`" + value + "`" if '"' in value and "`" not in value else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value
    if engine in ("hexo", "wordpress"):
        if not value or re.search(r"""[\s"']|%\}|\]""", value):
            return "'" + value + "'" if '"' in value else '"' + value + '"'
        return value
    return value  # Liquid tags read their markup as written


def engine_parts(pattern: Pattern, params: dict[str, Any]) -> tuple[str, str]:
    """The engine's own start and end tags for ``params`` (end: "" for a tag without one)."""
    words = [pattern.name]
    for spec in pattern.specs:
        if spec.literal:
            words.append(spec.literal)
            continue
        value = params.get(spec.param)
        if spec.rest:
            words.extend(_quote(pattern.engine, str(v), False) for v in (value or []))
            continue
        text = _text(value)
        if not text:
            continue
        if spec.key:
            words.append(f"{spec.key}{spec.sep}{_quote(pattern.engine, text, spec.sep == '=')}")
        else:
            words.append(_quote(pattern.engine, text, False))
    inside = " ".join(words)
    open_, close = {"tag": ("{% ", " %}"), "sc": ("{{< ", " >}}"), "scmd": ("{{% ", " %}}"), "wp": ("[", "]")}[pattern.syntax]
    start = open_ + inside + close
    if not pattern.paired:
        return start, ""
    if pattern.syntax in ("sc", "scmd"):
        return start, f"{open_}/{pattern.end_name}{close}"
    if pattern.syntax == "wp":
        return start, f"[/{pattern.end_name}]"
    return start, f"{{% {pattern.end_name} %}}"
