"""Lint configuration from ``pyproject.toml`` (``[tool.fmconvert.lint]``) and the command line.

    [tool.fmconvert.lint]
    select = ["ALT", "SRC", "REF"]     # code prefixes to run (default: all)
    ignore = ["SRC005"]
    severity = { ALT003 = "warning" }
    hosts = ["img.example.cn", "*.cdn.example.com"]   # more hot-link-protected image hosts
    root = "source"                    # where site-absolute paths (/images/a.png) live
    image-keys = ["headimg", "thumbnail", "cover"]
"""

from __future__ import annotations

import os
from typing import Any

from convert.errors import ConvertError
from convert.lint.core import RULES, SEVERITIES, LintConfig


def find_pyproject(start: str) -> str | None:
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str | None) -> tuple[dict[str, Any], str | None]:
    """The ``[tool.fmconvert.lint]`` table and the folder it was found in."""
    if path is None:
        return {}, None
    from convert.front.tomlfm import toml_reader

    tomllib = toml_reader()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConvertError(f"cannot read configuration: {err}", path=path) from None
    table = data.get("tool", {}).get("fmconvert", {}).get("lint", {})
    if not isinstance(table, dict):
        raise ConvertError("[tool.fmconvert.lint] must be a table", path=path)
    return table, os.path.dirname(os.path.abspath(path))


def build_config(table: dict[str, Any], base: str | None, **cli: Any) -> LintConfig:
    def codes(value: Any, name: str) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        out = tuple(str(v).strip().upper() for v in items if str(v).strip())
        unknown = [c for c in out if not any(code.startswith(c) for code in RULES)]
        if unknown:
            raise ConvertError(f"{name}: unknown rule code(s) {', '.join(unknown)} (see 'fmconvert lint --list-rules')")
        return out

    severity = dict(table.get("severity", {}))
    for code, level in severity.items():
        if code not in RULES or level not in SEVERITIES:
            raise ConvertError(f"severity: {code} = {level!r} is not a rule code and one of {', '.join(SEVERITIES)}")
    root = cli.get("root") or table.get("root")
    if root and base and not cli.get("root"):
        root = os.path.join(base, root)
    config = LintConfig(
        select=codes(cli.get("select") or table.get("select"), "select"),
        ignore=codes(tuple(cli.get("ignore") or ()) + tuple(table.get("ignore", ())), "ignore"),
        severity=severity,
        hosts=tuple(table.get("hosts", ())) + tuple(cli.get("hosts") or ()),
        root=root,
        check_remote=bool(cli.get("check_remote")),
    )
    if cli.get("remote_cache") is not None:
        config.remote_cache_hours = float(cli["remote_cache"])
    keys = table.get("image-keys") or table.get("image_keys")
    if keys:
        config.image_keys = tuple(keys)
    return config
