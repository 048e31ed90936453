"""JSON reader: the inverse of the JSON writer (and of one JSON Lines line)."""

from __future__ import annotations

from convert.errors import ConvertError, LimitError
from convert.formats import JsonFormat, JsonLinesFormat, Reader, ReadOptions
from convert.jsondoc import document_from_json
from convert.model import Document


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
            return document_from_json(checked_values(obj), path=options.path, repair=options.repair)
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
