"""JSON reader: the inverse of the JSON writer (and of one JSON Lines line)."""

from __future__ import annotations

from typing import Any

from convert.errors import ConvertError, LimitError
from convert.formats import JsonFormat, JsonLinesFormat, Reader, ReadOptions
from convert.model import Document, FrontMatter, Source, same_value


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


def document_from_json(obj: Any, options: ReadOptions) -> Document:
    """Build a document from a parsed JSON object, checking its shape as the schema does."""
    from convert.jsondoc import SCHEMA_PREFIX, decode_metadata

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
        path=options.path or _field(src, "path", str, "source.path"),
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
    return Document(metadata, source=source, body_html=body, repair=options.repair)


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


class JsonReader(JsonFormat, Reader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        import json

        from convert.decoding import decode
        from convert.limits import MAX_INT_DIGITS, checked_values, is_int_limit_error

        path = options.path or "<stdin>"
        try:
            text, _, _ = decode(data, options.encoding, path=path)
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as err:
                raise ConvertError(f"invalid JSON: {err.msg} (column {err.colno})", line=err.lineno) from None
            except RecursionError:
                raise ConvertError("JSON nested too deeply") from None
            except ValueError as err:
                if is_int_limit_error(err):
                    raise LimitError(f"an integer of more than {MAX_INT_DIGITS:,} digits; refused") from None
                raise
            return document_from_json(checked_values(obj), options)
        except ConvertError as err:
            raise err.with_location(path) from None


class JsonLinesReader(JsonLinesFormat, JsonReader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        lines = [line for line in data.splitlines() if line.strip()]
        if len(lines) > 1:
            path = options.path or "<stdin>"
            raise ConvertError(
                f"holds {len(lines)} documents; 'convert' reads one ('fmconvert batch FILE -o DIR -t FORMAT' writes each as a file)",
                path=path,
            )
        return super().read(lines[0] if lines else b"", options)
