"""Plain text writer: the title, then the body's visible text laid out by html2text
(:mod:`convert.plaintext`); front matter only when asked (``--front-matter keep|yaml|toml|json``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from convert.formats import WriteOptions, Writer, encode_lines, encode_text, front_matter_and_body
from convert.model import Document, title_of, unescape_hexo_braces


def _header_value(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") + (value.strftime(" %z") if value.tzinfo else "")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        parts = [str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
        return ", ".join(parts) or None
    if isinstance(value, (str, int, float)) and str(value).strip():
        return " ".join(str(value).split())
    return None


def plain_text(document: Document, options: WriteOptions) -> str:
    """The body as plain text (no title, no header): what ``--with-text`` puts in JSON."""
    lines = plain_text_lines(document, options)
    text = "\n".join(lines)
    lines.clear()
    return document.restore_templates(text)


def plain_text_lines(document: Document, options: WriteOptions) -> list[str]:
    """:func:`plain_text` as lines to be joined by line ends, template spans not yet put back."""
    from convert.plaintext import TextOptions, render_text_lines

    extra = options.extra
    release = None
    held = None
    if extra.get("consume_body"):
        body = document.body
        held = document.held
        release = document.release_body  # the layout runs without the tree
    else:
        import copy

        body = copy.deepcopy(document.body)
        if document.held:
            held = document.held.copied(document.body, body)
    text_options = TextOptions(width=int(extra.get("text_width") or 0), links=extra.get("text_links") or "ref", images=extra.get("text_images") or "alt")
    return render_text_lines(body, text_options, release=release, held=held, discard=document.discard if release is not None else None)


class TextWriter(Writer):
    name = "text"
    aliases = ("txt", "plain")
    extensions = (".txt",)
    description = "plain text (html2text): title, visible text, links listed at the end"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        title = " ".join(unescape_hexo_braces(title_of(document)).split()) if document.metadata.get("title") else ""
        first_heading = next((" ".join(h.text_content().split()) for h in document.body.iter("h1", "h2", "h3")), None)
        head = []
        if title and title != first_heading:
            head.append(title)
        if options.extra.get("text_header"):
            for label, key in (("Date", "date"), ("Author", "author")):
                value = _header_value(document.metadata.get(key))
                if value:
                    head.append(f"{label}: {unescape_hexo_braces(value)}")
        body = plain_text_lines(document, options)  # encoded a part at a time: never whole as text
        prefix = "\n".join(head) + ("\n\n" if head and body else "\n" if head else "")
        if options.front_matter or options.extra.get("front_matter_given"):
            separated = bool(document.source.frontmatter or document.metadata)
            return front_matter_and_body(document, options, body, self.name, separator=("\n" if separated else "") + prefix, restore=document.restore_templates)
        return encode_lines(body, document, options, encode_text(prefix, document, options), document.restore_templates)
