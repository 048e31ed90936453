"""Front-matter HTML writer: the front-matter block (verbatim when unchanged), then the body."""

from __future__ import annotations

from convert.formats import HtmlFormat, WriteOptions, Writer, front_matter_and_body
from convert.model import Document


class HtmlWriter(HtmlFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        return front_matter_and_body(document, options, document.body_html(), self.name)
