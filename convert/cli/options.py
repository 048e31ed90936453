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


def profile_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--profile",
        type=click.Choice(["gfm", "commonmark", "hexo", "hugo", "jekyll"]),
        default=None,
        help="The engine the output is published with: its Markdown, typography and front-matter conventions (default: [tool.fmconvert] profile, else gfm).",
    )(command)


def profile_settings(profile: str | None, near: str) -> dict[str, Any]:
    """The writer options of a profile: ``--profile`` or the configuration's, and the
    configuration's front-matter table and time zone."""
    import os

    from convert.config import find_config, load_tool_table
    from convert.errors import ConvertError

    try:
        table, _ = load_tool_table(find_config(near if near != "-" and os.path.exists(near) else os.getcwd()))
    except ConvertError as err:
        raise click.UsageError(str(err)) from None
    chosen = profile or table.get("profile")
    if chosen is not None and chosen not in ("gfm", "commonmark", "hexo", "hugo", "jekyll"):
        raise click.UsageError(f"[tool.fmconvert] profile = {chosen!r} is not one of gfm, commonmark, hexo, hugo, jekyll")
    settings: dict[str, Any] = {"profile": chosen or "gfm"}
    if chosen and ("front-matter" in table or "timezone" in table):
        settings["profile_config"] = {k: table[k] for k in ("front-matter", "timezone") if k in table}
    return settings
