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
from typing import TYPE_CHECKING, Any

from convert.errors import ConvertError
from convert.lint.core import RULES, SEVERITIES, LintConfig

if TYPE_CHECKING:
    from convert.config import Config


def _strings(table: dict[str, Any], key: str, path: str | None) -> tuple[str, ...]:
    value = table.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConvertError(f"[tool.fmconvert.lint] {key} must be a list of strings, not {value!r}", path=path)
    return tuple(value)


def build_config(project: Config, **cli: Any) -> LintConfig:
    """The lint configuration from the project's configuration (``lint`` and ``fetch``) and the
    command line. Raises :class:`ConvertError` naming the key of a malformed value, and the
    configuration file when the value is written there."""
    from convert.fetch.config import policy_from

    path = project.path
    table = project.section("lint")
    for key in ("select", "ignore", "hosts", "image-keys", "image_keys"):
        if key in table:
            _strings(table, key, path)
    if not isinstance(table.get("severity", {}), dict):
        raise ConvertError("[tool.fmconvert.lint] severity must be a table of CODE = level", path=path)
    if "root" in table and not isinstance(table["root"], str):
        raise ConvertError(f"[tool.fmconvert.lint] root must be a string, not {table['root']!r}", path=path)

    def codes(value: Any, name: str, where: str | None) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        out = tuple(str(v).strip().upper() for v in items if str(v).strip())
        unknown = [c for c in out if not any(code.startswith(c) for code in RULES)]
        if unknown:
            raise ConvertError(f"{name}: unknown rule code(s) {', '.join(unknown)} (see 'fmconvert lint --list-rules')", path=where)
        return out

    severity = dict(table.get("severity", {}))
    for code, level in severity.items():
        if code not in RULES or not isinstance(level, str) or level not in SEVERITIES:
            raise ConvertError(f"severity: {code} = {level!r} is not a rule code and one of {', '.join(SEVERITIES)}", path=path)
    root = cli.get("root") or table.get("root")
    if root and project.folder and not cli.get("root"):
        root = os.path.join(project.folder, root)
    select = codes(cli["select"], "select", None) if cli.get("select") else codes(table.get("select"), "select", path)
    ignore = codes(tuple(cli.get("ignore") or ()), "ignore", None) + codes(_strings(table, "ignore", path), "ignore", path)
    hosts = _strings(table, "hosts", path) + tuple(cli.get("hosts") or ())
    try:
        fetch = policy_from(project.section("fetch"), allow_private_hosts=cli.get("allow_private_hosts"))
    except ConvertError as err:
        raise err.with_location(path) from None
    config = LintConfig(select=select, ignore=ignore, severity=severity, hosts=hosts, root=root, check_remote=bool(cli.get("check_remote")), fetch=fetch)
    if cli.get("remote_cache") is not None:
        config.remote_cache_hours = float(cli["remote_cache"])
    keys = table.get("image-keys") or table.get("image_keys")
    if keys:
        config.image_keys = tuple(keys) if not isinstance(keys, str) else (keys,)
    return config
