"""What the Markdown writer is asked for: :class:`RenderOptions` (the renderer's modules, block,
inline, lists and raw HTML, read it; none of them imports another for it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from convert.profiles import Profile, get_profile

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from convert.html.held import HeldCode


def _as_written(text: str) -> str:
    return text


class RenderOptions:
    """(A plain class, not a dataclass: see :class:`convert.model.Record`.)"""

    def __init__(
        self,
        image_style: str = "auto",
        dropped: list[str] | None = None,
        profile: Profile | None = None,
        restore: Callable[[str], str] = _as_written,
        held: HeldCode | None = None,
        discard: Callable[[HtmlElement], None] | None = None,
        template_target: str = "none",
    ) -> None:
        self.image_style = image_style  # auto | markdown | html
        self.dropped: list[str] = [] if dropped is None else dropped
        self.profile = get_profile(None) if profile is None else profile
        self.restore = restore  # puts template spans back
        self.held = held  # code held out of the tree (convert.html.held), for raw HTML
        self.discard = discard  # empties a block written for good
        self.template_target = template_target  # the engine whose template pass the site runs (convert.templates)
