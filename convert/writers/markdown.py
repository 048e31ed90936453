"""Markdown writer: front matter (as read), then the body rendered by
:class:`convert.markdown.render.MarkdownRenderer`."""

from __future__ import annotations

from typing import Any

from convert.formats import MarkdownFormat, WriteOptions, Writer, front_matter_and_body
from convert.model import Document, unescape_hexo_braces


class MarkdownWriter(MarkdownFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        from convert.markdown.render import MarkdownRenderer, RenderOptions
        from convert.profiles import get_profile
        from convert.templates import attach, report, target_of
        from convert.templates.shown import escape_lines, escape_text

        style = options.extra.get("image_style") or "auto"
        render_options = RenderOptions(image_style=style, profile=get_profile(options.extra.get("profile")))
        plan = attach(document, options.extra)  # template code: held, translated or text (convert.templates)
        target = render_options.template_target = target_of(options.extra.get("profile"))
        body = document.body  # parsed now: the template spans are known from here on
        render_options.restore = document.restore_templates
        render_options.held = document.held
        consume = bool(options.extra.get("consume_body")) and not options.extra.get("verify")
        render_options.discard = document.discard if consume else None
        if style == "markdown":
            lost = [img.get("src", "") for img in body.iter("img") if img.get("referrerpolicy")]
            for src in lost:
                options.warn(f"Markdown image syntax drops referrerpolicy of {src}")
        renderer = MarkdownRenderer(render_options)
        lines = renderer.render_lines(body)
        restore = document.restore_templates
        markdown: str | list[str]
        if consume:
            del body
            document.release_body()  # a large post: the tree goes before the text is encoded
            markdown = escape_lines(renderer.finish_lines(lines), target)  # encoded a part at a time, never joined
        else:
            finished = renderer.finish(lines)
            markdown = restore(escape_text(finished, target))
        if options.extra.get("verify"):
            from convert.errors import ConvertError
            from convert.markdown.verify import first_loss

            # (what the Markdown says once the engine's template pass ran: before the escapes)
            loss = first_loss(body, restore(finished) if target != "none" else markdown)  # type: ignore[arg-type]
            if loss is not None:
                raise ConvertError(f"the Markdown would lose content ({loss}); nothing written", path=document.source.path)
        report(plan, options.warn, options.verbose, options.extra.setdefault("template_counts", {}))
        if options.verbose and render_options.dropped:
            from collections import Counter

            counts = Counter(render_options.dropped)
            options.warn("dropped " + ", ".join(f"{n} {tag}" for tag, n in sorted(counts.items())))
        metadata = unescape_hexo_braces(document.metadata)
        if metadata is not document.metadata and not _same(metadata, document.metadata):
            document = Document(metadata, source=document.source, body_html="")
        separated = bool(markdown) and bool(document.metadata or document.source.frontmatter is not None)
        return front_matter_and_body(document, options, markdown, self.name, separator="\n" if separated else "", restore=restore)


def _same(a: Any, b: Any) -> bool:
    from convert.model import same_value

    return same_value(a, b)
