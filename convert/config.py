"""Project configuration: ``[tool.fmconvert]`` in ``pyproject.toml``, or a ``.fmconvert.toml``
(the same table at its top level), found from a folder upwards; the nearest file wins.

The one lookup: :func:`config_near` finds and reads it, once per command (the CLI passes the
:class:`Config` to every option that needs it), and each capability reads its own section and
checks it: ``lint`` (:mod:`convert.lint.config`), ``fetch``
(:mod:`convert.fetch.config`), ``epub``, the profile's keys (:mod:`convert.cli.options`). A
malformed value is a usage error naming the file and its key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from convert.errors import ConvertError, os_error

FILES = (".fmconvert.toml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
    """The fmconvert table of one configuration file (``{}`` and None when there is none)."""

    table: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def folder(self) -> str | None:
        """The folder the file is in: relative paths in it (lint's ``root``) are read from there."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else None

    def section(self, name: str) -> dict[str, Any]:
        """The ``[tool.fmconvert.NAME]`` table (``{}`` when absent); anything else is an error
        naming the file."""
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise ConvertError(f"[tool.fmconvert.{name}] must be a table", path=self.path)
        return value


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


def read_config(path: str | None) -> Config:
    """The configuration in the file at ``path`` (an empty one for None). Raises
    :class:`ConvertError` naming the file when it cannot be read or parsed."""
    if path is None:
        return Config()
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
    return Config(table, path)


def config_near(near: str) -> Config:
    """The configuration for an input: the nearest file from ``near`` upwards, or from the
    current folder for standard input (``-``) or a path that is not here (a URL)."""
    return read_config(find_config(near if near != "-" and os.path.exists(near) else os.getcwd()))
