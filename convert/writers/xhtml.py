"""XHTML writer: an EPUB-ready XHTML5 content document (see :mod:`convert.xhtml.sanitize`)."""

from __future__ import annotations

from convert.formats import WriteOptions, Writer, XhtmlFormat
from convert.model import Document


class XhtmlWriter(XhtmlFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        from convert.xhtml import build_xhtml, report_changes, serialize
        from convert.xhtml.xmltext import XHTML

        localize = options.extra.get("localize_images")  # done before any writer (convert.api.write)
        html, sanitizer, _, _ = build_xhtml(document, consume=bool(options.extra.get("consume_body")))
        report_changes(options, dict(sanitizer.changes))
        remote = [img.get("src") for img in html.iter(XHTML + "img") if (img.get("src") or "").startswith(("http://", "https://", "//"))]
        if remote and not localize:
            options.warn(f"{len(remote)} remote image(s): an EPUB cannot contain remote images (use --localize-images DIR, or -t epub)")
        return serialize(html, document.templates, sanitizer.held_xml, release=True)
