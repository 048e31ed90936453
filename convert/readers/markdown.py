"""Markdown reader: front matter as in HTML, the body rendered by markdown-it-py (CommonMark, GFM
tables and strikethrough, task lists, footnotes; raw HTML passes through)."""

from __future__ import annotations

from convert.formats import MarkdownFormat, Reader, ReadOptions
from convert.markdown.parse import markdown_to_html
from convert.model import Document


def render_markdown(text: str) -> str:
    """Markdown (its template code held out) as the HTML of a document's body. A carriage return
    in the HTML is one a character reference (&#13;) made: written raw, it would be a line end
    of the HTML file, read back as a line feed."""
    from convert.html import carriage_returns_as_references

    return carriage_returns_as_references(markdown_to_html(text))


class MarkdownReader(MarkdownFormat, Reader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        from convert.readers.common import read_front_matter_text

        metadata, source, body = read_front_matter_text(data, options, self.name)
        # Template code is held out before the Markdown is rendered, as its generator runs it
        # first: the document keeps the Markdown until its body is asked for, so that a writer
        # can give the pass that holds it out (convert.templates; by default every span is held).
        document = Document(metadata, source=source, body_html=body, repair=options.repair)
        document.render_markup = render_markdown
        return document
