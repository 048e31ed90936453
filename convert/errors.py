"""The project's own error types.

Every failure a user can cause (bad input, unknown format, unreadable file) is raised as a
:class:`ConvertError` carrying the file and, where known, the line. The CLI prints it as one line
``path:line: message`` and exits non-zero; nothing else should ever reach the user as a traceback.
"""

from __future__ import annotations

import re

# Characters a terminal acts on rather than shows (C0 and C1 controls, DEL): shown as escapes, so a
# message quoting a post or a file name is one line and cannot move the cursor or recolour it.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ConvertError(Exception):
    """A document could not be read, converted or written.

    ``path`` names the file (``<stdin>`` for standard input), ``line`` the 1-based line in that
    file where the problem is, when known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        # One line, always: messages from libraries sometimes span several.
        message = printable(" ".join(message.split()) if "\n" in message or "\r" in message else message)
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def with_location(self, path: str | None = None, line_offset: int = 0) -> ConvertError:
        """Return this error with a path filled in and its line shifted by ``line_offset``."""
        if path is not None and self.path is None:
            self.path = path
        if self.line is not None and line_offset:
            self.line += line_offset
        return self

    def __str__(self) -> str:
        where = display(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class FrontMatterError(ConvertError):
    """The front-matter block is malformed (bad YAML/TOML/JSON, never closed, not a mapping)."""


class DecodeError(ConvertError):
    """The bytes are not text in any encoding we can determine (binary data, wrong encoding)."""


class FormatError(ConvertError):
    """An unknown format name, or a format that cannot read or write as asked."""


class LimitError(ConvertError):
    """The input exceeds a documented size or depth limit."""


class Terminated(BaseException):
    """The process was asked to stop by a signal (SIGTERM, SIGHUP). Raised in the main thread
    like ``KeyboardInterrupt``, so work in progress unwinds (temporary files are removed, the
    batch manifest is saved, worker processes are ended); the CLI exits with ``128 + signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def reason(err: BaseException) -> str:
    """Why a file operation failed, as the user reads it: the error's ``strerror`` ("No such file or
    directory") when it has one, else its text (fsspec, sqlite3 and decoding errors have none)."""
    return str(getattr(err, "strerror", None) or err)


def os_error(doing: str, err: BaseException, *, path: str | None = None) -> ConvertError:
    """The :class:`ConvertError` for a failed file operation: ``f"{doing}: {reason(err)}"`` naming
    ``path``, e.g. ``raise os_error("cannot write", err, path=out) from None``."""
    return ConvertError(f"{doing}: {reason(err)}", path=path)


def internal_error(err: BaseException) -> str:
    """The one-line text of a bug, ``internal error: ValueError: ...``; callers add the file it
    happened on or the ``--debug`` hint."""
    return f"internal error: {type(err).__name__}: {err}"


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` escapes (tab and line feed kept)."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if _CONTROLS.search(text) else text


def display(path: str | bytes | None) -> str:
    """A path as it can be printed and stored as UTF-8 text: bytes that are not UTF-8 in a file
    name (kept by Python as lone surrogates) are shown as ``\\xNN`` escapes, and so are control
    characters (a file name may hold a line feed or a terminal escape)."""
    if path is None:
        return "<input>"
    if isinstance(path, bytes):
        return printable(path.decode("utf-8", "backslashreplace")).replace("\n", "\\x0a")
    try:
        path.encode("utf-8")
        shown = path
    except UnicodeEncodeError:
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if _escapable(path) else path.encode("utf-8", "backslashreplace").decode("utf-8")
    return printable(shown).replace("\n", "\\x0a")


def _escapable(path: str) -> bool:
    try:
        path.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False
