"""The template pass itself: a light entry (:func:`run_pass`) that pays nothing for a post without
template code, and loads the translator (:mod:`convert.templates.translate`) only for one with."""

from __future__ import annotations

from convert.templates.plan import Plan


def run_pass(markup: str, plan: Plan, language: str = "html") -> tuple[str, list[str]]:
    """The template pass over ``markup`` (:func:`convert.templates.translate.prepare`): the
    markup and the spans held out of it."""
    if "{" not in markup and not ("[" in markup and plan.may_be_wordpress(markup)):
        plan.report.engine = plan.report.engine or (plan.source if plan.source != "auto" else "none")
        return markup, []
    from convert.templates.translate import prepare  # start-up: only a post with template code loads it

    return prepare(markup, plan, language)
