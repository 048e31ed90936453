"""What every front-matter reader shares: decoding, line ends, splitting off the front matter."""

from __future__ import annotations

from typing import Any

from convert.errors import ConvertError
from convert.formats import ReadOptions
from convert.model import Source


def read_front_matter_text(data: bytes, options: ReadOptions, fmt: str) -> tuple[dict[str, Any], Source, str]:
    """Decode ``data`` and parse its front matter. Returns metadata, source, and the body text
    (``\\n`` line ends). Errors carry the path and the file's own line number."""
    from convert.decoding import decode, normalize_newlines
    from convert.front import parse_front_matter, split_front_matter

    path = options.path
    try:
        text, encoding, bom = decode(data, options.encoding, path=path)
        text, newline = normalize_newlines(text)
        split = split_front_matter(text)
        metadata, fm = parse_front_matter(split)
    except ConvertError as err:
        raise err.with_location(path or "<stdin>") from None
    source = Source(
        path=path,
        format=fmt,
        encoding=encoding,
        frontmatter=fm,
        body_line=split.body_line,
        newline=newline,
        bom=bom,
        leading=split.leading,
    )
    return metadata, source, split.body
