"""The project's own error types.

Every failure a user can cause (bad input, unknown format, unreadable file) is raised as a
:class:`ConvertError` carrying the file and, where known, the line. The CLI prints it as one line
``path:line: message`` and exits non-zero; nothing else should ever reach the user as a traceback.
"""

from __future__ import annotations


class ConvertError(Exception):
    """A document could not be read, converted or written.

    ``path`` names the file (``<stdin>`` for standard input), ``line`` the 1-based line in that
    file where the problem is, when known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        # One line, always: messages from libraries sometimes span several.
        message = " ".join(message.split()) if "\n" in message else message
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
        where = self.path or "<input>"
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
