"""The book's cover: an image named by the front matter, a file given with ``--cover``, or one
generated from the title and author (an SVG, so no font or image library is needed), always
marked as the package's ``cover-image`` and shown on a cover page first in the spine."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from convert.model import IMAGE_FIELDS
from convert.xhtml.xmltext import clean_text, xml_text

if TYPE_CHECKING:
    from convert.model import Document

COVER_FIELDS = IMAGE_FIELDS  # the first one set names the cover
# Calm background colours; the title picks one, so a book keeps its colour from run to run.
PALETTE = ("#2f4858", "#33658a", "#55606e", "#3d5a40", "#6b4e3d", "#4a4063", "#5c3c4f", "#2e4a62")


def cover_source(document: Document, fields: tuple[str, ...] = COVER_FIELDS) -> str | None:
    """The first image the front matter names in one of ``fields`` (a string, or a list of them)."""
    for key in fields:
        value = document.metadata.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, dict):
            value = value.get("src") or value.get("url") or value.get("image")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _width(ch: str) -> float:
    """The advance of a character, in ems, near enough to wrap a title."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return 0.3 if ch in " .,;:'!|il" else 0.58


def _wrap(text: str, size: float, width: float, max_lines: int) -> list[str]:
    lines: list[str] = []
    line, line_w = "", 0.0
    token = ""
    tokens: list[str] = []
    for ch in text:
        if ch == " " or _width(ch) == 1.0:  # CJK text breaks anywhere, Latin text at spaces
            if token:
                tokens.append(token)
                token = ""
            tokens.append(ch)
        else:
            token += ch
    if token:
        tokens.append(token)
    for tok in tokens:
        tok_w = sum(_width(c) for c in tok) * size
        if line and line_w + tok_w > width:
            lines.append(line.rstrip())
            line, line_w = ("", 0.0) if tok == " " else (tok, tok_w)
            continue
        line += tok
        line_w += tok_w
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return lines


def generated_cover(title: str, authors: list[str], lang: str) -> bytes:
    """An SVG cover, 600 × 900: the title in large type on a calm colour, the authors below.
    Characters XML forbids are dropped before the lines are wrapped (they take no room)."""
    import hashlib

    title = clean_text(title) or ""
    authors = [clean_text(a) or "" for a in authors]
    colour = PALETTE[int(hashlib.sha256(title.encode()).hexdigest(), 16) % len(PALETTE)]
    size = 56.0 if len(title) < 40 else 44.0
    lines = _wrap(" ".join(title.split()) or "Untitled", size, 500, 7)
    top = 300 - (len(lines) - 1) * size * 0.65
    rows = "".join(
        f'<text x="300" y="{top + i * size * 1.3:.0f}" font-size="{size:.0f}" text-anchor="middle" fill="#ffffff" font-family="serif">{xml_text(line)}</text>'
        for i, line in enumerate(lines)
    )
    byline = ", ".join(authors)
    credit = "".join(
        f'<text x="300" y="{780 + i * 36}" font-size="28" text-anchor="middle" fill="#e8e8e8" font-family="sans-serif">{xml_text(line)}</text>'
        for i, line in enumerate(_wrap(byline, 28, 500, 2))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900" xml:lang="{xml_text(lang)}">'
        f'<rect width="600" height="900" fill="{colour}"/>'
        '<rect x="40" y="40" width="520" height="820" fill="none" stroke="#ffffff" stroke-opacity="0.5" stroke-width="2"/>'
        f"{rows}{credit}</svg>\n"
    ).encode()


def cover_page(image: str, title: str, lang: str, size: tuple[int, int] | None = None) -> bytes:
    """The XHTML cover page showing ``image`` (a path inside the package)."""
    e = xml_text
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{e(lang)}" xml:lang="{e(lang)}">\n'
        f'<head><meta charset="utf-8"/><title>{e(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f'<body class="fmc-cover"><section epub:type="cover"><img src="{e(image)}" alt="{e(title)}"{dims}/></section></body>\n</html>\n'
    ).encode()


def image_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG (for the cover page), if they can be read."""
    import struct

    try:
        if media_type == "image/png" and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if media_type == "image/gif":
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if media_type == "image/jpeg":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return None
                marker = data[i + 1]
                length = struct.unpack(">H", data[i + 2 : i + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                    return int(w), int(h)
                i += 2 + length
    except struct.error:
        return None
    return None

