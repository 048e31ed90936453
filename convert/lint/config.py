"""Lint configuration from ``pyproject.toml`` (``[tool.fmconvert.lint]``, and the fetch policy
from ``[tool.fmconvert.fetch]``) and the command line.

    [tool.fmconvert.lint]
    select = ["ALT", "SRC", "REF"]     # code prefixes to run (default: all)
    ignore = ["SRC005"]
    severity = { ALT003 = "warning" }
    hosts = ["img.example.cn", "*.cdn.example.com"]   # more hot-link-protected image hosts
    root = "source"                    # where site-absolute paths (/images/a.png) live
    image-keys = ["headimg", "thumbnail", "cover"]   # default: convert.model.IMAGE_FIELDS
"""

from __future__ import annotations

import os
from typing import Any

from convert.errors import ConvertError
from convert.lint.core import RULES, SEVERITIES, LintConfig


def find_pyproject(start: str) -> str | None:
    from convert.config import find_config

    return find_config(start)


def load_config(path: str | None) -> tuple[dict[str, Any], str | None]:
    """The whole ``[tool.fmconvert]`` table (lint reads ``lint`` and ``fetch`` from it) and the
    folder it was found in."""
    from convert.config import load_tool_table

    return load_tool_table(path)


def _strings(table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConvertError(f"[tool.fmconvert.lint] {key} must be a list of strings, not {value!r}")
    return tuple(value)


def build_config(tool: dict[str, Any], base: str | None, **cli: Any) -> LintConfig:
    """The lint configuration from the ``[tool.fmconvert]`` table and the command line. Raises
    :class:`ConvertError` naming the key of a malformed value."""
    from convert.config import sub_table
    from convert.fetch.config import policy_from

    table = sub_table(tool, "lint")
    for key in ("select", "ignore", "hosts", "image-keys", "image_keys"):
        if key in table:
            _strings(table, key)
    if not isinstance(table.get("severity", {}), dict):
        raise ConvertError("[tool.fmconvert.lint] severity must be a table of CODE = level")
    if "root" in table and not isinstance(table["root"], str):
        raise ConvertError(f"[tool.fmconvert.lint] root must be a string, not {table['root']!r}")

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
        if code not in RULES or not isinstance(level, str) or level not in SEVERITIES:
            raise ConvertError(f"severity: {code} = {level!r} is not a rule code and one of {', '.join(SEVERITIES)}")
    root = cli.get("root") or table.get("root")
    if root and base and not cli.get("root"):
        root = os.path.join(base, root)
    config = LintConfig(
        select=codes(cli.get("select") or table.get("select"), "select"),
        ignore=codes(tuple(cli.get("ignore") or ()) + _strings(table, "ignore"), "ignore"),
        severity=severity,
        hosts=_strings(table, "hosts") + tuple(cli.get("hosts") or ()),
        root=root,
        check_remote=bool(cli.get("check_remote")),
        fetch=policy_from(sub_table(tool, "fetch"), allow_private_hosts=cli.get("allow_private_hosts")),
    )
    if cli.get("remote_cache") is not None:
        config.remote_cache_hours = float(cli["remote_cache"])
    keys = table.get("image-keys") or table.get("image_keys")
    if keys:
        config.image_keys = tuple(keys) if not isinstance(keys, str) else (keys,)
    return config
