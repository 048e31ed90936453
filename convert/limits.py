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
from typing import TYPE_CHECKING, Any

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


#: Python refuses to turn integers of more than 4,300 digits into text (a quadratic conversion);
#: such a value in a document is refused with a clear error instead of an internal one.
MAX_INT_DIGITS = 4300
_MAX_INT_BITS = int(MAX_INT_DIGITS * 3.3219280948873626)  # log2(10)


def is_int_limit_error(err: BaseException) -> bool:
    return isinstance(err, ValueError) and "integer string conversion" in str(err)


def int_too_long(value: object) -> bool:
    """Whether ``value`` is an integer too long to write as decimal text (see :data:`MAX_INT_DIGITS`)."""
    return isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_INT_BITS


def checked_values(value: Any) -> Any:
    """``value`` (parsed metadata or a JSON document) made safe to write: lone surrogates in
    strings (and keys) become U+FFFD; an integer too long to write as text raises
    :class:`LimitError` naming where it is. Iterative: nesting depth costs no recursion."""
    from convert.decoding import without_surrogates

    def fix(item: Any, where: str) -> Any:
        if isinstance(item, str):
            return without_surrogates(item)
        if int_too_long(item):
            raise LimitError(f"an integer of more than {MAX_INT_DIGITS:,} digits at {where or '/'}; refused")
        return item

    root = fix(value, "")
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        container, where = stack.pop()
        if isinstance(container, dict):
            for key in list(container):
                new_key = fix(key, where) if isinstance(key, str) else key
                child = fix(container[key], f"{where}/{new_key}")
                if new_key != key:
                    del container[key]
                container[new_key] = child
                if isinstance(child, (dict, list)):
                    stack.append((child, f"{where}/{new_key}"))
        elif isinstance(container, list):
            for i, child in enumerate(container):
                child = container[i] = fix(child, f"{where}/{i}")
                if isinstance(child, (dict, list)):
                    stack.append((child, f"{where}/{i}"))
    return root


#: bytes (of markup or output) from which a freed tree is worth giving back to the system
LARGE_TREE = 4 << 20


def return_free_memory(size: int) -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``) when a tree
    made of ``size`` bytes is large enough for it to matter (``LARGE_TREE``). A large tree is
    thousands of small blocks: freed, they stay in the process (and in its peak) unless
    returned, and the output built next would be counted on top of them. Elsewhere a no-op."""
    if size < LARGE_TREE or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass
