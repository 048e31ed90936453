"""Front matter: finding the block, parsing it, and writing it back faithfully.

The one rule of writing: when the metadata is unchanged (same keys, same order, same values of the
same types), the block is reproduced exactly as it was read. Otherwise it is written anew in the
requested language; for YAML, the entries that did not change keep their original text.
"""

from __future__ import annotations

from typing import Any

from convert.errors import FrontMatterError
from convert.front.split import Split, split_front_matter
from convert.model import FrontMatter, same_value

__all__ = ["KINDS", "Split", "parse_front_matter", "render_front_matter", "split_front_matter"]

#: Front-matter languages we can write, with the fences each uses by default.
KINDS = ("yaml", "toml", "json")


def parse_front_matter(split: Split) -> tuple[dict[str, Any], FrontMatter | None]:
    """Parse the block that :func:`split_front_matter` found. Returns metadata and the
    :class:`FrontMatter` record (None when the text has no front matter)."""
    if split.kind is None:
        return {}, None
    if split.kind == "yaml":
        from convert.front.yamlfm import load_yaml

        metadata = load_yaml(split.raw, split.raw_line)
    elif split.kind == "toml":
        from convert.front.tomlfm import load_toml

        metadata = load_toml(split.raw, split.raw_line)
    else:
        from convert.front.jsonfm import load_json

        metadata = load_json(split.raw, split.raw_line, braces_optional=split.style in ("hexo-json", ";;;"))
    fm = FrontMatter(
        kind=split.kind,
        style=split.style,
        raw=split.raw,
        open_fence=split.open_fence,
        close_fence=split.close_fence,
        line=split.raw_line,
        original=_snapshot(metadata),
    )
    return metadata, fm


def _snapshot(value: Any) -> Any:
    """A deep copy of plain data (dicts, lists and scalars), cheap and alias-preserving enough."""
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snapshot(v) for v in value]
    return value


def render_front_matter(metadata: dict[str, Any], fm: FrontMatter | None, kind: str | None = None) -> str:
    """The front-matter block (fences included, ending in a newline) for ``metadata``.

    ``kind`` picks the language (``yaml``/``toml``/``json``); None keeps the one read (YAML when
    there was none). Empty metadata with no block read gives the empty string.
    """
    target = kind or (fm.kind if fm is not None else "yaml")
    if target not in KINDS:
        raise FrontMatterError(f"unknown front-matter language {target!r} (choose from {', '.join(KINDS)})")
    if fm is not None and fm.kind == target and same_value(metadata, fm.original):
        return fm.block()
    if not metadata and fm is None:
        return ""
    if target == "yaml":
        from convert.front.yamlfm import dump_yaml

        same_kind = fm is not None and fm.kind == "yaml"
        text = dump_yaml(metadata, fm.raw if same_kind else None, fm.original if same_kind else None)  # type: ignore[union-attr]
        open_fence = fm.open_fence if same_kind else "---"  # type: ignore[union-attr]
        close_fence = fm.close_fence if same_kind else "---"  # type: ignore[union-attr]
        return f"{open_fence}\n{text}{close_fence}\n"
    if target == "toml":
        from convert.front.tomlfm import dump_toml

        return f"+++\n{dump_toml(metadata)}+++\n"
    from convert.front.jsonfm import dump_json

    if fm is not None and fm.kind == "json" and fm.style == "hexo-json":
        return f"{dump_json(metadata, braces=False)}{fm.close_fence}\n"
    if fm is not None and fm.kind == "json" and fm.style == ";;;":
        return f";;;\n{dump_json(metadata, braces=False)};;;\n"
    return dump_json(metadata) + "\n"
