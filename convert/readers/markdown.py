"""Markdown reader: front matter as in HTML, the body rendered by markdown-it-py (CommonMark, GFM
tables and strikethrough, task lists, footnotes; raw HTML passes through)."""

from __future__ import annotations

from convert.formats import MarkdownFormat, Reader, ReadOptions
from convert.markdown.parse import markdown_to_html
from convert.model import Document


class MarkdownReader(MarkdownFormat, Reader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        from convert.html import carriage_returns_as_references
        from convert.html.templates import protect
        from convert.readers.common import read_front_matter_text

        metadata, source, body = read_front_matter_text(data, options, self.name)
        # Template code is held out before Markdown is read, as its generator runs it first.
        body, spans = protect(body)
        # A carriage return in the HTML is one a character reference (&#13;) made: written raw, it
        # would be a line end of the HTML file, read back as a line feed.
        html = carriage_returns_as_references(markdown_to_html(body))
        document = Document(metadata, source=source, body_html=html, repair=options.repair)
        document.templates = spans
        return document
