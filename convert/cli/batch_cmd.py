"""``fmconvert batch``: a whole tree."""

from __future__ import annotations

import os
import sys

import click

from convert.cli.book import book_extra, book_options, make_book
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

EPILOG = """\b
Examples:
  fmconvert batch source/_posts -o out -t md          # mirror the tree as Markdown
  fmconvert batch posts -o site -t html --copy-assets # keep images beside the posts
  fmconvert batch posts -t jsonl --jsonl index.jsonl  # one JSON document per line
  fmconvert batch posts -t jsonl --jsonl - | jq -c .metadata.title
  fmconvert batch posts -t jsonl --jsonl - | jq -c 'select(.metadata.draft != true)' \
    | fmconvert batch - -o out -t md                  # a JSON Lines stream back into files

\b
A second run converts only what changed (a manifest in DEST records
input hashes and options); --force converts everything. Every output
is written to a temporary file and renamed: a run killed at any point
leaves no partial file, and the next run finishes the work.
"""


@click.command("batch", epilog=EPILOG)
@click.argument("src")
@click.option("-o", "--output", "dest", metavar="DEST", help="Destination folder (mirrors SRC); a URL such as s3://bucket/out/ too.")
@click.option("--scheduler", metavar="ADDRESS", help="Run on the Dask cluster at ADDRESS (tcp://host:8786), or on a local one of N worker processes (local:N). Needs fmconvert[dask].")
@click.option("-t", "--to", "to", required=True, metavar="FORMAT", help="Target format.")
@click.option("-f", "--from", "from_", default="auto", show_default=True, metavar="FORMAT", help="Source format.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only paths matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: number of cores).")
@click.option("--force", is_flag=True, help="Convert everything, changed or not.")
@click.option("--copy-assets", is_flag=True, help="Copy files that are not documents (images) too.")
@click.option("--jsonl", "jsonl_path", metavar="FILE", help="Write all documents as JSON Lines to FILE ('-': stdout).")
@click.option("--dry-run", is_flag=True, help="List what would be done, do nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
@document_options(batch=True)
@text_options
@profile_option
@click.option("--book", metavar="FILE", help="With -t epub: write one EPUB of all documents (one chapter each; see --order and --chapters).")
@book_options(batch=True)
@click.option("--media-layout", type=click.Choice(["shared", "post-folder", "bundle"]), default="shared", show_default=True, help="With --localize-images: one shared folder (DIR), a folder per post named after it (Hexo), or page bundles name/index.md (Hugo).")
def batch_command(
    src: str,
    dest: str | None,
    to: str,
    from_: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    jobs: int,
    force: bool,
    copy_assets: bool,
    jsonl_path: str | None,
    dry_run: bool,
    quiet: bool,
    strip: tuple[str, ...],
    encoding: str | None,
    no_repair: bool,
    book: str | None,
    scheduler: str | None,
    allow_private_hosts: bool,
    localize_images: str | None,
    strict: bool,
    offline: bool,
    media_layout: str,
    profile: str | None,
    **params: object,
) -> None:
    """Convert every document under SRC into DEST, mirroring the tree. SRC may also be a JSON
    Lines file, or '-' for a stream on stdin: each line becomes a file in DEST."""
    from convert.batch import BatchOptions, run_batch
    from convert.batch.model import Summary
    from convert.batch.storage import is_url, local_path
    from convert.config import Config
    from convert.registry import get_registry

    registry = get_registry()
    target = registry.canonical(to)
    if media_layout != "shared" and not localize_images:
        localize_images = os.path.join(dest or ".", "media")  # the folder is decided per post
    config = project_config(local_path(src)) if target in ("markdown", "html", "epub") or localize_images else Config()
    templates = template_settings(params, config, target)  # (a malformed tag table: exit 2 before any work)
    shared = {**(profile_settings(profile, config) if target in ("markdown", "html") else {}), **templates, **document_settings(params), **text_extra(params)}
    if localize_images:
        shared.update({"localize_images": os.path.abspath(localize_images), "strict": strict, "offline": offline, "media_layout": media_layout, "allow_private_hosts": allow_private_hosts, "fetch": fetch_settings(config)})
    if registry.formats[target].writer is None:
        raise click.UsageError(f"format {target!r} can be read but not written")
    writer = registry.formats[target].load("writer")

    if not is_url(src) and src != "-":
        src = local_path(src)
        if not os.path.exists(src):
            raise click.BadParameter(f"{src!r} does not exist", param_hint="'SRC'")
    stream_url = is_url(src) and _is_remote_file(src)  # a JSON Lines stream in object storage
    if src == "-" or stream_url or os.path.isfile(src):
        if src != "-" and not stream_url and not _looks_like_json_lines(src):
            raise click.UsageError(f"{src} is a file: batch takes a folder or a JSON Lines stream (for one document, use 'fmconvert convert')")
        _explode_stream(src, dest, target, writer, from_, strip, not no_repair, jobs, dry_run, quiet, shared)
        return
    if target == "epub":
        if not book:
            raise click.UsageError("-t epub makes one book of the whole tree: give --book FILE")
        make_book(src, book, {**book_extra(params, config), "allow_private_hosts": allow_private_hosts, "offline": offline}, from_, include, exclude, strip, encoding, quiet, config=config, repair=not no_repair, verbose=shared["verbose"])
        return
    if target == "jsonl" and not jsonl_path:
        jsonl_path = os.path.join(dest, "documents.jsonl") if dest else "-"
    if jsonl_path is None and not dest:
        raise click.UsageError("give -o DEST (or --jsonl FILE for JSON Lines)")
    if getattr(writer, "binary", False):
        raise click.UsageError(f"{target} output is binary: batch cannot mirror a tree in it")
    if dest and not is_url(dest) and not is_url(src):
        if os.path.realpath(dest) == os.path.realpath(src):
            raise click.UsageError("DEST must not be SRC itself (inputs would be overwritten)")
    extension = (writer.extensions or (f".{target}",))[0]
    if localize_images and media_layout == "bundle":
        extension = "/index" + extension  # post.html -> post/index.md
    options = BatchOptions(
        to="jsonl" if jsonl_path else target,
        from_=from_,
        include=include,
        exclude=exclude,
        jobs=jobs,
        force=force,
        copy_assets=copy_assets and not jsonl_path,
        dry_run=dry_run,
        strip=strip,
        encoding=encoding,
        repair=not no_repair,
        extension=extension,
        write_options=shared,
        scheduler=scheduler,
    )
    show_progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty()

    def failure(message: str) -> None:
        say(message)

    def warning(message: str) -> None:
        say(message, warning=True)

    def plan(action: str, what: str) -> None:
        click.echo(f"{action:<9} {what}")

    def run(stream: object) -> Summary:
        try:
            return run_batch(
                src,
                None if jsonl_path else dest,
                options,
                jsonl=stream,
                on_failure=failure,
                on_warning=warning,
                on_plan=plan,
                progress=show_progress,
            )
        except OSError as err:  # writing the JSON Lines stream (a full disk, a closed pipe)
            if isinstance(err, BrokenPipeError):
                raise
            raise os_error("cannot write", err, path=jsonl_path or "<stdout>") from None

    if jsonl_path and jsonl_path != "-":
        from convert.fsutil import atomic_writer

        try:
            os.makedirs(os.path.dirname(os.path.abspath(jsonl_path)), exist_ok=True)
            with atomic_writer(jsonl_path) as out:
                summary = run(out)
                if dry_run:
                    out.discard()
        except OSError as err:
            raise os_error("cannot write", err, path=jsonl_path) from None
    else:
        summary = run(sys.stdout.buffer if jsonl_path == "-" else None)
    if not quiet:
        click.echo(
            f"fmconvert: {summary.converted} converted, {summary.unchanged} unchanged, {summary.failed} failed"
            + (f", {summary.copied} copied" if summary.copied else "")
            + (f", {summary.images_missed} image{'s' if summary.images_missed != 1 else ''} not localized" if summary.images_missed else "")
            + (f", template code: {', '.join(f'{n} {kind}' for kind, n in summary.templates.items() if n)}" if any(summary.templates.values()) else "")
            + f" in {summary.seconds:.2f}s",
            err=True,
        )
    if summary.failed:
        sys.exit(1)


def _explode_stream(
    src: str,
    dest: str | None,
    target: str,
    writer: object,
    from_: str,
    strip: tuple[str, ...],
    repair: bool,
    jobs: int,
    dry_run: bool,
    quiet: bool,
    write_options: dict[str, object],
) -> None:
    """SRC is a JSON Lines stream: one output file per document."""
    from convert.batch import BatchOptions, run_stream
    from convert.batch.storage import is_url

    if from_ not in ("auto", "jsonl", "ndjson", "json-lines"):
        raise click.UsageError("a file or '-' as SRC is read as JSON Lines (one document per line); for one document use 'fmconvert convert'")
    if not dest:
        raise click.UsageError("give -o DEST: each document of the stream becomes a file there")
    if target in ("jsonl", "epub") or getattr(writer, "binary", False):
        raise click.UsageError(f"a stream can be written as files of a text format, not {target}")
    extension = (getattr(writer, "extensions", ()) or (f".{target}",))[0]
    options = BatchOptions(to=target, strip=strip, repair=repair, jobs=jobs, dry_run=dry_run, extension=extension, write_options=write_options)
    name = "<stdin>" if src == "-" else src
    progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty()
    if src == "-":
        summary = run_stream(sys.stdin.buffer, name, dest, options, on_failure=_echo_failure, on_plan=_echo_plan, progress=progress)
    elif is_url(src):  # a stream in object storage: read through fsspec, named by its URL
        from convert.batch.storage import filesystem

        fs, path = filesystem(src)
        with fs.open(path, "rb") as fh:
            summary = run_stream(fh, name, dest, options, on_failure=_echo_failure, on_plan=_echo_plan, progress=progress)
    else:
        with open(src, "rb") as fh:
            summary = run_stream(fh, name, dest, options, on_failure=_echo_failure, on_plan=_echo_plan, progress=progress)
    if not quiet:
        say(f"{summary.converted} converted, {summary.failed} failed in {summary.seconds:.2f}s")
    if summary.failed:
        sys.exit(1)


def _looks_like_json_lines(path: str) -> bool:
    if path.lower().endswith((".jsonl", ".ndjson")):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def _echo_failure(message: str) -> None:
    say(message)


def _echo_plan(action: str, what: str) -> None:
    click.echo(f"{action:<9} {what}")


def _is_remote_file(url: str) -> bool:
    from convert.batch.storage import filesystem

    fs, path = filesystem(url)
    try:
        return bool(fs.isfile(path))
    except Exception:
        return False

