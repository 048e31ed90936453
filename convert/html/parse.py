"""Parsing an HTML body into an lxml tree.

The parser is lxml's (libxml2 2.14 and later tokenize as HTML5 does), with two repairs first:

* **lost escapes**: a ``<`` that opens a name no browser knows (``Producer<String, String>``,
  ``<Suspense fallback=...>`` in prose) is text that lost its escaping. It becomes ``&lt;`` so the
  text survives and no bogus element swallows what follows it. Known HTML, SVG and MathML names,
  custom elements (``my-widget``) and prefixed names (``o:p``) are left alone; so is the content of
  comments, ``<script>``, ``<style>`` and other raw-text elements. Inside an attribute value the
  change is harmless (``&lt;`` there still means ``<``).
* **characters HTML forbids**: NUL and other C0 controls except tab, newline and form feed are
  dropped (a browser shows nothing for them; XML cannot hold them at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, AnyStr

from convert.decoding import has_surrogates
from convert.html.tags import RAW_TEXT, is_known
from convert.lazyre import lazy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: a comment, or a tag (the commonest known names, which need no look, are passed over here)
_MARKUP = lazy(r"<(?:(!--)|(/?)(?!(?:p|a|br|span|div|li|em|strong|code|img|td|tr)[\s/>])([A-Za-z][^\s/>]*))")
#: a start tag long enough to hold thousands of attributes (libxml2 checks each new attribute
#: against every earlier one: quadratic time)
_LONG_TAG = lazy(r"<[A-Za-z][^\s/>]*\s[^<>]{30000,}")
_TAG_NAME = lazy(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = lazy(r"""\s*([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
#: attributes kept on one element (a browser keeps all; nothing visible is lost past this)
MAX_ATTRIBUTES = 1000
# Start-up: a class reaching past U+00FF costs ten times as much to compile as one that does
# not; the wide classes are compiled the first time they have something to replace (rare), what
# they look for found otherwise.
_CONTROL = lazy(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
_ASCII_CONTROL = lazy(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE = lazy("[\ud800-\udfff]")
_CHAR_REF = lazy(r"&#([xX][0-9a-fA-F]+|[0-9]+);?")


def _xml_safe_ref(m: re.Match[str]) -> str:
    """A character reference to a character no XML tree can hold (a control character, a
    surrogate, U+FFFE) becomes U+FFFD, as a browser shows it; a form feed becomes a space."""
    digits = m.group(1)
    try:
        code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    except ValueError:
        return m.group(0)
    if code == 0x0C:
        return " "
    if code in (0x09, 0x0A, 0x0D) or 0x20 <= code < 0xD800 or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return m.group(0)
    return "\ufffd"



def repair_lost_escapes(markup: str) -> str:
    """Escape each ``<`` that opens an unknown tag name (see the module docstring)."""
    pieces = list(_escaped_pieces(markup))
    return pieces[0] if len(pieces) == 1 else "".join(pieces)


def _escaped_pieces(markup: str) -> Iterator[str]:
    """:func:`repair_lost_escapes` as consecutive pieces of its result (the input itself when
    nothing needs escaping), so a large body is never copied whole."""
    last = 0
    pos = 0
    search = _MARKUP.search
    while True:
        m = search(markup, pos)
        if m is None:
            break
        if m.group(1):  # a comment: skip to its end
            end = markup.find("-->", m.end())
            pos = len(markup) if end < 0 else end + 3
            continue
        name = m.group(3)
        if is_known(name):
            pos = m.end()
            lname = name.lower()
            if not m.group(2) and lname in RAW_TEXT:
                close = _find_close(markup, lname, pos)
                pos = close if close >= 0 else len(markup)
            continue
        yield markup[last : m.start()]
        yield "&lt;"
        last = pos = m.start() + 1
    yield markup if last == 0 else markup[last:]


def cap_attributes(markup: str, limit: int = MAX_ATTRIBUTES) -> str:
    """Keep the first ``limit`` distinct attributes of each start tag (a repeated name counts
    once and the first one wins, as in a browser). Linear time; only tags tens of kilobytes
    long are looked at."""
    if len(markup) < 30000 or not _LONG_TAG.search(markup):
        return markup
    out: list[str] = []
    last = 0
    for m in _LONG_TAG.finditer(markup):
        name_end = _TAG_NAME.match(markup, m.start()).end()  # type: ignore[union-attr]
        seen: set[str] = set()
        kept: list[str] = []
        pos = name_end
        while pos < len(markup):
            a = _ATTRIBUTE.match(markup, pos)
            if a is None or a.end() == pos:
                break
            key = a.group(1).lower()
            if key not in seen and len(seen) < limit:
                seen.add(key)
                kept.append(a.group(0))
            pos = a.end()
        out.append(markup[last:name_end])
        out.append("".join(kept))
        last = pos
    out.append(markup[last:])
    return "".join(out)


def _find_close(markup: str, name: str, pos: int) -> int:
    pattern = re.compile(r"</" + re.escape(name) + r"[\s/>]", re.IGNORECASE)
    m = pattern.search(markup, pos)
    return m.start() if m else -1


_parser = None
_FEED = 1 << 20  # characters per piece of a large body


def _get_parser():  # type: ignore[no-untyped-def]
    global _parser
    if _parser is None:
        import lxml.html
        from lxml import etree

        # lxml.html's own parser picks each element's class in a Python method, called for every
        # element object made (a tree walked five times over makes thousands): the same classes
        # picked in C. (lxml.html gives <form>, <input>, <select>, <textarea> and <label> classes
        # of their own, for form handling no writer does: here they are HtmlElement too.)
        _parser = etree.HTMLParser(
            remove_comments=False,
            remove_pis=False,
            remove_blank_text=False,
            huge_tree=True,
            no_network=True,
            default_doctype=False,
            recover=True,
            compact=True,
            encoding="utf-8",  # what prepare_body makes; a <meta charset> in a body changes nothing
        )
        _parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
    return _parser


def _clean(piece: str) -> str:
    """What the parser must not see in a piece: controls HTML forbids, form feeds, character
    references to characters XML cannot hold; and start tags with thousands of attributes."""
    if _ASCII_CONTROL.search(piece) or "\ufffe" in piece or "\uffff" in piece:
        piece = _CONTROL.sub("", piece)
    if has_surrogates(piece):
        piece = _SURROGATE.sub("\ufffd", piece)  # a lone surrogate (no UTF-8 holds it): as a browser shows it
    if "\x0c" in piece:
        piece = piece.replace("\x0c", " ")  # a form feed is white space to HTML; XML has none
    if "&#" in piece:
        piece = _CHAR_REF.sub(_xml_safe_ref, piece)
    return cap_attributes(piece)


def cut_before_tag(piece: AnyStr, start: int, size: int) -> int:
    """Where a part of ``piece`` that starts at ``start`` ends: at the end when at most ``size``
    is left, else before the last ``<`` within ``size`` (no run of text, tag or character
    reference is split), else before the next one, else at the end (one run without tags)."""
    if len(piece) - start <= size:
        return len(piece)
    lt = "<" if isinstance(piece, str) else b"<"
    cut = piece.rfind(lt, start + 1, start + size)  # type: ignore[arg-type]
    if cut < 0:
        cut = piece.find(lt, start + size)  # type: ignore[arg-type]
    return len(piece) if cut < 0 else cut


def _clean_pieces(pieces: Iterable[str]) -> Iterator[str]:
    """``pieces`` cleaned (:func:`_clean`) and re-cut into parts of about ``_FEED`` characters.
    Each part ends before a ``<``, so no cut falls inside a tag or a character reference (and the
    attribute cap sees every start tag whole); a run without any ``<`` stays in one part."""
    pending: list[str] = []
    size = 0
    for piece in pieces:
        start = 0
        n = len(piece)
        while n - start > _FEED:
            cut = cut_before_tag(piece, start, _FEED)
            if cut == n:
                break
            pending.append(piece[start:cut])
            yield _clean("".join(pending))
            pending.clear()
            size = 0
            start = cut
        rest = piece if start == 0 else piece[start:]
        if rest:
            pending.append(rest)
            size += len(rest)
        if size >= _FEED:
            yield _clean("".join(pending))
            pending.clear()
            size = 0
    if pending:
        yield _clean("".join(pending))


_OPEN, _CLOSE = b"<html><body>", b"</body></html>"
#: a body whose prepared markup is at least this large is parsed from its pieces (see
#: :class:`PreparedBody`); a smaller one in one piece (quicker, and its copy is small)
STREAM_FROM = 2 * _FEED


class PreparedBody:
    """Body markup made ready for the parser (repaired and cleaned, see the module docstring)
    and encoded as UTF-8 inside ``<html><body>``, a piece at a time: a large body is never
    copied whole as text, and the caller may drop the markup once this is made.

    :meth:`parse` builds the tree. A large body is parsed from its pieces, each let go once the
    parser has it (kept compressed instead), so the tree is never beside a whole copy of its
    markup; :meth:`markup` gives the prepared markup back at any point, to parse again or to
    put back when parsing fails."""

    def __init__(self, markup: str, *, repair: bool = True) -> None:
        pieces = _clean_pieces(_escaped_pieces(markup) if repair else (markup,))
        self._pieces = [_OPEN, *(piece.encode("utf-8") for piece in pieces), _CLOSE]
        self.size = sum(len(piece) for piece in self._pieces)  # bytes of prepared markup
        self._packed: list[bytes] = []  # pieces the parser has read, compressed
        self._packer: Any = None
        self._next = 0  # the first piece the parser has not read

    def data(self) -> bytes:
        """The prepared markup as bytes (what :func:`prepare_body` returns)."""
        rest = b"".join(self._pieces[self._next :])
        if self._packer is None:
            return rest
        import zlib

        return zlib.decompress(b"".join(self._packed) + self._packer.copy().flush()) + rest

    def markup(self) -> str:
        """The body markup as prepared, without the container."""
        return unprepared(self.data())

    def parse(self) -> HtmlElement:
        """The body's tree: a container ``<body>`` element (the container is not content)."""
        from lxml import etree

        parser = _get_parser()
        if self.size < STREAM_FROM:
            data = b"".join(self._pieces)
            self._pieces = [data]
            doc = etree.fromstring(data, parser)  # libxml2 reads the bytes where they are
            del data
        else:
            import zlib

            self._packer = zlib.compressobj(1)
            doc = etree.parse(self, parser).getroot()  # lxml calls read() below
        return _body_of(doc, parser)

    def read(self, size: int) -> bytes:
        """The next piece, for the parser; it is kept compressed from here on."""
        if self._next >= len(self._pieces):
            return b""
        piece = self._pieces[self._next]
        self._pieces[self._next] = b""
        self._next += 1
        self._packed.append(self._packer.compress(piece))
        return piece


def prepare_body(markup: str, *, repair: bool = True) -> bytes:
    """The body markup made ready for the parser, as bytes (see :class:`PreparedBody`)."""
    return PreparedBody(markup, repair=repair).data()


def unprepared(data: bytes) -> str:
    """The body markup inside what :func:`prepare_body` made."""
    return data[len(_OPEN) : len(data) - len(_CLOSE)].decode("utf-8")


def parse_body(markup: str, *, repair: bool = True) -> HtmlElement:
    """Parse body markup into a container ``<body>`` element (the container is not content)."""
    return PreparedBody(markup, repair=repair).parse()


def _body_of(doc: Any, parser: Any) -> HtmlElement:
    import lxml.html

    if any("Excessive depth" in str(e) for e in parser.error_log):
        from convert.errors import LimitError
        from convert.limits import MAX_DEPTH

        raise LimitError(f"elements nested deeper than {MAX_DEPTH} levels; refused")
    body = doc.find("body")
    if body is None:  # pragma: no cover - libxml2 always makes one after <body>
        body = lxml.html.Element("body")
    # Anything the parser moved into <head> (a leading <style>, <meta>, <title>) belongs to the body.
    head = doc.find("head")
    if head is not None and len(head):
        for i, el in enumerate(list(head)):
            body.insert(i, el)
    from convert.limits import check_depth

    check_depth(body)
    return body
