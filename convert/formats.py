"""The reader and writer interfaces, for built-in formats and plugins alike.

A plugin package adds a format by defining a subclass of :class:`Reader` and/or :class:`Writer`
and naming it in its ``pyproject.toml``::

    [project.entry-points."fmconvert.writers"]
    rst = "fmconvert_rst:RstWriter"

Readers turn bytes into a :class:`~convert.model.Document`; writers turn a document into bytes.
Both get an options object; options a format does not know are ignored, so one command line can
drive any pair of formats. Raise :class:`~convert.errors.ConvertError` for bad input.

Writers of text formats share :func:`encode_text`, :func:`encode_lines` (line ends, a large text
a part at a time) and :func:`front_matter_and_body` (the front-matter block, then the body).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from convert.model import Document


@dataclass
class ReadOptions:
    """Options for readers.

    ``path`` names the input in messages and resolves relative references; ``encoding`` forces a
    text encoding; ``repair`` escapes lost ``<`` (see :mod:`convert.html`).
    """

    path: str | None = None
    encoding: str | None = None
    repair: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class WriteOptions:
    """Options for writers.

    ``newline``: ``keep`` (the input's line ends), ``lf`` or ``crlf``. ``front_matter``: the
    front-matter language to write (``yaml``/``toml``/``json``), None to keep the input's.
    ``path``: where the output goes, when it is a file (writers that produce side files, such as
    localized images, put them beside it). ``extra``: format-specific options by name.
    """

    newline: str = "keep"
    front_matter: str | None = None
    path: str | None = None
    verbose: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: dict[str, Any], path: str | None = None) -> WriteOptions:
        """Options from one flat dict of settings, as a command gathers them and a batch job
        carries them to its workers: ``newline``, ``front_matter`` and ``verbose`` are fields,
        the rest are ``extra``."""
        extra = dict(settings)
        return cls(
            newline=extra.pop("newline", "keep"),
            front_matter=extra.pop("front_matter", None),
            verbose=bool(extra.pop("verbose", False)),
            path=path,
            extra=extra,
        )

    def warn(self, message: str) -> None:
        """Record a warning for the user (the CLI prints them on stderr)."""
        self.warnings.append(message)


class Reader:
    """Base class of readers. Subclasses set the class attributes and implement :meth:`read`."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    def read(self, data: bytes, options: ReadOptions) -> Document:
        raise NotImplementedError


class Writer:
    """Base class of writers. ``binary`` writers (EPUB) must not be sent to a terminal."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    binary: ClassVar[bool] = False

    def write(self, document: Document, options: WriteOptions) -> bytes:
        raise NotImplementedError


# The built-in formats that are both read and written, declared once: the reader and the writer
# of each take its name, aliases, extensions and description from here (class HtmlReader(HtmlFormat,
# Reader)), so the registry cannot know a name or an extension for one and not the other.


class HtmlFormat:
    name: ClassVar[str] = "html"
    aliases: ClassVar[tuple[str, ...]] = ("htm", "front-matter-html")
    extensions: ClassVar[tuple[str, ...]] = (".html", ".htm")
    description: ClassVar[str] = "front-matter HTML (Hexo, Jekyll, Hugo posts; RSS-to-blog output)"


class MarkdownFormat:
    name: ClassVar[str] = "markdown"
    aliases: ClassVar[tuple[str, ...]] = ("md", "commonmark", "gfm")
    extensions: ClassVar[tuple[str, ...]] = (".md", ".markdown")
    description: ClassVar[str] = "Markdown (CommonMark + GFM tables and strikethrough) with the same front matter"


class JsonFormat:
    name: ClassVar[str] = "json"
    extensions: ClassVar[tuple[str, ...]] = (".json",)
    description: ClassVar[str] = "JSON: metadata with types kept, body as HTML, source (schema: fmconvert/document/1)"


class JsonLinesFormat:
    name: ClassVar[str] = "jsonl"
    aliases: ClassVar[tuple[str, ...]] = ("ndjson", "json-lines")
    extensions: ClassVar[tuple[str, ...]] = (".jsonl", ".ndjson")
    description: ClassVar[str] = "JSON Lines: one compact JSON document per line, for streams and indexes"


class XhtmlFormat:
    name: ClassVar[str] = "xhtml"
    extensions: ClassVar[tuple[str, ...]] = (".xhtml",)
    description: ClassVar[str] = "EPUB-ready XHTML5 content document (metadata carried in <head>)"


def encode_text(text: str, document: Document, options: WriteOptions) -> bytes:
    """``text`` as UTF-8 with the line ends the options ask for (:func:`apply_newline`), changed
    in the bytes: a large text is never copied as text."""
    data = text.encode("utf-8")
    return _crlf(data) if apply_newline("\n", document, options) == "\r\n" else data


def _crlf(data: bytes) -> bytes:
    """UTF-8 text with every line end (CRLF, LF) made CRLF."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def encode_lines(lines: list[str], document: Document, options: WriteOptions, prefix: bytes = b"", restore: Callable[[str], str] | None = None) -> bytes:
    """``prefix``, then ``lines`` joined by line ends, as UTF-8 (as :func:`encode_text` would
    encode the joined text, ``restore`` applied to it). Encoded a part at a time and emptied as it
    goes: a large text never exists whole as text beside its bytes."""
    import io

    crlf = apply_newline("\n", document, options) == "\r\n"
    # One buffer grown in place (a large one by mremap, never copied) and handed over as it is:
    # the bytes are never in parts and joined at the same time (that was twice the output).
    out = io.BytesIO()
    out.write(prefix)
    start = 0
    while start < len(lines):
        end = start
        size = 0
        while end < len(lines) and size < _ENCODE_PART:
            size += len(lines[end]) + 1
            end += 1
        text = "\n".join(lines[start:end])
        lines[start:end] = [""] * (end - start)  # the text of these lines is in ``text`` now
        if restore is not None:
            text = restore(text)  # a placeholder is within one line
        data = (text + "\n" if end < len(lines) else text).encode("utf-8")
        del text
        out.write(_crlf(data) if crlf else data)
        del data
        start = end
    lines.clear()
    return out.getvalue()


_ENCODE_PART = 1 << 16  # characters of text encoded at once by encode_lines


def apply_newline(text: str, document: Document, options: WriteOptions) -> str:
    """Restore the line ends the options ask for (text writers call this last)."""
    newline = options.newline
    if newline == "keep":
        newline = "crlf" if document.source.newline == "\r\n" else "lf"
    if newline == "crlf":
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def front_matter_and_body(document: Document, options: WriteOptions, body: str | list[str], fmt: str, *, separator: str = "", restore: Callable[[str], str] | None = None) -> bytes:
    """Assemble a front-matter document: the block, ``separator``, the body, the line ends and
    BOM of the input when writing a front-matter format (HTML, Markdown) back. The body is
    encoded on its own: a large body is never copied as text. A body given as lines (to be
    joined by line ends, template spans still to be put back by ``restore``) is encoded a part
    at a time and the list emptied."""
    from convert.front import render_front_matter

    source = document.source
    metadata = document.metadata
    site = options.extra.get("profile") if fmt in ("markdown", "html") else None
    if site in ("hugo", "jekyll", "hexo"):
        # The front matter the site generator reads (convert.profiles.blocks), its fields in
        # the generator's conventions (convert.profiles.frontmatter).
        from convert.profiles.blocks import site_block
        from convert.profiles.frontmatter import map_front_matter

        metadata = map_front_matter(metadata, site, options.extra.get("profile_config"), options.warn)
        parts = [body] if isinstance(body, str) else body  # (the same list: no copy)
        shown = restore or document.restore_templates  # lines may still hold template placeholders
        block = site_block(metadata, source.frontmatter, site, options.front_matter, lambda: (shown(part) for part in parts), options.warn)
        del parts
        separator = separator if block else ""
    else:
        block = render_front_matter(metadata, source.frontmatter, options.front_matter)
    # The file's own blank lines before the block and BOM stay between the front-matter formats
    # (HTML and Markdown): else a Markdown page with a BOM kept it through -t md and lost it
    # through HTML, and md -> html -> md was not the same file. Jekyll reads the block from the
    # first byte only.
    same_format = source.format == fmt or {source.format, fmt} <= {"html", "markdown"}
    leading = source.leading if same_format and block and site != "jekyll" else ""
    if not block and site != "hexo" and _looks_like_front_matter(body, restore or document.restore_templates):
        block = "---\n---\n"  # an empty block, so the body is not read back as front matter
    prefix = (b"\xef\xbb\xbf" if same_format and source.bom else b"") + encode_text(leading + block + separator, document, options)
    if isinstance(body, list):
        return encode_lines(body, document, options, prefix, restore or document.restore_templates)
    data = encode_text(body, document, options)
    del body
    return prefix + data if prefix else data


def _looks_like_front_matter(body: str | list[str], restore: Callable[[str], str]) -> bool:
    import re

    from convert.errors import ConvertError
    from convert.front.split import split_front_matter

    head = body if isinstance(body, str) else "\n".join(body[:100])
    if not re.match(r"\s*[-+;{\"]", restore(head) if head is not body else head):  # no copy of a large body
        return False
    if isinstance(body, list):
        body = restore("\n".join(body))  # rare: a body that opens like a fence
    try:
        return split_front_matter(body).kind is not None
    except ConvertError:
        return True
