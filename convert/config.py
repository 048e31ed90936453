"""Project configuration: ``[tool.fmconvert]`` in ``pyproject.toml``, or a ``.fmconvert.toml``
(the same table at its top level), found from a folder upwards; the nearest file wins.

Each capability reads its own sub-table and checks it: ``lint`` (:mod:`convert.lint.config`),
``fetch`` (:mod:`convert.fetch.config`). A malformed value is a usage error naming its key.
"""

from __future__ import annotations

import os
from typing import Any

from convert.errors import ConvertError, os_error

FILES = (".fmconvert.toml", "pyproject.toml")


def find_config(start: str) -> str | None:
    """The nearest ``.fmconvert.toml`` or ``pyproject.toml`` (with a ``[tool.fmconvert]`` table,
    or, for ``pyproject.toml``, the first one at all) from ``start`` upwards."""
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(os.path.abspath(start)))
    while True:
        for name in FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_tool_table(path: str | None) -> tuple[dict[str, Any], str | None]:
    """The fmconvert table of the file at ``path`` and the folder it is in ((``{}``, None) for
    no file). Raises :class:`ConvertError` for a file that cannot be read or parsed."""
    if path is None:
        return {}, None
    from convert.front.tomlfm import toml_reader

    tomllib = toml_reader()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise os_error("cannot read configuration", err, path=path) from None
    table = data if os.path.basename(path) == ".fmconvert.toml" else data.get("tool", {}).get("fmconvert", {})
    if not isinstance(table, dict):
        raise ConvertError("[tool.fmconvert] must be a table", path=path)
    return table, os.path.dirname(os.path.abspath(path))


def sub_table(table: dict[str, Any], name: str, path: str | None = None) -> dict[str, Any]:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise ConvertError(f"[tool.fmconvert.{name}] must be a table", path=path)
    return value
