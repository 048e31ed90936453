"""``fmconvert convert``: one document, file or pipe."""

from __future__ import annotations

import sys

import click

from convert.cli.book import book_extra, book_options
from convert.cli.options import (
    document_options,
    document_settings,
    fetch_settings,
    profile_option,
    profile_settings,
    project_config,
    template_settings,
    text_extra,
    text_options,
)
from convert.cli.say import say
from convert.errors import os_error

HELP_EPILOG = """\b
Examples:
  fmconvert convert post.html -t md                 # to stdout
  fmconvert convert post.md -o post.json            # format from the extension
  cat post.html | fmconvert convert -t json | jq .metadata.title
  fmconvert convert - -f json -t html < post.json   # '-' is stdin
  fmconvert convert post.html -t md --strip '.copyright' --strip '//div[@class="reward"]'

\b
Formats are sniffed from the content when --from is not given: a .md
post whose body is HTML is read as HTML. Nothing is written when the
conversion fails; an existing output file is left as it was.
"""


def _read_input(source: str) -> tuple[bytes, str | None]:
    if source == "-":
        return sys.stdin.buffer.read(), None
    try:
        with open(source, "rb") as fh:
            return fh.read(), source
    except IsADirectoryError:
        raise click.BadParameter(f"{source} is a directory (use 'fmconvert batch' for trees)", param_hint="INPUT") from None
    except FileNotFoundError:
        raise click.BadParameter(f"{source}: no such file", param_hint="INPUT") from None
    except OSError as err:
        raise os_error("cannot read", err, path=source) from None


@click.command("convert", epilog=HELP_EPILOG)
@click.argument("input", default="-", metavar="[INPUT]")
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file ('-' or none: stdout).")
@click.option("-t", "--to", "to", metavar="FORMAT", help="Target format (default: from -o's extension).")
@click.option("-f", "--from", "from_", default="auto", metavar="FORMAT", show_default=True, help="Source format.")
@document_options(batch=False)
@book_options(batch=False)
@text_options
@profile_option
def convert_command(
    input: str,
    output: str,
    to: str | None,
    from_: str,
    encoding: str | None,
    strip: tuple[str, ...],
    no_repair: bool,
    localize_images: str | None,
    strict: bool,
    offline: bool,
    allow_private_hosts: bool,
    profile: str | None,
    **params: object,
) -> None:
    """Convert INPUT (a file, or '-' for stdin, the default) to another format."""
    from convert.api import apply_transforms, attach_templates, read, write
    from convert.config import Config
    from convert.formats import WriteOptions
    from convert.registry import get_registry

    registry = get_registry()
    if to is None:
        to = registry.for_extension(output) if output != "-" else None
        if to is None:
            raise click.UsageError("no target format: give -t FORMAT, or -o FILE with a known extension (see 'fmconvert formats')")
    target = registry.canonical(to)
    if from_ != "auto":
        registry.canonical(from_)
    writer_info = registry.formats[target]
    if writer_info.writer is None:
        raise click.UsageError(f"format {target!r} can be read but not written")
    writer_cls = writer_info.load("writer")
    if getattr(writer_cls, "binary", False) and output == "-" and sys.stdout.isatty():
        raise click.UsageError(f"{target} output is binary: give -o FILE instead of writing to a terminal")

    config = project_config(input) if target in ("markdown", "html", "epub") or localize_images else Config()
    templates = template_settings(params, config, target)  # (a malformed tag table: exit 2 before reading)
    data, path = _read_input(input)
    document = read(data, from_, path=path, encoding=encoding, repair=not no_repair)
    del data
    profiled = profile_settings(profile, config) if target in ("markdown", "html") else {}
    attach_templates(target, document, {**profiled, **templates})  # before --strip parses the body
    apply_transforms(document, strip)
    settings = document_settings(params)
    options = WriteOptions.from_settings(
        {**settings, "localize_images": localize_images, "strict": strict, "offline": offline, "allow_private_hosts": allow_private_hosts, "consume_body": True, **text_extra(params)},
        path=None if output == "-" else output,
    )
    book = book_extra(params, config) if target == "epub" else {}
    options.extra.update(book)
    options.extra.update(profiled)
    options.extra.update(templates)
    if target == "epub" or localize_images:
        options.extra["fetch"] = fetch_settings(config)
    result = write(document, target, options=options)
    for warning in options.warnings:
        say(f"{document.source.display_path}: {warning}", warning=True)
    if output == "-":
        sys.stdout.buffer.write(result)
        sys.stdout.buffer.flush()
    else:
        from convert.fsutil import atomic_write  # start-up: (its signal module) only when writing a file

        try:
            atomic_write(output, result)
        except OSError as err:
            raise os_error("cannot write", err, path=output) from None
