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
    site = options.extra.get("profile") if fmt in ("markdown", "html") else None
    if site in ("hugo", "jekyll", "hexo"):
        # The front matter the site generator reads (convert.profiles.blocks), its fields in
        # the generator's conventions (convert.profiles.frontmatter).
        from convert.profiles.blocks import site_block
        from convert.profiles.frontmatter import map_front_matter

        metadata = map_front_matter(metadata, site, options.extra.get("profile_config"), options.warn)
        parts = [body] if isinstance(body, str) else body  # (the same list: no copy)
        block = site_block(metadata, source.frontmatter, site, options.front_matter, lambda: parts, options.warn)
        del parts
        separator = separator if block else ""
    else:
        block = render_front_matter(metadata, source.frontmatter, options.front_matter)
    same_format = source.format == fmt
    leading = source.leading if same_format and block and site != "jekyll" else ""  # Jekyll reads it from the first byte only
    if not block and site != "hexo" and _looks_like_front_matter(body, restore or document.restore_templates):
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


class HtmlWriter(Writer):
    name = "html"
    aliases = ("htm", "front-matter-html")
    extensions = (".html", ".htm")
    description = "front-matter HTML (Hexo, Jekyll, Hugo posts; RSS-to-blog output)"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        return front_matter_and_body(document, options, document.body_html(), self.name)
