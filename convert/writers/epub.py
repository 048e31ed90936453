"""The ``epub`` writer: a one-chapter book (:mod:`convert.epub` builds books of any size)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.formats import WriteOptions, Writer

if TYPE_CHECKING:
    from convert.model import Document


class EpubWriter(Writer):
    name = "epub"
    extensions = (".epub",)
    description = "EPUB 3 book (one chapter, a cover, images downloaded into the package)"
    binary = True

    def write(self, document: Document, options: WriteOptions) -> bytes:
        from convert.epub import build_book

        return build_book([document], options)
