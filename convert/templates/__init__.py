"""Template code and site generators (issue #23): converted posts build in the target's
generator and show what their source shows.

* :mod:`.engines`: which engine a post's template code is written for (``--source-engine``);
* :mod:`.spans`: its template code, found as that engine's lexer finds it;
* :mod:`.table`, :mod:`.load`, :mod:`.functions`, ``tags.toml``: the table translating tags and
  shortcodes between engines (users extend it);
* :mod:`.plan`, :mod:`.translate`: the pass over the markup before parsing (live code held out,
  translated, or handled as ``--unknown-tags`` says; shown text left as text);
* :mod:`.shown`: the writers' escaping of shown text for the target engine.

Writers call :func:`attach` before the body is parsed and :func:`report` after writing. The
settings are the writer options ``profile``, ``source_engine``, ``unknown_tags`` and
``tag_tables`` (``--tags`` files and ``config:PATH`` configurations, read by :mod:`.load`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from convert.model import Document
    from convert.templates.plan import Plan

__all__ = ["attach", "plan_for", "report", "target_of", "wants_pass"]

#: the engine whose template pass each profile's site runs ("none": GitHub, any CommonMark site)
TARGETS = {"hexo": "hexo", "jekyll": "jekyll", "hugo": "hugo"}


def target_of(profile: str | None) -> str:
    return TARGETS.get(profile or "", "none")


def plan_for(settings: dict[str, Any], document: Document) -> Plan:
    """The plan for ``document`` from writer (or reader) settings. (The modules that do the
    work are imported here, and the tag table read when a post first holds template code: a
    conversion without any pays for neither.)"""
    from convert.templates.plan import Plan

    source = document.source
    return Plan(
        tables=tuple(settings.get("tag_tables") or ()),
        source=str(settings.get("source_engine") or "auto"),
        target=target_of(settings.get("profile")),
        unknown=str(settings.get("unknown_tags") or "text"),
        path=source.path,
        line_offset=max(source.body_line - 1, 0),
        metadata=document.metadata,
        frontmatter_style=source.frontmatter.style if source.frontmatter is not None else None,
    )


def attach(document: Document, settings: dict[str, Any]) -> Plan | None:
    """Give ``document`` the template pass of ``settings`` before its body is parsed. The plan
    that applies (None: the body was parsed without one, every span held as written)."""
    if document.template_plan is not None:
        return document.template_plan  # type: ignore[no-any-return]
    if document.parsed or document.templates_ready:
        return None
    from functools import partial

    from convert.templates.run import run_pass

    plan = plan_for(settings, document)
    language = "markdown" if document.render_markup is not None else "html"
    document.template_pass = partial(run_pass, plan=plan, language=language)
    document.template_plan = plan
    return plan


def wants_pass(fmt: str, document: Document, settings: dict[str, Any]) -> bool:
    """Whether the writer of ``fmt`` runs the template pass: Markdown always; HTML for a site
    generator's profile, or when the body is Markdown to render; other formats hold every span."""
    if fmt == "markdown":
        return True
    return fmt == "html" and (target_of(settings.get("profile")) != "none" or document.render_markup is not None)


def report(plan: Plan | None, warn: Any, verbose: bool, counts: dict[str, int] | None = None) -> None:
    """Say what the pass reported: what it could not resolve, and (``verbose``) its counts."""
    if plan is None:
        return
    for message in plan.report.warnings:
        warn(message)
    plan.report.warnings.clear()
    if counts is not None:
        for kind, n in plan.report.counts.items():
            counts[kind] = counts.get(kind, 0) + n
    summary = plan.report.summary()
    if verbose and summary:
        warn(f"template code ({plan.report.engine}): {summary}")
