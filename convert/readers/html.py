"""Front-matter HTML: a YAML/TOML/JSON block, then an HTML body."""

from __future__ import annotations

from convert.formats import HtmlFormat, Reader, ReadOptions
from convert.model import Document


class HtmlReader(HtmlFormat, Reader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        from convert.readers.common import read_front_matter_text

        metadata, source, body = read_front_matter_text(data, options, self.name)
        return Document(metadata, source=source, body_html=body, repair=options.repair)
