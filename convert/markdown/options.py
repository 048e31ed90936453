"""What the Markdown writer is asked for: :class:`RenderOptions` (the renderer's modules, block,
inline, lists and raw HTML, read it; none of them imports another for it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from convert.profiles import Profile, get_profile

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.html.held import HeldCode


@dataclass
class RenderOptions:
    image_style: str = "auto"  # auto | markdown | html
    dropped: list[str] = field(default_factory=list)
    profile: Profile = field(default_factory=lambda: get_profile(None))
    restore: Callable[[str], str] = field(default=lambda text: text)  # puts template spans back
    held: HeldCode | None = None  # code held out of the tree (convert.html.held), for raw HTML
    discard: Callable[[HtmlElement], None] | None = None  # empties a block written for good
    template_target: str = "none"  # the engine whose template pass the site runs (convert.templates)
