"""Documented limits on input, and the guard that enforces the depth limit.

| what | limit | past it |
|---|---|---|
| input size | 256 MiB (``convert.api.MAX_INPUT_BYTES``) | refused before parsing |
| element nesting in a body | 512 levels | refused with a clear error (when the tree is built) |
| values in front matter, aliases expanded | 100,000 | refused (YAML "billion laughs") |
| JSON nesting | Python's recursion limit (about 1,000 levels) | refused |
| XML entities | none are expanded, no DTD is loaded | entity references are refused |
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from convert.errors import LimitError

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_DEPTH = 512


def check_depth(root: _Element, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`LimitError` when elements nest deeper than ``limit`` (iteratively: no recursion)."""
    from lxml import etree

    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > limit:
                raise LimitError(f"elements nested deeper than {limit} levels; refused")
        else:
            depth -= 1


@contextmanager
def deep_recursion(frames: int = MAX_DEPTH * 8 + 1000) -> Iterator[None]:
    """Let tree walkers recurse as deep as the depth limit allows."""
    old = sys.getrecursionlimit()
    if old < frames:
        sys.setrecursionlimit(frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
