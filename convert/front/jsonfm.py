"""JSON front matter: a leading ``{...}`` object (Hugo) or members ended by ``;;;`` (Hexo)."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from convert.errors import FrontMatterError


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise FrontMatterError(f"duplicate key {key!r} in JSON front matter")
        out[key] = value
    return out


def load_json(raw: str, first_line: int, *, braces_optional: bool = False) -> dict[str, Any]:
    text = raw
    line_shift = 0
    if braces_optional and not raw.strip().startswith("{"):
        text = "{" + raw + "}"
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except FrontMatterError as err:
        err.line = first_line
        raise
    except json.JSONDecodeError as err:
        raise FrontMatterError(
            f"malformed JSON front matter: {err.msg}", line=first_line + err.lineno - 1 + line_shift
        ) from None
    except RecursionError:
        raise FrontMatterError("JSON front matter is nested too deeply", line=first_line) from None
    except ValueError as err:  # an integer too long for Python to read
        from convert.limits import MAX_INT_DIGITS, is_int_limit_error

        if not is_int_limit_error(err):
            raise
        raise FrontMatterError(f"an integer of more than {MAX_INT_DIGITS:,} digits in JSON front matter; refused", line=first_line) from None
    if not isinstance(value, dict):
        raise FrontMatterError("front matter must be a JSON object", line=first_line)
    return value


def _default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dump_json(metadata: dict[str, Any], *, braces: bool = True) -> str:
    try:
        text = json.dumps(metadata, indent=2, ensure_ascii=False, default=_default)
    except (TypeError, ValueError) as err:
        raise FrontMatterError(f"cannot write this metadata as JSON: {err}") from None
    if not braces:
        inner = text[1:-1].strip("\n")
        lines = [line[2:] if line.startswith("  ") else line for line in inner.split("\n")]
        return "\n".join(lines) + "\n" if inner else ""
    return text
