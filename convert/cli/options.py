"""Options that several commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

TEXT_KEYS = ("text_width", "text_links", "text_images", "text_header", "with_text")


def text_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The plain-text writer's options (``-t text``), and ``--with-text`` for JSON output."""
    decorators = [
        click.option("--text-width", type=click.IntRange(min=0), default=0, metavar="N", help="Text: wrap lines at N columns (default 0: no wrapping; CJK text has no spaces to wrap at)."),
        click.option("--text-links", type=click.Choice(["ref", "inline", "none"]), default="ref", show_default=True, help="Text: links as numbered references listed at the end, inline URLs, or dropped."),
        click.option("--text-images", type=click.Choice(["alt", "none"]), default="alt", show_default=True, help="Text: images as their alt text, or dropped."),
        click.option("--text-header", is_flag=True, help="Text: the date and author under the title."),
        click.option("--with-text", is_flag=True, help="JSON and JSON Lines: add a 'text' field with the plain text (for search indexes)."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def text_extra(params: dict[str, Any]) -> dict[str, Any]:
    """The writer options of :func:`text_options`, taken out of a command's parameters."""
    return {key: params.pop(key) for key in TEXT_KEYS}
