"""The format registry: readers and writers found through Python entry points.

Built-in formats register exactly as a third-party package does, in ``pyproject.toml``::

    [project.entry-points."fmconvert.readers"]
    html = "convert.readers.html:HtmlReader"

    [project.entry-points."fmconvert.writers"]
    html = "convert.writers.html:HtmlWriter"

The object an entry point names is a class with a few class attributes (``name``,
``extensions``, ``aliases``, ``description``) and one method (``read`` or ``write``); see
:class:`convert.formats.Reader` and :class:`convert.formats.Writer`. A module that defines one
should import its heavy dependencies inside the method, so listing formats stays cheap.

Entry points are read from the ``entry_points.txt`` files of the installed distributions
directly: ``importlib.metadata`` costs more to import (tens of milliseconds) than a whole
conversion, and a command-line tool starts often. When ``sys.path`` holds something other than
plain folders (zip files), we fall back to ``importlib.metadata``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

from convert.errors import FormatError

READERS = "fmconvert.readers"
WRITERS = "fmconvert.writers"


class EntryPoint(NamedTuple):
    name: str
    value: str
    group: str
    dist: str

    def load(self) -> Any:
        module_name, _, attr = self.value.partition(":")
        import importlib

        obj: Any = importlib.import_module(module_name.strip())
        for part in attr.strip().split(".") if attr else ():
            obj = getattr(obj, part)
        return obj


def _parse_entry_points(text: str, dist: str, groups: tuple[str, ...], out: dict[str, list[EntryPoint]]) -> None:
    group = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line[0] == "[" and line[-1] == "]":
            group = line[1:-1].strip()
            continue
        if group in groups and "=" in line:
            name, _, value = line.partition("=")
            out[group].append(EntryPoint(name.strip(), value.strip(), group, dist))


def _dist_name(dirname: str) -> str:
    stem = dirname.rsplit(".", 1)[0]
    return stem.split("-", 1)[0].lower().replace("_", "-").replace(".", "-")


def scan_entry_points(groups: tuple[str, ...] = (READERS, WRITERS)) -> dict[str, list[EntryPoint]]:
    """All entry points of ``groups`` in the installed distributions, first on ``sys.path`` wins."""
    out: dict[str, list[EntryPoint]] = {g: [] for g in groups}
    seen: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        if os.path.isfile(folder):
            return _scan_with_importlib(groups)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in sorted(names):
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = _dist_name(name)
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            _parse_entry_points(text, dist, groups, out)
    return out


def _scan_with_importlib(groups: tuple[str, ...]) -> dict[str, list[EntryPoint]]:
    from importlib.metadata import entry_points

    out: dict[str, list[EntryPoint]] = {g: [] for g in groups}
    for group in groups:
        for ep in entry_points(group=group):
            dist = ep.dist.name if ep.dist is not None else "?"
            out[group].append(EntryPoint(ep.name, ep.value, group, dist))
    return out


class FormatInfo:
    """What the registry knows of one format, without importing it more than needed. (A plain
    class, not a dataclass: a dataclass costs a millisecond to define.)"""

    def __init__(self, name: str, reader: EntryPoint | None = None, writer: EntryPoint | None = None) -> None:
        self.name = name
        self.reader = reader
        self.writer = writer
        self._loaded: dict[str, Any] = {}

    def load(self, role: str) -> Any:
        if role not in self._loaded:
            ep = self.reader if role == "reader" else self.writer
            if ep is None:
                raise FormatError(f"format {self.name!r} cannot be {'read' if role == 'reader' else 'written'}")
            try:
                self._loaded[role] = ep.load()
            except Exception as err:  # a broken plugin must not take the tool down
                raise FormatError(
                    f"the {role} for format {self.name!r} (from {ep.dist}: {ep.value}) failed to load: {err}"
                ) from err
        return self._loaded[role]

    def any_class(self) -> Any:
        return self.load("reader") if self.reader is not None else self.load("writer")


class Registry:
    """Formats by name, alias and extension."""

    def __init__(self, entry_points: dict[str, list[EntryPoint]] | None = None) -> None:
        eps = entry_points if entry_points is not None else scan_entry_points()
        self.formats: dict[str, FormatInfo] = {}
        for ep in eps.get(READERS, []):
            info = self.formats.setdefault(ep.name, FormatInfo(ep.name))
            info.reader = info.reader or ep
        for ep in eps.get(WRITERS, []):
            info = self.formats.setdefault(ep.name, FormatInfo(ep.name))
            info.writer = info.writer or ep
        if not self.formats:
            raise FormatError(
                "no formats are registered: fmconvert is not installed (pip install the project, "
                "or run it from an installed environment)"
            )
        self._aliases: dict[str, str] | None = None
        self._extensions: dict[str, str] | None = None

    def _index(self) -> None:
        aliases: dict[str, str] = {}
        extensions: dict[str, str] = {}
        for name, info in sorted(self.formats.items(), key=lambda kv: _builtin_first(kv[1])):
            cls = info.any_class()
            for alias in getattr(cls, "aliases", ()):
                aliases.setdefault(alias, name)
            for ext in getattr(cls, "extensions", ()):
                extensions.setdefault(ext.lower(), name)
        self._aliases, self._extensions = aliases, extensions

    def canonical(self, name: str) -> str:
        """The format's own name for ``name`` or one of its aliases."""
        key = name.strip().lower()
        if key in self.formats:
            return key
        if self._aliases is None:
            self._index()
        assert self._aliases is not None
        if key in self._aliases:
            return self._aliases[key]
        known = ", ".join(sorted(self.formats))
        raise FormatError(f"unknown format {name!r} (known: {known}; see 'fmconvert formats')")

    def for_extension(self, path: str) -> str | None:
        """The format a file name's extension suggests, or None."""
        base = os.path.basename(path).lower()
        if self._extensions is None:
            self._index()
        assert self._extensions is not None
        best = None
        for ext, name in self._extensions.items():
            if base.endswith(ext) and (best is None or len(ext) > len(best[0])):
                best = (ext, name)
        return best[1] if best else None

    def reader(self, name: str) -> Any:
        return self.formats[self.canonical(name)].load("reader")()

    def writer(self, name: str) -> Any:
        return self.formats[self.canonical(name)].load("writer")()

    def describe(self) -> list[dict[str, Any]]:
        """One row per format for ``fmconvert formats``."""
        rows = []
        for name, info in sorted(self.formats.items()):
            cls = info.any_class()
            rows.append(
                {
                    "name": name,
                    "aliases": list(getattr(cls, "aliases", ())),
                    "extensions": list(getattr(cls, "extensions", ())),
                    "read": info.reader is not None,
                    "write": info.writer is not None,
                    "description": getattr(cls, "description", ""),
                    "provider": (info.reader or info.writer).dist,  # type: ignore[union-attr]
                }
            )
        return rows


def _builtin_first(info: FormatInfo) -> tuple[int, str]:
    ep = info.reader or info.writer
    return (0 if ep is not None and ep.dist == "fmconvert" else 1, info.name)


_registry: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry (scanned once)."""
    global _registry
    if _registry is None:
        _registry = Registry()
    return _registry


def reset_registry() -> None:
    """Forget the scanned registry (tests that install plugins call this)."""
    global _registry
    _registry = None
