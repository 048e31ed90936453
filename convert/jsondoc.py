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
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

from convert.errors import ConvertError

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
