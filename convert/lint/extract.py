"""Finding the images of a document with their line and column in the file itself.

The linter scans the file's text rather than a parsed tree: it reports the positions the user
sees in an editor (front matter counted) and it can repair a tag by editing just that tag. Code is
not content: ``<img>`` inside comments, ``<pre>``, ``<code>``, ``<script>``, ``<style>`` and
``<textarea>``, and inside Markdown code blocks and code spans, is never reported.
"""

from __future__ import annotations

import html
import re
from typing import Any

from convert.lint.core import Image

_SKIP_HTML = re.compile(
    r"<!--.*?(?:-->|$)|<(pre|code|script|style|textarea|xmp)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_IMG = re.compile(r"<img(?=[\s/>])", re.IGNORECASE)
_ATTR = re.compile(r"""\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_MD_IMAGE = re.compile(r"!\[((?:[^\]\\\n]|\\.)*)\]\(\s*(<[^>\n]*>|[^\s)]*)(?:\s+(\"[^\"]*\"|'[^']*'))?\s*\)")


class _Lines:
    """Offsets to 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def at(self, offset: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def parse_tag(text: str, start: int) -> tuple[dict[str, str | None], int]:
    """Attributes of the tag opening at ``start`` (``<img``) and the offset past its ``>``."""
    pos = start + 4
    attrs: dict[str, str | None] = {}
    n = len(text)
    while pos < n:
        if text.startswith("/>", pos):
            return attrs, pos + 2
        if text[pos] == ">":
            return attrs, pos + 1
        m = _ATTR.match(text, pos)
        if not m or m.end() == pos:
            pos += 1
            continue
        name = m.group(1).lower()
        raw = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        if name not in attrs:
            attrs[name] = html.unescape(raw) if raw is not None else ""
        pos = m.end()
    return attrs, n


def html_images(text: str, start: int, end: int, lines: _Lines) -> list[Image]:
    """``<img>`` tags in ``text[start:end]`` outside code, comments and raw-text elements."""
    images = []
    skips = [(m.start(), m.end()) for m in _SKIP_HTML.finditer(text, start, end)]
    skip_i = 0
    for m in _IMG.finditer(text, start, end):
        while skip_i < len(skips) and skips[skip_i][1] <= m.start():
            skip_i += 1
        if skip_i < len(skips) and skips[skip_i][0] <= m.start() < skips[skip_i][1]:
            continue
        attrs, tag_end = parse_tag(text, m.start())
        line, col = lines.at(m.start())
        images.append(Image("img", attrs, line, col, tag_start=m.start(), tag_end=tag_end))
    return images


def markdown_images(text: str, start: int, lines: _Lines) -> list[Image]:
    """Markdown images and raw ``<img>`` tags in a Markdown body, outside code."""
    images: list[Image] = []
    body = text[start:]
    # Blank out fenced and indented code blocks and code spans, keeping offsets.
    chars = list(body)
    fence: str | None = None
    offset = 0
    prev_blank = True
    for line in body.split("\n"):
        m = _FENCE.match(line)
        in_code = False
        if fence is not None:
            in_code = True
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
        elif m:
            fence = m.group(1)
            in_code = True
        elif line.startswith("    ") and prev_blank:
            in_code = True
        if in_code:
            for i in range(offset, offset + len(line)):
                chars[i] = " "
        prev_blank = not line.strip() or (in_code and prev_blank)
        offset += len(line) + 1
    masked = "".join(chars)
    for m in _CODE_SPAN.finditer(masked):
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _MD_IMAGE.finditer(masked):
        src = m.group(2)
        if src.startswith("<") and src.endswith(">"):
            src = src[1:-1]
        attrs: dict[str, str | None] = {"alt": _md_unescape(m.group(1)), "src": _md_unescape(src)}
        if m.group(3):
            attrs["title"] = m.group(3)[1:-1]
        line, col = lines.at(start + m.start())
        images.append(Image("markdown", attrs, line, col))
    masked_full = text[:start] + masked
    images.extend(html_images(masked_full, start, len(masked_full), lines))
    for image in images:
        if image.kind == "img" and image.tag_start is not None:
            # positions found on the masked copy are the same in the real text
            image.attrs, image.tag_end = parse_tag(text, image.tag_start)
    images.sort(key=lambda i: (i.line, i.col))
    return images


def _md_unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", html.unescape(text))


def metadata_images(metadata: dict[str, Any], keys: tuple[str, ...], fm_text: str, fm_line: int) -> list[Image]:
    """Image references in front-matter fields (``headimg``, ``thumbnail``, ``cover``...)."""
    images = []
    fm_lines = fm_text.split("\n")
    for key in keys:
        value = metadata.get(key)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, str):
                continue
            line, col = fm_line, 1
            pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*[:=]")
            for i, text_line in enumerate(fm_lines):
                if pattern.match(text_line):
                    line = fm_line + i
                    found = text_line.find(item)
                    col = found + 1 if found >= 0 else 1
                    break
            images.append(Image("metadata", {"src": item}, line, col, key=key))
    return images


def collect_images(text: str, body_start: int, is_markdown: bool, metadata: dict[str, Any], keys: tuple[str, ...], fm_text: str, fm_line: int) -> list[Image]:
    lines = _Lines(text)
    images = metadata_images(metadata, keys, fm_text, fm_line)
    if is_markdown:
        images.extend(markdown_images(text, body_start, lines))
    else:
        images.extend(html_images(text, body_start, len(text), lines))
    return images
