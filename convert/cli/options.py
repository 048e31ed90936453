"""Options that several commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from convert.profiles import PROFILES

if TYPE_CHECKING:
    from convert.config import Config

TEXT_KEYS = ("text_width", "text_links", "text_images", "text_header", "with_text")


def document_options(batch: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options of one document's conversion, declared once: ``convert`` applies them to its
    document, ``batch`` to every document of the tree (and records them in its manifest, so
    that changing one converts everything again)."""
    posts = "each post's" if batch else "the post's"

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        decorators = [
            click.option("--encoding", metavar="ENC", help=f"Force {'the inputs' + chr(39) if batch else 'the input' + chr(39) + 's'} encoding (default: BOM, UTF-8, declared, detected)."),
            click.option("--strip", "strip", multiple=True, metavar="SELECTOR", help="Drop elements matching a CSS selector or XPath (repeatable)."),
            click.option("--front-matter", "front_matter", type=click.Choice(["keep", "yaml", "toml", "json"]), default=None, help=f"Front-matter language of the output (default: keep {posts}; plain text has none unless asked)."),
            click.option("--newline", type=click.Choice(["keep", "lf", "crlf"]), default="keep", show_default=True, help=f"Line ends of the output (keep: {posts})."),
            click.option("--no-repair", is_flag=True, help="Do not escape '<' that opens an unknown tag (lost escapes)."),
            click.option("--image-style", type=click.Choice(["auto", "markdown", "html"]), default="auto", show_default=True, help="Markdown: images as ![]() or <img>; auto keeps <img> when Markdown would lose attributes."),
            click.option("--verify", is_flag=True, help=f"Markdown: read {'each' if batch else 'the'} output back; {'a document that would lose text, a link or an image fails' if batch else 'fail, writing nothing, if any text, link or image would be lost'}."),
            click.option("--localize-images", "--extract-media", "localize_images", metavar="DIR", help="Download the posts' remote images into DIR (one file per distinct image, named by content) and point every post at them." if batch else "Download the post's remote images (and data: URIs, front-matter image fields) into DIR and point to them, for every format."),
            click.option("--strict", is_flag=True, help=f"With --localize-images: an image that cannot be had {'fails its post' if batch else 'is an error, not a warning'}."),
            click.option("--offline", is_flag=True, help="Images come from the disk cache only (--localize-images, EPUB); nothing is fetched."),
            click.option("--allow-private-hosts", is_flag=True, help="Images may be fetched from loopback, private and link-local addresses (refused by default)."),
            click.option("-v", "--verbose", is_flag=True, help="Report what the writer dropped or changed" + (" (in the documents this run converts)." if batch else ".")),
            click.option(
                "--source-engine",
                type=click.Choice(["auto", "none", "hexo", "jekyll", "hugo", "wordpress"]),
                default="auto",
                show_default=True,
                help=f"Markdown, HTML: the engine {posts} template code is written for (none: all of it is text, as published); auto reads the post.",
            ),
            click.option(
                "--unknown-tags",
                type=click.Choice(["text", "keep", "html-comment", "fail"]),
                default="text",
                show_default=True,
                help="Markdown, HTML: template code with no equivalent for the target: shown as written, kept live, made an HTML comment, or an error.",
            ),
            click.option("--tags", "tags_file", metavar="FILE.toml", help="Markdown, HTML: more tag translations (tables as in [tool.fmconvert.tags]) over the built-in table."),
        ]
        for option in reversed(decorators):
            command = option(command)
        return command

    return decorate


def template_settings(params: dict[str, Any], config: Config, target: str) -> dict[str, Any]:
    """The template-code settings of :func:`document_options` (for Markdown and HTML output),
    taken out of a command's parameters: the source engine, the policy for unknown tags, and
    the tag tables (``--tags`` and ``[tool.fmconvert.tags]`` of ``config``, the command's
    :func:`project_config`), read now so that a malformed one is a usage error naming its file
    and line (:class:`convert.templates.load.TableError`)."""
    import hashlib
    import os

    source, unknown, tags_file = params.pop("source_engine"), params.pop("unknown_tags"), params.pop("tags_file")
    if target not in ("markdown", "html"):
        return {}
    from convert.templates.load import table_for

    sources: list[str] = []
    if config.path is not None and "tags" in config.table:
        sources.append("config:" + os.path.abspath(config.path))
    if tags_file:
        sources.append(os.path.abspath(tags_file))
    settings: dict[str, Any] = {"source_engine": source, "unknown_tags": unknown}
    if sources:
        from convert.templates.load import table_for

        table_for(tuple(sources))  # read now: a table that cannot be used stops the run here
        digest = hashlib.sha256()
        for item in sources:
            with open(item.removeprefix("config:"), "rb") as fh:
                digest.update(fh.read())
        settings.update({"tag_tables": sources, "tag_tables_digest": digest.hexdigest()})  # (a changed table converts again)
    return settings


def document_settings(params: dict[str, Any]) -> dict[str, Any]:
    """The writer settings of :func:`document_options` that every format takes, taken out of a
    command's parameters: one flat dict, made into each document's
    :class:`~convert.formats.WriteOptions` by ``WriteOptions.from_settings``."""
    front_matter = params.pop("front_matter")
    return {
        "newline": params.pop("newline"),
        "front_matter": None if front_matter in (None, "keep") else front_matter,
        "front_matter_given": front_matter is not None,
        "verbose": params.pop("verbose"),
        "image_style": params.pop("image_style"),
        "verify": params.pop("verify"),
    }


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
        type=click.Choice(list(PROFILES)),
        default=None,
        help="The engine the output is published with: its Markdown, typography and front-matter conventions (default: [tool.fmconvert] profile, else gfm).",
    )(command)


def project_config(near: str) -> Config:
    """The configuration for a command's input (:func:`convert.config.config_near`), read once
    per command and passed to every option that needs it; one that cannot be read is a usage
    error naming the file."""
    from convert.config import config_near
    from convert.errors import ConvertError

    try:
        return config_near(near)
    except ConvertError as err:
        raise click.UsageError(str(err)) from None


def profile_settings(profile: str | None, config: Config) -> dict[str, Any]:
    """The writer options of a profile: ``--profile`` or the configuration's, and the
    configuration's front-matter table and time zone."""
    table = config.table
    chosen = profile or table.get("profile")
    if chosen is not None and chosen not in PROFILES:
        raise click.UsageError(f"[tool.fmconvert] profile = {chosen!r} is not one of {', '.join(PROFILES)}")
    settings: dict[str, Any] = {"profile": chosen or "gfm"}
    if chosen and ("front-matter" in table or "timezone" in table):
        settings["profile_config"] = {k: table[k] for k in ("front-matter", "timezone") if k in table}
    return settings


def fetch_settings(config: Config) -> dict[str, Any]:
    """``[tool.fmconvert.fetch]`` of the configuration: a malformed one is a usage error naming
    the file."""
    from convert.errors import ConvertError

    try:
        return config.section("fetch")
    except ConvertError as err:
        raise click.UsageError(str(err)) from None
