"""Front-matter HTML writer: the front-matter block (verbatim when unchanged), then the body."""

from __future__ import annotations

from convert.formats import HtmlFormat, WriteOptions, Writer, front_matter_and_body
from convert.model import Document


def _may_hold_templates(document: Document) -> bool:
    """Whether the unparsed body holds anything a template pass looks at (a brace, a bracket)."""
    markup = document.body_html()
    return "{" in markup or "[" in markup


class HtmlWriter(HtmlFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        from convert.templates import target_of

        target = target_of(options.extra.get("profile"))
        if document.render_markup is None and (target == "none" or (not document.parsed and not _may_hold_templates(document))):
            return front_matter_and_body(document, options, document.body_html(), self.name)
        # A post for a site generator (or from Markdown, rendered now): its template code is
        # held, translated or made text, and text that looks like template code is escaped for
        # the generator (convert.templates).
        from convert.templates import attach, report
        from convert.templates.shown import escape_text

        plan = attach(document, options.extra)
        # (the markup as the pass left it, or serialized from the tree when one was built: the
        # escapes read markup, and libxml2 would percent-encode non-ASCII addresses)
        body = document.body_html(escape=lambda markup: escape_text(markup, target))
        report(plan, options.warn, options.verbose, options.extra.setdefault("template_counts", {}))
        return front_matter_and_body(document, options, body, self.name)
