"""What a conversion does with template code (:class:`Plan`), what it did (:class:`Report`),
and the pass's entry point, which does nothing for markup without a brace or a bracket (the
modules doing the work are imported, and the tag table read, only for markup that may hold
template code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from convert.templates.table import Table

UNKNOWN = ("text", "keep", "html-comment", "fail")
KINDS = ("translated", "kept live", "shown as text", "commented")


@dataclass
class Report:
    """What the pass did with a post's template code."""

    engine: str = ""  # the source engine, as given or detected
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.counts.items() if n)


@dataclass
class Plan:
    """What a conversion does with template code: the source's engine (``auto`` to detect), the
    target's (``none`` for an engine-less site), the tag table, the policy for unknown tags,
    and where the post is (for messages and post links)."""

    tables: tuple[str, ...] = ()  # the users' tag tables (convert.templates.load.table_for)
    source: str = "auto"
    target: str = "none"
    unknown: str = "text"
    path: str | None = None
    line_offset: int = 0
    metadata: dict[str, Any] | None = None
    frontmatter_style: str | None = None
    report: Report = field(default_factory=Report)

    @property
    def table(self) -> Table:
        from convert.templates.load import table_for

        return table_for(self.tables)

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)

    def may_be_wordpress(self, markup: str) -> bool:
        """Whether WordPress shortcodes (the only template code without braces) may be read."""
        if self.source != "auto":
            return self.source == "wordpress"
        from convert.templates.engines import WP_KEYS

        return "[caption" in markup or any(key in (self.metadata or {}) for key in WP_KEYS)

    def engine_of(self, markup: str, language: str = "html") -> str:
        if self.source != "auto":
            return self.source
        from convert.templates.engines import detect

        return detect(markup, self.metadata, self.path, self.frontmatter_style, language)
