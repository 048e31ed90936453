"""fmconvert: convert front-matter HTML documents between HTML, Markdown, XHTML/EPUB and JSON.

The library interface::

    import convert

    doc = convert.read_file("post.html")          # a Document: metadata, body (lxml), source
    doc.metadata["title"]
    markdown = convert.write(doc, "markdown")      # bytes
    data = convert.convert_bytes(raw, "json", path="post.html")

Names are imported lazily, so ``import convert`` costs next to nothing.
"""

from __future__ import annotations

from typing import Any

from convert._version import __version__

__all__ = [
    "ConvertError",
    "Document",
    "FrontMatter",
    "ReadOptions",
    "Reader",
    "Source",
    "WriteOptions",
    "Writer",
    "__version__",
    "convert_bytes",
    "detect_format",
    "read",
    "read_file",
    "write",
]

_LAZY = {
    "Document": "convert.model",
    "Source": "convert.model",
    "FrontMatter": "convert.model",
    "ConvertError": "convert.errors",
    "read": "convert.api",
    "read_file": "convert.api",
    "write": "convert.api",
    "convert_bytes": "convert.api",
    "detect_format": "convert.api",
    "ReadOptions": "convert.formats",
    "WriteOptions": "convert.formats",
    "Reader": "convert.formats",
    "Writer": "convert.formats",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'convert' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
