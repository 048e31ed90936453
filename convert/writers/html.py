"""Front-matter HTML writer: the front-matter block (verbatim when unchanged), then the body."""

from __future__ import annotations

from convert.formats import WriteOptions, Writer, front_matter_and_body
from convert.model import Document


class HtmlWriter(Writer):
    name = "html"
    aliases = ("htm", "front-matter-html")
    extensions = (".html", ".htm")
    description = "front-matter HTML (Hexo, Jekyll, Hugo posts; RSS-to-blog output)"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        return front_matter_and_body(document, options, document.body_html(), self.name)
