"""The linter's core: findings, the rule registry, the image list with file positions.

A rule is a function registered with :func:`rule`; it receives a :class:`LintContext` (the
document, its images with their file line and column, the configuration) and yields
:class:`Finding` objects. Rules live in :mod:`convert.lint.rules`, one place per rule with its
code, name, severity, explanation and examples (the examples are its test cases).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from convert.model import IMAGE_FIELDS

if TYPE_CHECKING:
    from convert.model import Document

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Fix:
    """A text edit on the file: replace ``[start, end)`` (offsets in the decoded text) by ``text``."""

    start: int
    end: int
    text: str
    description: str


@dataclass
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "warning"
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass
class FileResult:
    path: str
    text: str
    findings: list[Finding]
    newline: str = "\n"
    bom: bool = False
    encoding: str = "utf-8"
    data: bytes = b""  # the file as read
    raw_text: str = ""  # the file decoded, its line ends as they are


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    explanation: str
    check: Callable[[LintContext], Iterator[Finding]]
    fixable: bool = False
    bad: tuple[str, ...] = ()
    good: tuple[str, ...] = ()


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    *,
    fixable: bool = False,
    bad: tuple[str, ...] = (),
    good: tuple[str, ...] = (),
) -> Callable[[Callable[[LintContext], Iterator[Finding]]], Callable[[LintContext], Iterator[Finding]]]:
    """Register a rule. The function's docstring is its explanation (``--explain CODE``);
    ``bad`` and ``good`` are body snippets that must and must not trigger it (its test cases)."""

    def register(fn: Callable[[LintContext], Iterator[Finding]]) -> Callable[[LintContext], Iterator[Finding]]:
        import inspect

        RULES[code] = Rule(code, name, severity, summary, inspect.cleandoc(fn.__doc__ or summary), fn, fixable, bad, good)
        return fn

    return register


@dataclass
class Image:
    """One image reference in a document, wherever it was written."""

    kind: str  # "img" (an <img> element), "markdown" (![]()), "metadata" (a front-matter field)
    attrs: dict[str, str | None]  # for metadata: {"src": value}; attribute present with value
    line: int
    col: int
    key: str | None = None  # metadata key
    tag_start: int | None = None  # offset of "<img" in the text (for fixes)
    tag_end: int | None = None  # offset just past ">"

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs


@dataclass
class LintConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()
    root: str | None = None
    image_keys: tuple[str, ...] = IMAGE_FIELDS
    check_remote: bool = False
    fetch: Any = None  # convert.fetch.FetchPolicy (None: the defaults)
    remote_cache_hours: float = 24.0  # 0: fetch every time


@dataclass
class LintContext:
    path: str
    document: Document
    text: str  # the decoded file, \n line ends
    images: list[Image]
    config: LintConfig
    remote: dict[str, Any] = field(default_factory=dict)  # url -> RemoteResult

    def finding(self, image: Image, code: str, message: str, fix: Fix | None = None) -> Finding:
        return Finding(self.path, image.line, image.col, code, message, RULES[code].severity, fix)


_FILENAME = re.compile(r"^[\w\-. ]{1,120}\.(?:png|jpe?g|gif|webp|svg|bmp|avif|tiff?|heic|ico|image)$", re.IGNORECASE)


def looks_like_filename(alt: str) -> bool:
    return bool(_FILENAME.match(alt.strip()))
