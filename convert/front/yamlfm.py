"""YAML front matter: loading with line-numbered errors, and faithful dumping.

Loading goes through a loader of our own (libyaml's C parser where available) that refuses
duplicate keys. Dumping keeps key order, writes Unicode as
is, never wraps, and, when a front-matter block was read, reuses each unchanged top-level entry
exactly as it was written: a changed title does not re-spell the date below it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from convert.errors import FrontMatterError
from convert.lazyre import deferred_compiles, lazy
from convert.limits import MAX_INT_DIGITS, int_too_long, is_int_limit_error

# Start-up: PyYAML compiles a dozen patterns as it is imported, one of them (the Python reader's
# NON_PRINTABLE, which the C parser never uses) costing more than a whole conversion of a post.
with deferred_compiles("yaml"):
    import yaml

try:  # libyaml is much faster; PyYAML ships wheels with it on the usual platforms
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# YAML 1.1 timestamps, plus the offset without a colon that Jekyll writes (``16:16:01 -0800``) and
# Ruby's YAML reads as a timestamp. The dumper knows the same pattern, so a string spelled like one
# is quoted and stays a string.
_TIMESTAMP = lazy(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
     (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::?[0-9][0-9])?))?)$""",
    re.X,
)
_COLONLESS_OFFSET = lazy(r"([-+][0-9][0-9])([0-9][0-9])$")


class FrontMatterLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that reports duplicate keys instead of keeping the last one silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise FrontMatterError(
                    "a mapping key must be a plain value, not a list or mapping",
                    line=key_node.start_mark.line + 1,
                ) from None
            if first is not None:
                raise _duplicate(key, first, key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _duplicate(key: Any, first: int, line: int) -> FrontMatterError:
    err = FrontMatterError(f"duplicate key {key!r} in YAML front matter (first on line {first})", line=line)
    err.first_line = first  # type: ignore[attr-defined]
    return err


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    value = node.value.strip()
    if _COLONLESS_OFFSET.search(value) and (" " in value or "T" in value or "t" in value):
        node = yaml.ScalarNode(node.tag, _COLONLESS_OFFSET.sub(r"\1:\2", value), node.start_mark, node.end_mark)
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        # Spelled like a timestamp but no real date (month 0, February 30): the text, as written,
        # as Ruby's YAML (Jekyll) keeps it. The dumper quotes it, so it stays a string.
        return value


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer, or an error on its line when it is too long to be written back as text (in
    decimal Python refuses to read it at all; in hex it reads, and every writer would fail)."""
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError as err:
        if not is_int_limit_error(err):
            raise
        value = None
    if value is None or int_too_long(value):
        raise FrontMatterError(f"an integer of more than {MAX_INT_DIGITS:,} digits in YAML front matter; refused", line=node.start_mark.line + 1)
    return value  # type: ignore[no-any-return]


FrontMatterLoader.add_implicit_resolver(_TIMESTAMP_TAG, _TIMESTAMP, list("0123456789"))
FrontMatterLoader.add_constructor(_TIMESTAMP_TAG, _construct_timestamp)
FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class FrontMatterDumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe dumper: block style, strings with newlines as literal blocks."""


FrontMatterDumper.add_implicit_resolver(_TIMESTAMP_TAG, _TIMESTAMP, list("0123456789"))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    clean = data.strip() and not data.startswith((" ", "\n")) and not data.endswith("\n\n")
    if "\n" in data and clean and not any(c in data for c in "\r\x85\u2028\u2029") and data == data.rstrip(" \t"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.ScalarNode:
    if math.isfinite(data):
        return dumper.represent_scalar("tag:yaml.org,2002:float", repr(data))
    return yaml.SafeDumper.represent_float(dumper, data)


FrontMatterDumper.add_representer(str, _represent_str)
FrontMatterDumper.add_representer(float, _represent_float)

#: The largest number of values a front-matter block may expand to (aliases included).
MAX_VALUES = 100_000


def load_yaml(raw: str, first_line: int) -> dict[str, Any]:
    """Parse a YAML block into an ordered dict. ``first_line`` is the file line of ``raw``'s first
    line, used to report errors with the file's own line numbers."""
    try:
        value = yaml.load(raw, Loader=FrontMatterLoader)
    except FrontMatterError as err:
        err.line = (err.line or 1) + first_line - 1
        if hasattr(err, "first_line"):
            first = err.first_line + first_line - 1
            err.message = err.message.rsplit("(first on line", 1)[0] + f"(first on line {first})"
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        opened = ("while parsing a flow", "while scanning a quoted", "while scanning a block scalar")
        if err.context_mark is not None and (err.context or "").startswith(opened):
            mark = err.context_mark  # point at what was left open, not where the parser gave up
        line = first_line + mark.line if mark is not None else first_line
        raise FrontMatterError(f"malformed YAML front matter: {_describe(err, raw)}", line=line) from None
    except yaml.reader.ReaderError as err:
        line = first_line + raw.count("\n", 0, max(err.position, 0))
        raise FrontMatterError(f"YAML front matter holds a character YAML does not allow (U+{err.character:04X})" if isinstance(err.character, int) else "YAML front matter holds a character YAML does not allow", line=line) from None
    except yaml.YAMLError as err:
        raise FrontMatterError(f"malformed YAML front matter: {str(err).splitlines()[0]}", line=first_line) from None
    except RecursionError:
        raise FrontMatterError("YAML front matter is nested too deeply", line=first_line) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"a single {type(value).__name__} value"
        raise FrontMatterError(f"front matter must be a mapping of keys to values, not {kind}", line=first_line)
    check_size(value, first_line)
    return value


def _describe(err: yaml.MarkedYAMLError, raw: str) -> str:
    problem = err.problem or "syntax error"
    mark = err.problem_mark
    lines = raw.split("\n")
    at_tab = mark is not None and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t"
    if at_tab or "'\\t'" in problem:
        return "a tab character where YAML expects spaces (indent with spaces, not tabs)"
    if "end of stream" in problem and err.context and "quoted" in err.context:
        return "a quoted string is never closed"
    if err.context and err.context.startswith("while parsing a flow"):
        kind = "[ list" if "sequence" in err.context else "{ mapping"
        return f"a {kind} is not closed properly ({problem})"
    if err.context:
        return f"{problem} ({err.context})"
    return problem


def check_size(value: Any, line: int) -> None:
    """Refuse metadata that expands to more than :data:`MAX_VALUES` values or refers to itself
    (YAML aliases make both possible in a few bytes: the "billion laughs")."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(obj: Any) -> int:
        if not isinstance(obj, (dict, list)):
            return 1
        key = id(obj)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise FrontMatterError("front matter refers to itself (a recursive YAML alias)", line=line)
        active.add(key)
        items = obj.values() if isinstance(obj, dict) else obj
        total = 1
        for item in items:
            total += size(item)
            if total > MAX_VALUES:
                raise FrontMatterError(
                    f"front matter expands to more than {MAX_VALUES:,} values (YAML aliases?); refused",
                    line=line,
                )
        active.discard(key)
        sizes[key] = total
        return total

    try:
        size(value)
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply", line=line) from None


def dump_yaml(metadata: dict[str, Any], previous_raw: str | None = None, previous: dict[str, Any] | None = None) -> str:
    """YAML text for ``metadata`` (no fences, ends with a newline unless empty). Entries whose
    value equals (with its type) the one read from ``previous_raw`` are copied as written."""
    if not metadata:
        return ""
    chunks = _top_level_chunks(previous_raw) if previous_raw and previous is not None else None
    if chunks is None:
        return _dump(metadata)
    from convert.model import same_value

    prefix, by_key = chunks
    out = [prefix]
    for key, value in metadata.items():
        chunk = by_key.get(key) if isinstance(key, str) else None
        if chunk is not None and key in previous and same_value(value, previous[key]):  # type: ignore[operator]
            out.append(chunk if chunk.endswith("\n") else chunk + "\n")
        else:
            out.append(_dump({key: value}))
    return "".join(out)


def _dump(data: dict[str, Any]) -> str:
    try:
        return yaml.dump(  # type: ignore[no-any-return]
            data,
            Dumper=FrontMatterDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=2**31 - 1,
        )
    except yaml.YAMLError as err:
        raise FrontMatterError(f"cannot write this metadata as YAML: {err}") from None


def _top_level_chunks(raw: str) -> tuple[str, dict[str, str]] | None:
    """Split a YAML block into the text before the first key and one text per top-level key
    (from the key's line to the next key's line). None when the block is not laid out one
    key per line (flow mappings, complex keys)."""
    try:
        node = yaml.compose(raw, Loader=FrontMatterLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    lines = raw.splitlines(keepends=True)
    starts: list[tuple[str, int]] = []
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            return None
        line = key_node.start_mark.line
        if key_node.start_mark.column != 0 or (starts and line <= starts[-1][1]):
            return None
        starts.append((key_node.value, line))
    if not starts:
        return None
    prefix = "".join(lines[: starts[0][1]])
    by_key: dict[str, str] = {}
    for i, (key, line) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        by_key[key] = "".join(lines[line:end])
    return prefix, by_key
