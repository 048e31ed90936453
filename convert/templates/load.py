"""Loading the tag table: the one shipped in this package, then the user's entries
(``[tool.fmconvert.tags]`` of the configuration, ``--tags FILE``), each replacing the shipped
entry of its name. A table that cannot be read is a :class:`TableError` naming the file and line.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from convert.errors import FormatError

if TYPE_CHECKING:
    from convert.templates.table import Entry, Table


class TableError(FormatError):
    """A tag table that cannot be used: a usage error naming the file and line."""

SHIPPED = os.path.join(os.path.dirname(__file__), "tags.toml")


def _line_of(text: str, header: str, key: str | None) -> int | None:
    """The line of ``key`` in the table ``[header]`` of ``text`` (or of the header itself)."""
    lines = text.splitlines()
    start = None
    pattern = re.compile(r"\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in header.split(".")) + r"\s*\]\s*(#.*)?$")
    for i, line in enumerate(lines):
        if pattern.match(line):
            start = i
            break
    if start is None:
        return None
    if key is None:
        return start + 1
    key_line = re.compile(r"\s*" + re.escape(key) + r"\s*=")
    for i in range(start + 1, len(lines)):
        if re.match(r"\s*\[", lines[i]):
            break
        if key_line.match(lines[i]):
            return i + 1
    return start + 1


def read_toml(path: str) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; a TOML error names the file and its line."""
    from convert.front.tomlfm import toml_reader

    tomllib = toml_reader()
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except OSError as err:
        raise TableError(f"cannot read the tag table: {err.strerror or err}", path=path) from None
    except UnicodeDecodeError:
        raise TableError("the tag table is not UTF-8", path=path) from None
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column \d+\)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        raise TableError(f"malformed tag table: {message}", path=path, line=int(m.group(1)) if m else None) from None


def entries_from(data: Any, path: str, text: str, prefix: str) -> list[Entry]:
    """The entries of a tag table's data; ``prefix`` is the table's name in the file
    (``tool.fmconvert.tags``, ``tags`` or ``""``), for line numbers."""
    if not isinstance(data, dict):
        raise TableError(f"[{prefix}] must be a table", path=path, line=_line_of(text, prefix, None) if prefix else None)
    from convert.templates.table import make_entry

    found = []
    for kind, value in data.items():
        header = f"{prefix}.{kind}" if prefix else kind

        def where(key: str | None, message: str, header: str = header) -> TableError:
            return TableError(message, path=path, line=_line_of(text, header, key))

        found.append(make_entry(kind, value, where))
    return found


def user_entries(path: str) -> list[Entry]:
    """The entries of a ``--tags FILE``: its tables (or its ``[tags]`` table)."""
    data, text = read_toml(path)
    if set(data) == {"tags"}:
        return entries_from(data["tags"], path, text, "tags")
    if "tool" in data and isinstance(data["tool"], dict) and "fmconvert" in data["tool"]:
        return entries_from(data["tool"]["fmconvert"].get("tags", {}), path, text, "tool.fmconvert.tags")
    return entries_from(data, path, text, "")


def config_entries(path: str, table: dict[str, Any]) -> list[Entry]:
    """The entries of ``[tool.fmconvert.tags]`` (or a ``.fmconvert.toml``'s ``[tags]``)."""
    if "tags" not in table:
        return []
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    prefix = "tags" if os.path.basename(path) == ".fmconvert.toml" else "tool.fmconvert.tags"
    return entries_from(table["tags"], path, text, prefix)


@lru_cache(maxsize=1)
def shipped() -> tuple[Entry, ...]:
    data, text = read_toml(SHIPPED)
    return tuple(entries_from(data, SHIPPED, text, ""))


_TABLES: dict[tuple[str, ...], Table] = {}


def table_for(sources: tuple[str, ...] = ()) -> Table:
    """The shipped table with the entries of ``sources`` (``--tags`` files and ``config:PATH``
    configurations) over it; built once per process for each list of sources."""
    if sources not in _TABLES:
        from convert.templates.table import Table

        entries = list(shipped())
        for source in sources:
            if source.startswith("config:"):
                from convert.config import read_config

                path = source[len("config:") :]
                entries.extend(config_entries(path, read_config(path).table))
            else:
                entries.extend(user_entries(source))
        _TABLES[sources] = Table.of(entries)
    return _TABLES[sources]
