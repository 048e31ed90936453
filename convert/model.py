"""The document model at the centre of fmconvert.

Readers turn bytes into a :class:`Document`; writers turn a :class:`Document` into bytes; lint
rules and transforms look at it. Nothing talks format to format.

A document is

* ``metadata``: an ordered ``dict`` whose values keep their Python types (a YAML timestamp is a
  ``datetime``, ``'2020'`` stays a ``str``);
* ``body``: an lxml tree. The container element (``<body>``) is not content: its ``text`` and
  children are. The tree is built lazily: a reader hands over the body's markup and the tree is
  parsed the first time someone asks for it, so conversions that never look inside the body
  (HTML to JSON and back) carry the markup through untouched and fast. Writers (never lint) ask
  for highlighted code to be held out of the tree (``hold_code``, :mod:`convert.html.held`):
  the tree then has each such block's text, and :meth:`Document.body_html` still gives the
  markup with every span;
* ``source``: where it came from: path, format, encoding, the front-matter block as written and
  the line where the body starts (so lint findings carry the file's own line numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.html import HtmlElement

    from convert.html.held import HeldCode

#: The front-matter fields that name a post's images (a URL or path, or a list of them), in the
#: order a book prefers them for its cover. The one list: localize downloads them, lint checks
#: them, the EPUB cover is the first one set, Hugo's ``images`` collects them.
IMAGE_FIELDS: tuple[str, ...] = ("cover", "cover_image", "headimg", "thumbnail", "image", "images", "banner", "featured_image", "og_image", "hero")


class Record:
    """A plain record: equal to another of its class whose attributes are equal, and shown with
    them. The records every command builds are plain classes: a dataclass costs a millisecond
    to define (its methods are generated and compiled), and a command starts often."""

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq=True

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes`` (as :func:`dataclasses.replace` makes one)."""
        copy = object.__new__(type(self))
        vars(copy).update(vars(self), **changes)
        return copy


class FrontMatter(Record):
    """The front-matter block exactly as it was written.

    ``kind`` is ``yaml``, ``toml`` or ``json``; ``style`` tells how the block was fenced:
    ``---`` / ``+++`` / ``;;;`` fences, ``object`` (a leading JSON ``{...}``) or ``hexo-json``
    (JSON members ended by a ``;;;`` line). ``raw`` is the text between the fences with ``\\n``
    line ends; ``open_fence``/``close_fence`` the fence lines as written. ``line`` is the 1-based
    file line of the first line of ``raw``. ``original`` is the metadata as parsed, used to tell
    whether the metadata was changed (then the block is rewritten, else reproduced verbatim).
    """

    def __init__(
        self,
        kind: str,
        style: str,
        raw: str,
        open_fence: str = "",
        close_fence: str = "",
        line: int = 1,
        original: dict[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.style = style
        self.raw = raw
        self.open_fence = open_fence
        self.close_fence = close_fence
        self.line = line
        self.original: dict[str, Any] = {} if original is None else original

    def block(self) -> str:
        """The whole block, fences included, with ``\\n`` line ends and a final newline."""
        parts = []
        if self.open_fence:
            parts.append(self.open_fence + "\n")
        parts.append(self.raw)
        if self.close_fence or self.style == "object":
            parts.append(self.close_fence + "\n")
        return "".join(parts)


class Source(Record):
    """Where a document came from and how it was laid out."""

    def __init__(
        self,
        path: str | None = None,
        format: str | None = None,
        encoding: str = "utf-8",
        frontmatter: FrontMatter | None = None,
        body_line: int = 1,
        newline: str = "\n",
        bom: bool = False,
        leading: str = "",
    ) -> None:
        self.path = path
        self.format = format
        self.encoding = encoding
        self.frontmatter = frontmatter
        self.body_line = body_line
        self.newline = newline
        self.bom = bom
        self.leading = leading

    @property
    def display_path(self) -> str:
        """The path as printable UTF-8 text (a file name that is not UTF-8 shows ``\\xNN``)."""
        from convert.errors import display

        return display(self.path) if self.path else "<stdin>"


_TRIM_EVERY = 1024  # discarded elements between two returns of free memory


class Document:
    """Metadata, body and source. See the module docstring."""

    __slots__ = (
        "_body",
        "_body_html",
        "_discarded",
        "_last_discarded",
        "_parsed_size",
        "_repair",
        "held",
        "hold_code",
        "metadata",
        "render_markup",
        "source",
        "template_pass",
        "template_plan",
        "templates",
        "templates_ready",
    )

    def __init__(
        self,
        metadata: dict[str, Any] | None = None,
        body: HtmlElement | None = None,
        source: Source | None = None,
        *,
        body_html: str | None = None,
        repair: bool = True,
    ) -> None:
        self.metadata: dict[str, Any] = dict(metadata) if metadata is not None else {}
        self.source: Source = source if source is not None else Source()
        self._body = body
        self._body_html = body_html if body is None else None
        self._repair = repair
        self._parsed_size = 0  # bytes of markup the tree was built from
        self._discarded = 0  # elements emptied by discard()
        self._last_discarded: HtmlElement | None = None  # the one emptied last, still in place
        self.templates: list[str] = []  # template spans held out of the tree (convert.html.templates)
        #: set by a writer before the tree is built: the pass over the markup that holds template
        #: code out (convert.templates.translate.prepare); without one, every span is held
        self.template_pass: Callable[[str], tuple[str, list[str]]] | None = None
        self.template_plan: Any = None  # what that pass was told, and its report
        self.templates_ready = False  # the spans are held out already (the pass ran)
        #: set by a reader whose markup is not HTML (Markdown): renders it, after the template pass
        self.render_markup: Callable[[str], str] | None = None
        #: set by writers before the tree is built: hold highlighted code out of it
        #: (:mod:`convert.html.held`); ``held`` then has what was held
        self.hold_code = False
        self.held: HeldCode | None = None

    @property
    def body(self) -> HtmlElement:
        """The body as an lxml tree (container ``<body>`` element); parsed on first access."""
        if self._body is None:
            from convert.html import PreparedBody

            # The markup lives in this local alone from here on: each step replaces it (a large
            # body is never twice in memory as text), and it goes before the tree is built: a
            # large body's tree is built from pieces let go as the parser reads them
            # (PreparedBody). A failure puts the markup back.
            markup = self._body_html or ""
            self._body_html = None
            held = None
            try:
                markup = self._templates_held(markup)
                if self.hold_code:
                    from convert.html.held import HeldCode

                    held = HeldCode()
                    markup = held.hold(markup)
                prepared = PreparedBody(markup, repair=self._repair)
            except BaseException:
                self._body_html = held.unhold(markup) if held is not None else markup
                raise
            del markup
            self._parsed_size = prepared.size
            try:
                body = prepared.parse()
                if held is not None and not held.attach(body):
                    # A block was not where it was put (markup a parser moves around): the body
                    # is parsed again as it was written, nothing held.
                    del body
                    prepared = PreparedBody(held.unhold(prepared.markup()), repair=self._repair)
                    held = None
                    body = prepared.parse()
            except BaseException:
                self._body_html = held.unhold(prepared.markup()) if held is not None else prepared.markup()
                raise
            self._body = body
            self.held = held if held else None
        return self._body

    @body.setter
    def body(self, value: HtmlElement) -> None:
        self._body = value
        self._body_html = None
        self.held = None
        self._last_discarded = None

    @property
    def parsed(self) -> bool:
        """Whether the body's tree is built (reading :attr:`body` builds it)."""
        return self._body is not None

    def release_body(self) -> None:
        """Drop the body (tree and markup) to free its memory: for a writer that owns the
        document and has taken what it needs. The body reads as empty afterwards."""
        self._body = None
        self._body_html = ""
        self.held = None
        self._last_discarded = None  # (a reference to one element would keep its whole tree)
        from convert.limits import return_free_memory

        return_free_memory(self._parsed_size)  # a large tree leaves its pages to the process: give them back

    def discard(self, el: HtmlElement) -> None:
        """``el`` and everything before it in its parent are written for good: a writer that
        owns the document and goes through it in order says so. ``el`` is emptied (its tail
        stays), and the element discarded before it, if it is an earlier sibling, is taken out
        whole: what the writer may still look back at (the sibling before the element it
        writes) is as it was, and the pages of a large tree go back to the system as it goes.

        (Emptied elements left in place would keep those pages: each one's own node and its
        tail were made among its descendants', so no page would ever be wholly free.)"""
        last = self._last_discarded
        parent = el.getparent()
        if last is not None and parent is not None and last.getparent() is parent:
            last.tail = None  # written with it: its place goes, not its text
            parent.remove(last)
        el.clear(keep_tail=True)
        self._last_discarded = el if isinstance(el.tag, str) else None
        self._discarded += 1
        if self._discarded % _TRIM_EVERY == 0:
            from convert.limits import return_free_memory

            return_free_memory(self._parsed_size)

    def _templates_held(self, markup: str) -> str:
        """The markup with its template code held out (``template_pass``, else every span, by
        :func:`convert.html.templates.protect`), rendered to HTML when it is not HTML."""
        from convert.html.templates import protect

        if not self.templates_ready:
            if not self.templates:
                markup, self.templates = (self.template_pass or protect)(markup)
            self.templates_ready = True
        if self.render_markup is not None:
            markup = self.render_markup(markup)
            self.render_markup = None
        return markup

    def body_html(self, escape: Callable[[str], str] | None = None) -> str:
        """The body's markup: as read when the tree was never built, else serialized from it.
        ``escape`` is applied before the template spans are put back (a writer's escaping of
        text that looks like template code, :mod:`convert.templates.shown`)."""
        if self._body is None:
            if self.render_markup is not None:
                self._body_html = self._templates_held(self._body_html or "")
            markup = self._body_html or ""
        else:
            from convert.html import serialize_body

            markup = serialize_body(self._body, self.held)
        return self.restore_templates(escape(markup) if escape is not None else markup)

    def restore_templates(self, text: str) -> str:
        """``text`` written from the tree, with the template spans put back (see
        :mod:`convert.html.templates`); writers call it on what they write."""
        if not self.templates:
            return text
        from convert.html.templates import restore

        return restore(text, self.templates)

    def __repr__(self) -> str:
        return f"Document(path={self.source.path!r}, format={self.source.format!r}, keys={list(self.metadata)!r})"


def same_value(a: Any, b: Any) -> bool:
    """Equality that also compares types: ``1``, ``1.0`` and ``True`` differ; so do a naive and
    an aware timestamp, two timestamps with different offsets, and mappings in different order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return False
        return all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:  # NaN
        return b != b
    if hasattr(a, "utcoffset") and hasattr(a, "hour"):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def title_of(document: Document) -> str:
    """The document's title: the front matter's (Hexo's escaped braces read as braces), else the
    first ``<h1>``/``<h2>`` heading's text, else the file's name, else ``Untitled``."""
    title = document.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.replace("&#123;", "{").replace("&#125;", "}").strip()
    for h in document.body.iter("h1", "h2"):
        text = " ".join(h.text_content().split())
        if text:
            return text
    path = document.source.path
    if path:
        import os

        return os.path.splitext(os.path.basename(path))[0]
    return "Untitled"


def unescape_hexo_braces(value: Any) -> Any:
    """Hexo writes ``{`` and ``}`` as ``&#123;`` and ``&#125;`` everywhere, the front matter
    included; to a reader they are plain braces."""
    if isinstance(value, str):
        return value.replace("&#123;", "{").replace("&#125;", "}") if "&#12" in value else value
    if isinstance(value, list):
        return [unescape_hexo_braces(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape_hexo_braces(v) for k, v in value.items()}
    return value
