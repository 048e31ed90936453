"""JSON writer (one document per object) and JSON Lines writer (one document per line)."""

from __future__ import annotations

from typing import Any

from convert.formats import JsonFormat, JsonLinesFormat, WriteOptions, Writer
from convert.jsondoc import document_to_json
from convert.model import Document


def json_with_text(document: Document, options: WriteOptions) -> dict[str, Any]:
    """The JSON object, with a ``text`` field (the plain text, as ``-t text`` writes the body)
    when ``--with-text`` asks for it."""
    out = document_to_json(document)
    if options.extra.get("with_text"):
        from convert.writers.text import plain_text

        out["text"] = plain_text(document, options)  # after "body": the tree may be consumed now
    return out


def dump_json(obj: dict[str, Any], *, indent: int | None) -> bytes:
    """``obj`` as JSON (UTF-8, one line end after it). The large strings (``body`` and
    ``text``) are escaped and encoded a part at a time into the output: a large post is never
    held as text twice over."""
    import json

    separators = (",", ": ") if indent else (",", ":")

    def plain() -> bytes:
        return (json.dumps(obj, ensure_ascii=False, indent=indent, separators=separators) + "\n").encode("utf-8")

    large = {key: obj[key] for key in ("body", "text") if isinstance(obj.get(key), str) and len(obj[key]) > _PART}
    if not large:
        return plain()
    markers = {key: f"{_MARK}{key}{_MARK}" for key in large}
    text = json.dumps({key: markers.get(key, value) for key, value in obj.items()}, ensure_ascii=False, indent=indent, separators=separators)
    quoted = {key: json.dumps(marker, ensure_ascii=False) for key, marker in markers.items()}
    if any(text.count(q) != 1 for q in quoted.values()):  # a post holding the marker itself
        return plain()
    parts: list[bytes] = []
    rest = text
    for key in sorted(large, key=lambda k: text.index(quoted[k])):
        before, rest = rest.split(quoted[key], 1)
        parts.append(before.encode("utf-8"))
        value = large[key]
        parts.append(b'"')
        for start in range(0, len(value), _PART):
            parts.append(json.dumps(value[start : start + _PART], ensure_ascii=False)[1:-1].encode("utf-8"))
        parts.append(b'"')
    parts.append((rest + "\n").encode("utf-8"))
    return b"".join(parts)


_PART = 1 << 20  # characters of a large string escaped at a time
_MARK = "\ue3fe\ue3ff"  # private-use characters around a large value's key while the rest is written


class JsonWriter(JsonFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        return dump_json(json_with_text(document, options), indent=2)


class JsonLinesWriter(JsonLinesFormat, Writer):
    def write(self, document: Document, options: WriteOptions) -> bytes:
        return dump_json(json_with_text(document, options), indent=None)
