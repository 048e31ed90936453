"""Finding the front-matter block at the top of a text.

The text handed in has already been decoded, had its BOM removed and its line ends normalized to
``\\n``. The block may be preceded by blank lines (line numbers still count them). Recognised:

* YAML between ``---`` lines (the closing fence may also be ``...``);
* TOML between ``+++`` lines;
* JSON: a leading ``{...}`` object (Hugo), or ``;;;`` fences, or JSON members ended by a ``;;;``
  line (Hexo, with or without the braces);
* nothing of these: no front matter, empty metadata.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from convert.errors import FrontMatterError
from convert.lazyre import lazy

_YAML_OPEN = lazy(r"-{3,}[ \t]*")
_YAML_CLOSE = lazy(r"(?:-{3,}|\.{3})[ \t]*")
_TOML_FENCE = lazy(r"\+{3}[ \t]*")
_HEXO_FENCE = lazy(r";{3,}[ \t]*")
_HEXO_CLOSE_LINE = lazy(r"^;{3,}[ \t]*$", re.MULTILINE)


class Split(NamedTuple):
    """Where the block is. ``raw`` is the text between the fences; ``body`` what follows."""

    kind: str | None  # "yaml" | "toml" | "json" | None
    style: str  # "---", "+++", ";;;", "object", "hexo-json", or "" for none
    leading: str  # blank lines before the block
    open_fence: str
    raw: str
    close_fence: str
    raw_line: int  # 1-based line of raw's first line
    body: str
    body_line: int  # 1-based line where the body starts


def _lines_before(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def split_front_matter(text: str) -> Split:
    """Locate the front matter in ``text`` (see the module docstring). Raises
    :class:`FrontMatterError` for a fence that is opened and never closed."""
    # Skip blank lines (spaces and tabs only) before the opening fence.
    pos = 0
    n = len(text)
    while pos < n:
        eol = text.find("\n", pos)
        line_end = n if eol < 0 else eol
        if text[pos:line_end].strip(" \t") == "" and eol >= 0:
            pos = eol + 1
            continue
        break
    leading = text[:pos]
    first_end = text.find("\n", pos)
    first_line = text[pos:] if first_end < 0 else text[pos:first_end]
    open_line_no = _lines_before(text, pos) + 1

    if _YAML_OPEN.fullmatch(first_line):
        return _fenced(text, leading, pos, first_line, first_end, open_line_no, "yaml", "---", _YAML_CLOSE)
    if _TOML_FENCE.fullmatch(first_line):
        return _fenced(text, leading, pos, first_line, first_end, open_line_no, "toml", "+++", _TOML_FENCE)
    if _HEXO_FENCE.fullmatch(first_line):
        return _fenced(text, leading, pos, first_line, first_end, open_line_no, "json", ";;;", _HEXO_FENCE)
    if first_line.startswith("{"):
        found = _json_object(text, leading, pos, open_line_no)
        if found is not None:
            return found
    if first_line.lstrip().startswith(("{", '"')):
        found = _hexo_json(text, leading, pos, open_line_no)
        if found is not None:
            return found
    return Split(None, "", "", "", "", "", 1, text, 1)


def _fenced(
    text: str,
    leading: str,
    pos: int,
    open_fence: str,
    first_end: int,
    open_line_no: int,
    kind: str,
    style: str,
    close_re: re.Pattern[str],
) -> Split:
    if first_end < 0:
        raise FrontMatterError(
            f"front matter opened with '{open_fence.strip()}' on line {open_line_no} is never closed",
            line=open_line_no,
        )
    start = first_end + 1
    cur = start
    n = len(text)
    while cur <= n:
        eol = text.find("\n", cur)
        line_end = n if eol < 0 else eol
        line = text[cur:line_end]
        if close_re.fullmatch(line):
            body_start = n if eol < 0 else eol + 1
            return Split(
                kind,
                style,
                leading,
                open_fence,
                text[start:cur],
                line,
                open_line_no + 1,
                text[body_start:],
                _lines_before(text, body_start) + 1,
            )
        if eol < 0:
            break
        cur = eol + 1
    raise FrontMatterError(
        f"front matter opened with '{open_fence.strip()}' on line {open_line_no} is never closed",
        line=open_line_no,
    )


def _json_object(text: str, leading: str, pos: int, open_line_no: int) -> Split | None:
    """A leading JSON object (Hugo). Returns None when the text does not start with one."""
    import json

    try:
        _, end = json.JSONDecoder().raw_decode(text, pos)
    except json.JSONDecodeError as err:
        if text[pos:].split("\n", 1)[0].strip() == "{":
            # A lone "{" line opens Hugo's JSON front matter: report it rather than guess.
            raise FrontMatterError(
                f"malformed JSON front matter: {err.msg}", line=open_line_no + text.count("\n", pos, err.pos)
            ) from None
        return None
    except RecursionError:
        raise FrontMatterError("JSON front matter is nested too deeply; refused", line=open_line_no) from None
    except ValueError as err:
        from convert.limits import MAX_INT_DIGITS, is_int_limit_error

        if is_int_limit_error(err):
            raise FrontMatterError(f"an integer of more than {MAX_INT_DIGITS:,} digits in JSON front matter; refused", line=open_line_no) from None
        return None
    eol = text.find("\n", end)
    rest_of_line = text[end:] if eol < 0 else text[end:eol]
    if rest_of_line.strip(" \t") not in ("", ";;;"):
        return None
    body_start = len(text) if eol < 0 else eol + 1
    close = rest_of_line
    return Split(
        "json",
        "object",
        leading,
        "",
        text[pos:end],
        close,
        open_line_no,
        text[body_start:],
        _lines_before(text, body_start) + 1,
    )


def _hexo_json(text: str, leading: str, pos: int, open_line_no: int) -> Split | None:
    """Hexo's JSON front matter: members (braces optional) ended by a ``;;;`` line."""
    m = _HEXO_CLOSE_LINE.search(text, pos)
    if m is None:
        return None
    raw = text[pos : m.start()]
    import json

    candidate = raw.strip()
    if not candidate.startswith("{"):
        candidate = "{" + candidate + "}"
    try:
        value = json.loads(candidate)
    except (ValueError, RecursionError) as err:
        from convert.limits import MAX_INT_DIGITS, is_int_limit_error

        if is_int_limit_error(err):
            raise FrontMatterError(f"an integer of more than {MAX_INT_DIGITS:,} digits in JSON front matter; refused", line=open_line_no) from None
        return None
    if not isinstance(value, dict):
        return None
    eol = text.find("\n", m.end())
    body_start = len(text) if eol < 0 else eol + 1
    return Split(
        "json",
        "hexo-json",
        leading,
        "",
        raw,
        m.group(0),
        open_line_no,
        text[body_start:],
        _lines_before(text, body_start) + 1,
    )
