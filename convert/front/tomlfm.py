"""TOML front matter (Hugo's ``+++`` blocks): read with the standard ``tomllib`` (``tomli``, the
same code, on Python 3.10), written with ``tomli-w`` (the standard library only reads TOML)."""

from __future__ import annotations

import re
from typing import Any

from convert.errors import FrontMatterError

_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_reader() -> Any:
    """The TOML reading module: ``tomllib`` from Python 3.11, ``tomli`` before."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


def load_toml(raw: str, first_line: int) -> dict[str, Any]:
    tomllib = toml_reader()
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        line = first_line
        m = _AT_LINE.search(message)
        if m:
            line = first_line + int(m.group(1)) - 1
            message = message[: m.start()].rstrip()
        raise FrontMatterError(f"malformed TOML front matter: {message}", line=line) from None
    except RecursionError:
        raise FrontMatterError("TOML front matter is nested too deeply", line=first_line) from None


def dump_toml(metadata: dict[str, Any]) -> str:
    import tomli_w

    try:
        return tomli_w.dumps(metadata)
    except (TypeError, ValueError) as err:
        null = _first_null(metadata, "")
        reason = f"{null} is null, and TOML has no null" if null else str(err)
        raise FrontMatterError(f"cannot write this metadata as TOML: {reason}") from None


def _first_null(value: Any, path: str) -> str | None:
    """The dotted path of the first null value in ``value`` (``tags[1]``, ``author.url``)."""
    if value is None:
        return path or "the metadata"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _first_null(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
