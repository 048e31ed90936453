"""Deciding a document's format from its content (``--from auto``).

The extension is a hint, not the answer: RSS-to-Hexo posts are saved as ``.md`` with an HTML
body. The rules, in order:

1. a JSON object whose ``schema`` is ``fmconvert/document/...`` is ``json``;
2. an XML declaration, or an ``<html>`` root in the XHTML namespace, is ``xhtml``;
3. an extension owned by a plugin format goes to that format;
4. a file named ``.html`` or ``.htm`` is ``html``, whatever its body looks like: Jekyll, Hugo and
   Eleventy treat it so (a ``[text](url)`` in it is shown as written);
5. otherwise (``.md``, ``.markdown``, other or no extensions, stdin) the front matter is split
   off and the body looked at: a body that opens (after blank lines and comments) with a
   block-level HTML tag is ``html``, anything else with text is ``markdown``; an empty body
   follows the extension (``html`` when there is none).
"""

from __future__ import annotations

import re

from convert.html.tags import BLOCK
from convert.lazyre import lazy

_XHTML_ROOT = lazy(rb"<html[^>]*xmlns\s*=\s*[\"']http://www\.w3\.org/1999/xhtml", re.IGNORECASE)
_OPENING_TAG = lazy(r"<([A-Za-z][A-Za-z0-9-]*)")
_COMMENTS = lazy(r"\s*(?:<!--.*?-->\s*)*", re.DOTALL)
_BUILTIN_TEXT = ("html", "markdown", "xhtml", "json", "jsonl")


def sniff(data: bytes, path: str | None = None, available: set[str] | None = None, extension_format: str | None = None) -> str:
    """The format name for ``data``. ``available`` is the set of registered reader names;
    ``extension_format`` the format the file name suggests, if any."""
    available = available if available is not None else set(_BUILTIN_TEXT)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") and b"fmconvert/document/" in head and "json" in available:
        # JSON Lines: a whole document on the first line (the JSON writer spreads one over many).
        start = len(data) - len(data.lstrip(b"\xef\xbb\xbf \t\r\n"))
        end = data.find(b"\n", start)
        first_line = data[start : end if end >= 0 else len(data)].rstrip(b"\r \t")
        if "jsonl" in available and (extension_format == "jsonl" or (first_line.endswith(b"}") and b"fmconvert/document/" in first_line)):
            return "jsonl"
        return "json"
    if "xhtml" in available and (head.startswith(b"<?xml") or _XHTML_ROOT.search(head)):
        return "xhtml"
    if extension_format and extension_format not in _BUILTIN_TEXT:
        return extension_format
    if extension_format == "html" and path and path.lower().endswith((".html", ".htm")):
        return "html"
    body = _body_text(data)
    if body is None:
        return extension_format or "html"
    stripped = _COMMENTS.match(body)
    rest = body[stripped.end() :] if stripped else body
    if not rest.strip():
        return extension_format if extension_format in ("html", "markdown") else "html"
    m = _OPENING_TAG.match(rest)
    if m and m.group(1).lower() in BLOCK:
        return "html"
    if "markdown" in available:
        return "markdown"
    return "html"


def _body_text(data: bytes) -> str | None:
    """The text after the front matter, or None when it cannot be decoded or split (the reader
    will then report the problem properly)."""
    from convert.decoding import decode
    from convert.errors import ConvertError
    from convert.front.split import split_front_matter

    try:
        text, _, _ = decode(data[: 1 << 20])
    except ConvertError:
        try:
            text = data[: 1 << 20].decode("utf-8", "replace")
        except Exception:  # pragma: no cover
            return None
    try:
        return split_front_matter(text.replace("\r\n", "\n")).body
    except ConvertError:
        return None
