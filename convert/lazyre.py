"""Regular expressions compiled the first time they are used, for start-up time.

Compiling a pattern costs from a few microseconds to milliseconds (a character class spanning
the whole of Unicode: PyYAML's ``Reader.NON_PRINTABLE`` alone is about 6 ms, more than the rest
of a conversion's first use of its patterns). A command runs once per process, so a pattern it
never uses should cost nothing: :func:`lazy` stands for ``re.compile`` at module level, and
:func:`deferred_compiles` makes the patterns a third-party package compiles while it is imported
lazy in the same way.

A :class:`LazyPattern` answers every attribute of the compiled pattern (``match``, ``sub``,
``pattern``, ...); after the first use its methods are found as fast as on the pattern itself.
It is no ``re.Pattern``: hand ``.compiled()`` to what wants one (``re.sub(pattern, ...)``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class LazyPattern:
    """``re.compile(source, flags)``, done on first use."""

    def __init__(self, source: str | bytes, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._pattern: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._pattern is None:
            self._pattern = re.compile(self._source, self._flags)
        return self._pattern

    def __getattr__(self, name: str) -> Any:
        # Only for names not found on the object: the first use of each method. The bound method
        # is kept in the instance, so the next call finds it without coming here.
        value = getattr(self.compiled(), name)
        if callable(value):
            self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source!r})"


def lazy(source: str | bytes, flags: int = 0) -> Any:
    """A pattern compiled on first use; typed as ``Any`` so callers use it as an ``re.Pattern``."""
    return LazyPattern(source, flags)


@contextmanager
def deferred_compiles(package: str) -> Iterator[None]:
    """While ``package`` is imported in this block, the patterns its own modules compile with
    ``re.compile`` are compiled on first use instead (calls from any other module, another
    thread's included, are untouched). For packages that only call methods on their patterns."""
    compile_now = re.compile
    prefix = package + "."

    def compile_later(source: Any, flags: int = 0) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if isinstance(source, (str, bytes)) and (caller == package or caller.startswith(prefix)):
            return LazyPattern(source, flags)
        return compile_now(source, flags)

    re.compile = compile_later  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = compile_now
