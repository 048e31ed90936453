"""Front-matter HTML writer: the front-matter block (verbatim when unchanged), then the body."""

from __future__ import annotations

from collections.abc import Callable

from convert.formats import WriteOptions, Writer, encode_lines, encode_text
from convert.model import Document


def front_matter_and_body(document: Document, options: WriteOptions, body: str | list[str], fmt: str, *, separator: str = "", restore: Callable[[str], str] | None = None) -> bytes:
    """Assemble a front-matter document: the block, ``separator``, the body, the line ends and
    BOM of the input when writing the same format back. The body is encoded on its own: a large
    body is never copied as text. A body given as lines (to be joined by line ends, template
    spans still to be put back by ``restore``) is encoded a part at a time and the list emptied."""
    from convert.front import render_front_matter

    source = document.source
    metadata = document.metadata
    profile = options.extra.get("profile")
    if profile in ("hugo", "jekyll") and fmt in ("markdown", "html"):
        from convert.profiles.frontmatter import map_front_matter

        metadata = map_front_matter(metadata, profile, options.extra.get("profile_config"))
    block = render_front_matter(metadata, source.frontmatter, options.front_matter)
    same_format = source.format == fmt
    leading = source.leading if same_format and block else ""
    if not block and _looks_like_front_matter(body, restore or document.restore_templates):
        block = "---\n---\n"  # an empty block, so the body is not read back as front matter
    prefix = (b"\xef\xbb\xbf" if same_format and source.bom else b"") + encode_text(leading + block + separator, document, options)
    if isinstance(body, list):
        return encode_lines(body, document, options, prefix, restore or document.restore_templates)
    data = encode_text(body, document, options)
    del body
    return prefix + data if prefix else data


def _looks_like_front_matter(body: str | list[str], restore: Callable[[str], str]) -> bool:
    import re

    from convert.errors import ConvertError
    from convert.front.split import split_front_matter

    head = body if isinstance(body, str) else "\n".join(body[:100])
    if not re.match(r"\s*[-+;{\"]", restore(head) if head is not body else head):  # no copy of a large body
        return False
    if isinstance(body, list):
        body = restore("\n".join(body))  # rare: a body that opens like a fence
    try:
        return split_front_matter(body).kind is not None
    except ConvertError:
        return True


def _may_hold_templates(document: Document) -> bool:
    """Whether the unparsed body holds anything a template pass looks at (a brace, a bracket)."""
    markup = document.body_html()
    return "{" in markup or "[" in markup


class HtmlWriter(Writer):
    name = "html"
    aliases = ("htm", "front-matter-html")
    extensions = (".html", ".htm")
    description = "front-matter HTML (Hexo, Jekyll, Hugo posts; RSS-to-blog output)"

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
        document.body  # noqa: B018 - parsed: text is told from template code only in the tree
        body = document.body_html(escape=lambda markup: escape_text(markup, target))
        report(plan, options.warn, options.verbose, options.extra.setdefault("template_counts", {}))
        return front_matter_and_body(document, options, body, self.name)
