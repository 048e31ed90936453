"""TOML front matter (Hugo's ``+++`` blocks): read with the standard ``tomllib`` (``tomli``, the
same code, on Python 3.10), written with ``tomli-w`` (the standard library only reads TOML)."""

from __future__ import annotations

import re
from typing import Any

from convert.errors import FrontMatterError, LimitError
from convert.limits import MAX_INT_DIGITS, checked_values, is_int_limit_error

_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
# An integer literal long enough to pass the limit in some base (hex reaches it first, at about
# 3,600 digits): where the error is reported, as tomllib does not say where it failed.
_LONG_INT = re.compile(r"(?<![\w.])[+-]?(?:0[xob])?[0-9A-Fa-f](?:_?[0-9A-Fa-f]){3500,}")


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
        return checked_values(tomllib.loads(raw))  # type: ignore[no-any-return]
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
    except (LimitError, ValueError) as err:
        if not isinstance(err, LimitError) and not is_int_limit_error(err):
            raise
        m = _LONG_INT.search(raw)
        line = first_line + (raw.count("\n", 0, m.start()) if m else 0)
        raise FrontMatterError(f"an integer of more than {MAX_INT_DIGITS:,} digits in TOML front matter; refused", line=line) from None


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
