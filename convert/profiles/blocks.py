"""The front-matter block each site generator reads (``--profile hugo|jekyll|hexo``).

Observed in real builds (Hugo 0.168, Jekyll 4.3.1, Hexo 8.1.2; tests/sites.py):

| generator | reads | does not read |
|---|---|---|
| Jekyll | YAML from the first byte (a BOM is fine), between ``---`` lines (``...`` closes it too) | TOML, JSON, a blank line before ``---``, ``----`` fences |
| Hexo | YAML between ``---`` lines (or matching runs of dashes); JSON members without braces ended by ``;;;`` (with or without an opening ``;;;``) | TOML, a JSON object, YAML closed by ``...``, an empty ``---`` ``---`` block |
| Hugo | YAML between ``---`` lines, TOML between ``+++`` lines, a JSON object | Hexo's ``;;;`` JSON; YAML closed by ``...`` or opened by ``----`` fails the whole build |

So, unless ``--front-matter`` names a language: Jekyll gets YAML, and no blank line before it;
Hexo gets YAML, or its own ``;;;`` JSON kept as it came; Hugo keeps YAML, TOML and JSON objects
and gets a JSON object for Hexo's JSON. Fences become the plain ``---`` and ``+++`` every one of
them reads. When the language changes the values keep their types (dates stay dates). A
``--front-matter`` language the generator does not read is written as asked, with a warning.

Hexo reads front matter that is not at the top: in a post without a block, the text before the
first line starting with ``---`` or ``;;;`` (a diff or YAML in a code block) is taken for one, and
a post whose text is no YAML then fails to build. Such a post gets an empty block, ``---`` ``{}``
``---`` (Hexo shows an empty ``---`` ``---`` as two rules). Hugo takes a post that starts with
``-``, ``+`` or ``{`` (a list) for front matter and fails the build: it gets ``---`` ``---``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

from convert.model import FrontMatter

READS = {"hugo": ("yaml", "toml", "json"), "jekyll": ("yaml",), "hexo": ("yaml", "json")}
_NAMES = {"hugo": "Hugo", "jekyll": "Jekyll", "hexo": "Hexo", "yaml": "YAML", "toml": "TOML", "json": "JSON"}
_HEXO_FENCE_LINE = re.compile(r"^(?:-{3,}|;{3,})", re.MULTILINE)
EMPTY_HEXO = "---\n{}\n---\n"


def site_language(profile: str, fm: FrontMatter | None, asked: str | None) -> tuple[str, str]:
    """The language and style (``---``, ``+++``, ``object``, ``hexo-json``) to write for ``profile``."""
    if asked is not None:
        kind = asked
    elif fm is None:
        kind = "yaml"
    elif profile == "jekyll":
        kind = "yaml"
    elif profile == "hexo":
        kind = "json" if fm.kind == "json" and _hexo_reads_json(fm) else "yaml"
    else:
        kind = fm.kind
    if kind == "json":
        return kind, "hexo-json" if profile == "hexo" else "object"
    return kind, "---" if kind == "yaml" else "+++"


def _hexo_reads_json(fm: FrontMatter) -> bool:
    """Hexo wraps its JSON in braces itself: members ended by ``;;;``, braces left out."""
    return fm.style in ("hexo-json", ";;;") and not fm.raw.lstrip().startswith("{")


def site_block(metadata: dict[str, object], fm: FrontMatter | None, profile: str, asked: str | None, body_lines: Callable[[], Iterable[str]], warn: Callable[[str], None]) -> str:
    """The front-matter block for ``profile`` (see the module docstring). ``body_lines`` gives
    the text that follows it (a part at a time, template code put back), asked for only when the
    generator may misread it."""
    from convert.front import render_front_matter

    kind, style = site_language(profile, fm, asked)
    if kind not in READS[profile]:
        warn(f"front matter: {_NAMES[profile]} does not read {_NAMES[kind]} front matter; written as asked (--front-matter)")
    if fm is not None and fm.kind != kind:
        fm = None  # another language: written anew
    elif fm is not None and kind == "json" and fm.style != style and not (style == "hexo-json" and _hexo_reads_json(fm)):
        fm = None  # written anew in the shape the generator reads
    elif fm is not None:
        fences = {"yaml": ("---", "---"), "toml": ("+++", "+++")}.get(kind, (fm.open_fence, "" if style == "object" else fm.close_fence))
        fm = dataclasses.replace(fm, open_fence=fences[0], close_fence=fences[1])
    if not metadata and profile == "hexo":
        return EMPTY_HEXO if any(_HEXO_FENCE_LINE.search(part) for part in body_lines()) else ""
    if not metadata and fm is None and profile == "hugo":
        # Hugo takes a file whose first character is "-", "+" or "{" for front matter, and fails
        # the build when it is none ("invalid YAML delimiter" for a list that opens the post).
        first = next((part for part in body_lines() if part.strip()), "")
        return "---\n---\n" if first.lstrip()[:1] in ("-", "+", "{") else ""
    if kind == "json" and style == "hexo-json" and fm is None:
        fm = FrontMatter(kind="json", style="hexo-json", raw="", close_fence=";;;")  # Hexo's shape
    return render_front_matter(metadata, fm, kind)
