"""The JSON document format: metadata (types kept), body, source.

::

    {
      "schema": "fmconvert/document/1",
      "metadata": {"title": "...", "date": "2021-08-07T02:22:05", "year": "2020"},
      "types": {"/date": "timestamp"},
      "body": "<div>...</div>",
      "source": {"path": "post.md", "format": "html", "encoding": "utf-8", "newline": "\\n",
                 "bom": false, "leading": "\\n", "body_line": 14,
                 "frontmatter": {"kind": "yaml", "style": "---", "open": "---", "close": "---",
                                 "line": 3, "raw": "title: ...\\n"}}
    }

``metadata`` is plain JSON, so ``jq .metadata.title`` just works. Values JSON has no type for are
written as strings and named in ``types`` by JSON Pointer (RFC 6901): ``timestamp`` (ISO 8601,
with its offset when it had one), ``date``, ``time``, ``binary`` (base64), ``set`` (a list),
``float`` (``"nan"``, ``"inf"``, ``"-inf"``). Keys that were not strings are named in
``key_types`` (``int``, ``float``, ``bool``, ``null``, ``date``, ``timestamp``). Reading the JSON
back restores every value with its type. The schema ships as ``convert/schema/document.schema.json``.

:func:`document_to_json` and :func:`document_from_json` are the mapping between a
:class:`~convert.model.Document` and this object, for the JSON writer and reader and for the
metadata the XHTML writer carries in its ``<head>``.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

from convert.errors import ConvertError
from convert.model import Document, FrontMatter, Source, same_value

SCHEMA_ID = "fmconvert/document/1"
SCHEMA_PREFIX = "fmconvert/document/"


def _pointer(parent: str, key: str | int) -> str:
    return parent + "/" + str(key).replace("~", "~0").replace("/", "~1")


def encode_metadata(metadata: dict[Any, Any]) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """Plain-JSON metadata plus the ``types`` and ``key_types`` side tables."""
    types: dict[str, str] = {}
    key_types: dict[str, str] = {}

    def enc(value: Any, ptr: str) -> Any:
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            if math.isfinite(value):
                return value
            types[ptr] = "float"
            return "nan" if value != value else ("inf" if value > 0 else "-inf")
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                key = _encode_key(k, ptr, key_types)
                if key in out:
                    raise ConvertError(f"metadata keys {key!r} collide once written as JSON strings")
                out[key] = enc(v, _pointer(ptr, key))
            return out
        if isinstance(value, (list, tuple)):
            return [enc(v, _pointer(ptr, i)) for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            types[ptr] = "timestamp"
            return value.isoformat()
        if isinstance(value, dt.date):
            types[ptr] = "date"
            return value.isoformat()
        if isinstance(value, dt.time):
            types[ptr] = "time"
            return value.isoformat()
        if isinstance(value, (bytes, bytearray)):
            types[ptr] = "binary"
            return base64.b64encode(bytes(value)).decode("ascii")
        if isinstance(value, (set, frozenset)):
            types[ptr] = "set"
            return [enc(v, _pointer(ptr, i)) for i, v in enumerate(sorted(value, key=repr))]
        raise ConvertError(f"metadata value of type {type(value).__name__} cannot be written as JSON")

    return enc(metadata, ""), types, key_types


def _encode_key(key: Any, ptr: str, key_types: dict[str, str]) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        name, text = "null", "null"
    elif isinstance(key, bool):
        name, text = "bool", "true" if key else "false"
    elif isinstance(key, int):
        name, text = "int", str(key)
    elif isinstance(key, float):
        name, text = "float", repr(key)
    elif isinstance(key, dt.datetime):
        name, text = "timestamp", key.isoformat()
    elif isinstance(key, dt.date):
        name, text = "date", key.isoformat()
    else:
        raise ConvertError(f"metadata key of type {type(key).__name__} cannot be written as JSON")
    key_types[_pointer(ptr, text)] = name
    return text


def decode_metadata(metadata: Any, types: dict[str, str] | None, key_types: dict[str, str] | None) -> dict[Any, Any]:
    """Inverse of :func:`encode_metadata`. Raises :class:`ConvertError` on a bad type tag."""
    types = types or {}
    key_types = key_types or {}

    def dec(value: Any, ptr: str) -> Any:
        tag = types.get(ptr)
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                child = _pointer(ptr, k)
                out[_decode_key(k, key_types.get(child), child)] = dec(v, child)
            return out
        if isinstance(value, list):
            items = [dec(v, _pointer(ptr, i)) for i, v in enumerate(value)]
            if tag == "set":
                try:
                    return set(items)
                except TypeError:
                    raise ConvertError(f"metadata {ptr or '/'}: a set of unhashable values") from None
            return items
        if tag is None:
            return value
        if not isinstance(value, str):
            raise ConvertError(f"metadata {ptr}: type {tag!r} needs a string value")
        try:
            if tag == "timestamp":
                return dt.datetime.fromisoformat(value)
            if tag == "date":
                return dt.date.fromisoformat(value)
            if tag == "time":
                return dt.time.fromisoformat(value)
            if tag == "binary":
                return base64.b64decode(value.encode("ascii"), validate=True)
            if tag == "float":
                return float(value)
        except ValueError as err:
            raise ConvertError(f"metadata {ptr}: not a valid {tag}: {err}") from None
        raise ConvertError(f"metadata {ptr}: unknown type {tag!r}")

    if not isinstance(metadata, dict):
        raise ConvertError("'metadata' must be a JSON object")
    return dec(metadata, "")  # type: ignore[no-any-return]


def _decode_key(text: str, tag: str | None, ptr: str) -> Any:
    if tag is None:
        return text
    try:
        if tag == "int":
            return int(text)
        if tag == "float":
            return float(text)
        if tag == "bool":
            return text == "true"
        if tag == "null":
            return None
        if tag == "timestamp":
            return dt.datetime.fromisoformat(text)
        if tag == "date":
            return dt.date.fromisoformat(text)
    except ValueError as err:
        raise ConvertError(f"metadata key {ptr}: not a valid {tag}: {err}") from None
    raise ConvertError(f"metadata key {ptr}: unknown key type {tag!r}")


def document_to_json(document: Document, *, with_body: bool = True) -> dict[str, Any]:
    """The JSON object for a document; ``with_body=False`` leaves the body out (metadata and
    source only, without serializing a large tree)."""
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


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str, default: Any = None) -> Any:
    value = obj.get(key, default)
    if value is not None and not isinstance(value, kind):
        raise ConvertError(f"'{what}' must be {_kind_name(kind)}, not {_json_type(value)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", bool: "true or false", dict: "an object", list: "an array"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def document_from_json(obj: Any, *, path: str | None = None, repair: bool = True) -> Document:
    """Build a document from a parsed JSON object, checking its shape as the schema does.
    ``path`` is where it was read from (else the path it records); ``repair`` as
    :attr:`~convert.formats.ReadOptions.repair`."""
    if not isinstance(obj, dict):
        raise ConvertError(f"a JSON document must be an object, not {_json_type(obj)}")
    schema = _field(obj, "schema", str, "schema")
    if schema is None or not schema.startswith(SCHEMA_PREFIX):
        raise ConvertError("not an fmconvert JSON document (its 'schema' is not fmconvert/document/N)")
    if schema != "fmconvert/document/1":
        raise ConvertError(f"unsupported JSON document version {schema!r} (this fmconvert reads fmconvert/document/1)")
    body = _field(obj, "body", str, "body", "")
    metadata = decode_metadata(
        _field(obj, "metadata", dict, "metadata", {}),
        _field(obj, "types", dict, "types"),
        _field(obj, "key_types", dict, "key_types"),
    )
    src = _field(obj, "source", dict, "source", {}) or {}
    newline = _field(src, "newline", str, "source.newline", "\n")
    source = Source(
        path=path or _field(src, "path", str, "source.path"),
        format=_field(src, "format", str, "source.format"),
        encoding=_field(src, "encoding", str, "source.encoding", "utf-8"),
        body_line=_field(src, "body_line", int, "source.body_line", 1),
        newline=newline if newline in ("\n", "\r\n") else "\n",
        bom=bool(_field(src, "bom", bool, "source.bom", False)),
        leading=_field(src, "leading", str, "source.leading", ""),
    )
    fm_obj = _field(src, "frontmatter", dict, "source.frontmatter")
    if fm_obj is not None:
        source.frontmatter = _front_matter(fm_obj, metadata)
    return Document(metadata, source=source, body_html=body, repair=repair)


def _front_matter(fm_obj: dict[str, Any], metadata: dict[str, Any]) -> FrontMatter | None:
    """The front-matter block recorded in the JSON, kept only when it still describes the
    metadata (then the HTML writer reproduces it verbatim); otherwise None, and the metadata
    is written anew."""
    from convert.front import parse_front_matter
    from convert.front.split import Split

    kind = fm_obj.get("kind")
    raw = fm_obj.get("raw")
    if kind not in ("yaml", "toml", "json") or not isinstance(raw, str):
        return None
    style = fm_obj.get("style") if isinstance(fm_obj.get("style"), str) else ""
    split = Split(
        kind,
        style or "",
        "",
        str(fm_obj.get("open") or ""),
        raw,
        str(fm_obj.get("close") or ""),
        int(fm_obj["line"]) if isinstance(fm_obj.get("line"), int) else 1,
        "",
        1,
    )
    try:
        parsed, fm = parse_front_matter(split)
    except ConvertError:
        return None
    if fm is None:
        return None
    if not same_value(parsed, metadata):
        # The metadata was edited after the JSON was made: keep the block's language and fences
        # (and, for YAML, the text of unchanged entries), but the block must be rewritten.
        fm.original = parsed
    return fm
