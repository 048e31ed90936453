"""EPUB book options, shared by ``convert -t epub`` and ``batch -t epub --book``, and the book
a batch makes of a whole tree."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from convert.cli.options import fetch_settings
from convert.cli.say import say
from convert.errors import os_error

if TYPE_CHECKING:
    from convert.config import Config

BOOK_KEYS = ("title", "author", "language", "cover", "no_chapter_header", "no_download_images", "resource_root")
BATCH_KEYS = ("order", "chapters", "toc_by")


def book_options(batch: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options of an EPUB book; ``batch`` adds the chapter order and the table of contents."""
    which = "With --book" if batch else "EPUB"

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        decorators = [
            click.option("--title", help=f"{which}: the book's title (default: the post's title{'; for a tree, Collected posts in the book' + chr(39) + 's language' if batch else ''})."),
            click.option("--author", multiple=True, metavar="NAME", help=f"{which}: the book's author (repeatable; default: the authors of the posts)."),
            click.option("--language", metavar="TAG", help=f"{which}: the book's language, a BCP 47 tag such as en or zh-Hans (default: the front matter's, else detected)."),
            click.option("--cover", type=click.Path(dir_okay=False), metavar="FILE", help=f"{which}: the cover image (default: the image a front-matter field such as cover or thumbnail names{', for a one-post book' if batch else ''}; else one is generated from the title and author)."),
            click.option("--no-chapter-header", is_flag=True, help=f"{which}: no header (title, author, date, topics) at the top of each chapter."),
            click.option("--no-download-images", is_flag=True, help=f"{which}: do not download remote images (they become links)."),
            click.option("--resource-root", "resource_root", metavar="DIR", type=click.Path(file_okay=False), help=f"{which}: local images may come from DIR and below ('/'-rooted paths start there; default: {'SRC' if batch else 'the input' + chr(39) + 's folder'})."),
        ]
        if batch:
            decorators += [
                click.option("--order", type=click.Choice(["date", "name"]), default="date", show_default=True, help="With --book: chapters by date (oldest first, undated last) or by file name."),
                click.option("--chapters", metavar="FILE", type=click.Path(dir_okay=False), help="With --book: the chapters are the files FILE lists, one per line, in that order."),
                click.option("--toc-by", "toc_by", type=click.Choice(["none", "category", "month"]), default="none", show_default=True, help="With --book: nest the table of contents by first category, or by year and month."),
            ]
        for option in reversed(decorators):
            command = option(command)
        return command

    return decorate


def book_extra(params: dict[str, Any], config: Config) -> dict[str, Any]:
    """The writer options of :func:`book_options`, taken out of a command's parameters, with the
    configuration's ``[tool.fmconvert.epub]`` table (``cover-fields``)."""
    from convert.errors import ConvertError
    from convert.html.attrs import language_tag

    values = {key: params.pop(key) for key in BOOK_KEYS + BATCH_KEYS if key in params}
    language = values.get("language")
    if language is not None:
        tag = language_tag(language)
        if tag is None:
            raise click.UsageError(f"--language {language!r} is not a language tag (such as en, pt-BR or zh-Hans)")
        language = tag
    try:
        epub = config.section("epub")
    except ConvertError as err:
        raise click.UsageError(str(err)) from None
    fields = epub.get("cover-fields")
    if fields is not None and not (isinstance(fields, list) and all(isinstance(f, str) and f for f in fields)):
        raise click.UsageError("[tool.fmconvert.epub] cover-fields must be a list of front-matter keys")
    extra: dict[str, Any] = {
        "book_title": values.get("title"),
        "book_author": tuple(values.get("author") or ()),
        "book_language": language,
        "cover": values.get("cover"),
        "chapter_header": not values.get("no_chapter_header"),
        "no_download_images": values.get("no_download_images"),
        "resource_root": values.get("resource_root"),
        "order": "given" if values.get("chapters") else values.get("order", "date"),
        "chapters": values.get("chapters"),
        "toc_by": values.get("toc_by", "none"),
    }
    if fields is not None:
        extra["cover_fields"] = tuple(fields)
    return extra


def make_book(src: str, book: str, extra: dict[str, Any], from_: str, include: tuple[str, ...], exclude: tuple[str, ...], strip: tuple[str, ...], encoding: str | None, quiet: bool, *, config: Config, repair: bool = True, verbose: bool = False) -> None:
    """``batch -t epub --book FILE``: the documents of the tree (or those a chapter list names),
    one chapter each, in one EPUB written atomically."""
    import os

    from convert.api import apply_transforms, read_file
    from convert.batch import BatchOptions, walk
    from convert.batch.storage import is_url
    from convert.epub import build_book
    from convert.epub.order import read_chapter_list
    from convert.errors import ConvertError, display
    from convert.formats import WriteOptions
    from convert.fsutil import atomic_write

    if is_url(src):
        raise ConvertError(f"--book makes a book of a local folder; {src} is a URL (copy it here first)")
    failed = 0

    def problem(path: str, message: str, is_failure: bool) -> None:
        nonlocal failed
        say(f"{display(path)}: {message}", warning=not is_failure)
        failed += is_failure

    if extra.get("chapters"):
        paths = read_chapter_list(extra["chapters"])
        root = os.path.realpath(src)
        outside = next((p for p in paths if os.path.commonpath([p, root]) != root), None)
        if outside is not None:
            raise ConvertError(f"{display(outside)} is not under {display(src)}", path=extra["chapters"])
    else:
        options = BatchOptions(to="epub", include=include, exclude=exclude)
        paths = [full for full, _, is_doc in walk(src, None, options, problem) if is_doc]
    documents = []
    for full in paths:
        try:
            document = read_file(full, from_, encoding=encoding, repair=repair)
            document.hold_code = not strip  # selectors see the whole tree
            documents.append(apply_transforms(document, strip))
        except ConvertError as err:
            say(err)
            failed += 1
    if not documents:
        raise ConvertError(f"no document to put in the book under {display(src)}")
    extra = {**extra, "resource_root": extra.get("resource_root") or src, "fetch": fetch_settings(config)}
    write_options = WriteOptions(verbose=verbose, extra={**extra, "consume_body": True})  # the documents are ours alone
    data = build_book(documents, write_options)
    for warning in write_options.warnings:
        say(warning, warning=True)
    try:
        atomic_write(book, data)
    except OSError as err:
        raise os_error("cannot write", err, path=book) from None
    if not quiet:
        say(f"{len(documents)} chapter{'s' if len(documents) != 1 else ''} in {display(book)}, {failed} failed")
    if failed:
        sys.exit(1)
