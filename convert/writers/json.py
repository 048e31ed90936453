"""JSON writer (one document per object) and JSON Lines writer (one document per line)."""

from __future__ import annotations

from typing import Any

from convert.formats import WriteOptions, Writer
from convert.model import Document


def document_to_json(document: Document, *, with_body: bool = True) -> dict[str, Any]:
    """The JSON object for a document (see :mod:`convert.jsondoc`); ``with_body=False`` leaves
    the body out (metadata and source only, without serializing a large tree)."""
    from convert.jsondoc import SCHEMA_ID, encode_metadata

    metadata, types, key_types = encode_metadata(document.metadata)
    src = document.source
    fm = src.frontmatter
    source: dict[str, Any] = {
        "path": src.display_path if src.path else None,
        "format": src.format,
        "encoding": src.encoding,
        "newline": src.newline,
        "bom": src.bom,
        "leading": src.leading,
        "body_line": src.body_line,
        "frontmatter": None,
    }
    if fm is not None:
        source["frontmatter"] = {
            "kind": fm.kind,
            "style": fm.style,
            "open": fm.open_fence,
            "close": fm.close_fence,
            "line": fm.line,
            "raw": fm.raw,
        }
    out: dict[str, Any] = {"schema": SCHEMA_ID, "metadata": metadata}
    if types:
        out["types"] = types
    if key_types:
        out["key_types"] = key_types
    if with_body:
        out["body"] = document.body_html()
    out["source"] = source
    return out


def json_with_text(document: Document, options: WriteOptions) -> dict[str, Any]:
    """The JSON object, with a ``text`` field (the plain text, as ``-t text`` writes the body)
    when ``--with-text`` asks for it."""
    out = document_to_json(document)
    if options.extra.get("with_text"):
        from convert.writers.text import plain_text

        out["text"] = plain_text(document, options)  # after "body": the tree may be consumed now
    return out


class JsonWriter(Writer):
    name = "json"
    extensions = (".json",)
    description = "JSON: metadata with types kept, body as HTML, source (schema: fmconvert/document/1)"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        import json

        text = json.dumps(json_with_text(document, options), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")


class JsonLinesWriter(Writer):
    name = "jsonl"
    aliases = ("ndjson", "json-lines")
    extensions = (".jsonl", ".ndjson")
    description = "JSON Lines: one compact JSON document per line, for streams and indexes"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        import json

        text = json.dumps(json_with_text(document, options), ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")
