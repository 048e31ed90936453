"""The library interface: read, write, convert.

:func:`convert_bytes` is the pure per-document function (bytes and options in, bytes out) that the
CLI, the batch driver and any distributed engine map over documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from convert.errors import ConvertError, FormatError, LimitError, os_error
from convert.formats import ReadOptions, WriteOptions
from convert.model import Document
from convert.registry import get_registry

#: Inputs larger than this are refused before any parsing (see the README's limits section).
MAX_INPUT_BYTES = 256 * 1024 * 1024


def detect_format(data: bytes, path: str | None = None) -> str:
    """The reader name ``--from auto`` picks for ``data`` (see :mod:`convert.sniff`)."""
    from convert.sniff import sniff

    registry = get_registry()
    ext = registry.for_extension(path) if path else None
    if ext is not None and registry.formats[ext].reader is None:
        ext = None  # a .txt file is not read as plain text (that format is only written)
    available = {name for name, info in registry.formats.items() if info.reader is not None}
    return sniff(data, path, available, ext)


def read(
    data: bytes | str,
    format: str = "auto",
    *,
    path: str | None = None,
    encoding: str | None = None,
    repair: bool = True,
    **extra: Any,
) -> Document:
    """Read a document from bytes (or text). ``format='auto'`` sniffs the content."""
    if isinstance(data, str):
        data = data.encode("utf-8")
        encoding = encoding or "utf-8"
    if len(data) > MAX_INPUT_BYTES:
        raise ConvertError(
            f"input is {len(data) / 2**20:.0f} MiB, over the {MAX_INPUT_BYTES // 2**20} MiB limit",
            path=path or "<stdin>",
        )
    registry = get_registry()
    name = detect_format(data, path) if format in ("auto", "", None) else registry.canonical(format)
    if registry.formats[name].reader is None:
        raise FormatError(f"format {name!r} can be written but not read", path=path)
    reader = registry.reader(name)
    options = ReadOptions(path=path, encoding=encoding, repair=repair, extra=extra)
    from convert.limits import checked_values, is_int_limit_error

    try:
        document = reader.read(data, options)
        checked_values(document.metadata)  # YAML and TOML read what JSON cannot write
    except RecursionError:
        raise LimitError("nested too deeply to read; refused", path=path or "<stdin>") from None
    except ConvertError as err:
        raise err.with_location(path or "<stdin>") from None
    except ValueError as err:
        if not is_int_limit_error(err):
            raise
        raise LimitError("an integer of more than 4,300 digits; refused", path=path or "<stdin>") from None
    return document  # type: ignore[no-any-return]


def read_file(path: str | os.PathLike[str], format: str = "auto", **kwargs: Any) -> Document:
    """Read a document from a file."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise os_error("cannot read", err, path=name) from None
    return read(data, format, path=name, **kwargs)


def write(document: Document, format: str, *, options: WriteOptions | None = None, **extra: Any) -> bytes:
    """Write a document in ``format``. Extra keyword arguments become format options."""
    registry = get_registry()
    name = registry.canonical(format)
    if registry.formats[name].writer is None:
        raise FormatError(f"format {name!r} can be read but not written")
    writer = registry.writer(name)
    if options is None:
        options = WriteOptions(extra=extra)
    elif extra:
        options.extra.update(extra)
    from convert.limits import deep_recursion

    asked = document.hold_code
    document.hold_code = True  # a tree the writer builds holds highlighted code out (convert.html.held)
    try:
        attach_templates(name, document, options.extra)  # (before localizing parses the body)
        with deep_recursion():
            folder = options.extra.get("localize_images")
            if folder and name != "epub":  # a book holds its images itself
                from convert.transforms.localize import localize

                localize(document, folder, options)
            return writer.write(document, options)  # type: ignore[no-any-return]
    except ConvertError as err:
        raise err.with_location(document.source.display_path) from None
    except RecursionError:
        raise LimitError("nested too deeply to write; refused", path=document.source.display_path) from None
    finally:
        document.hold_code = asked  # a tree built later, by the caller, is whole


def attach_templates(to: str, document: Document, settings: dict[str, Any]) -> None:
    """Give ``document`` the template-code pass its writer will want (Markdown; HTML for a site
    generator's profile or from Markdown; see :mod:`convert.templates`), before anything parses
    its body (``--strip``, localizing images)."""
    from convert.templates import wants_pass

    if wants_pass(to, document, settings):
        from convert.templates import attach

        attach(document, settings)


def apply_transforms(document: Document, strip: Sequence[str] = ()) -> Document:
    """Transforms every conversion may ask for: dropping boilerplate by selector."""
    if strip:
        from convert.transforms.strip import strip_selectors

        strip_selectors(document, strip)
    return document


def convert_bytes(
    data: bytes,
    to: str,
    *,
    from_: str = "auto",
    path: str | None = None,
    encoding: str | None = None,
    strip: Iterable[str] = (),
    options: WriteOptions | None = None,
    repair: bool = True,
) -> bytes:
    """Convert one document: bytes in, bytes out. Pure apart from what writers are asked to do
    beside the output (such as downloading images into a folder)."""
    document = read(data, from_, path=path, encoding=encoding, repair=repair)
    del data
    options = options or WriteOptions()
    attach_templates(get_registry().canonical(to), document, options.extra)
    apply_transforms(document, tuple(strip))
    options.extra.setdefault("consume_body", True)  # the document is ours alone: writers may empty it
    return write(document, to, options=options)
