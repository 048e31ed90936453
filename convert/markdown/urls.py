"""Link destinations, image sources and titles in Markdown.

A Markdown engine does not put a destination into ``href`` as written: it decodes entities and
backslash escapes, then percent-encodes what a URL may not hold (a space, ``"``, ``<``, ``>``,
``\\``, ``[``, ``]``, ``^``, ``{``, ``|``, ``}``, a backtick, a ``%`` that starts no escape,
non-ASCII characters) and writes a non-ASCII host in punycode; markdown-it refuses ``javascript:``,
``vbscript:``, ``file:`` and non-image ``data:`` links outright. So a destination is written here
as the engine would render it (:func:`canonical`): reading the Markdown back gives that same
address, and writing it again gives the same bytes. Non-ASCII characters are the exception, for
readability: they are written as characters (an IRI: ``标题``, not ``%E6%A0%87%E9%A2%98``), which
every engine encodes as it did the source's escapes; not in a host, which only markdown-it would
write in punycode (so it is written so: ``xn--fsqu00a``, not ``例子``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from convert.html.templates import placeholders, split_templates
from convert.lazyre import lazy
from convert.markdown.escape import ENTITY

_TEMPLATE = lazy(r"\{\{|\{%|\{#")
#: What engines percent-encode: ASCII outside the characters URLs hold as they are, a "%" that
#: starts no escape, and (decided in :func:`_encode`) non-ASCII white space and invisible characters.
_UNSAFE = lazy(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9;/?:@&=+$,\-_.!~*'()#%]")
_ENCODED_NON_ASCII = lazy(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")
#: The host part, with the user and port: after "//", or after "mailto:" (a user@host address).
_HOST = lazy(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*:)?//|(?P<mailto>mailto:))(?P<host>[^/?#]*)", re.IGNORECASE)
_REFUSED = lazy(r"^(?:vbscript|javascript|file|data):", re.IGNORECASE)
_IMAGE_DATA = lazy(r"^data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
_SCHEME = lazy(r"^[a-zA-Z][a-zA-Z0-9+.-]{1,31}:")
EDGES = "".join(map(chr, range(0x21)))  # what a browser strips from either end of a URL


def has_template(url: str) -> bool:
    """Whether ``url`` holds template code (``{{ ... }}``, ``{% ... %}``, ``{# ... #}``)."""
    return _TEMPLATE.search(url) is not None and any(code for _, code in split_templates(url))


def canonical(url: str) -> str:
    """``url`` as a Markdown engine renders it, non-ASCII characters kept as characters: the
    form two spellings of one address share (``a b`` and ``a%20b``, ``标`` and ``%E6%A0%87``)."""
    url = url.strip(EDGES)
    if "%" in url:
        url = _iri(url)
    m = _HOST.match(url)
    if m is None or not m.group("host"):
        return _UNSAFE.sub(_encode, url)
    start, end = m.span("host")
    host = _UNSAFE.sub(lambda c: c.group() if c.group() in "[]" else _encode(c), url[start:end])  # [::1]
    if not host.isascii() and (m.group("mailto") or m.group("scheme") or "http:").lower() in ("http:", "https:", "mailto:"):
        host = _punycode(host)
    return _UNSAFE.sub(_encode, url[:start]) + host + _UNSAFE.sub(_encode, url[end:])


def destination(url: str, *, shortcode_links: bool = False) -> str | None:
    """A link destination for ``url`` (:func:`canonical`, bare when it can be, else in angle
    brackets), or None when Markdown cannot carry it (a link the engine would refuse; template
    code that angle brackets cannot hold): the link is then HTML.

    Template code (``{{ post.url | relative_url }}``, ``{% post_url x %}``, ``{{< relref "x" >}}``)
    is run by its generator before Markdown is read and must reach it byte for byte; it holds
    spaces, so it goes in angle brackets, which every engine reads as a link with or without the
    template run. ``shortcode_links`` (Hugo): a shortcode holding "<" and ">" stays bare, as Hugo
    writes ``[a]({{< ref "x" >}})``: it swaps the shortcode for a token first, and drops raw HTML."""
    if has_template(url):
        return _template_destination(url.strip(EDGES), shortcode_links)
    url = canonical(url)
    if _REFUSED.match(url) and not _IMAGE_DATA.match(url):
        return None
    if url == "":
        return "<>"
    # No white space, "<", ">" or "\" is left: only parentheses that do not pair need the brackets.
    return _entities(url) if _balanced(url) else f"<{_entities(url)}>"


def held_destination(url: str, restore: Callable[[str], str], *, shortcode_links: bool = False) -> str | None:
    """:func:`destination` for an address whose live template code is held out (placeholders of
    :mod:`convert.html.templates`, put back by ``restore``), as the Markdown writer has it.

    Braces left in ``url`` are not live code (the source's engine shows them, or the post has
    none): they are percent-encoded first, as a browser sends them, so that no generator reads
    template code in the address and the Markdown reads back the same. Then the live code is put
    back and the address written as :func:`destination` writes it (live code in ``<...>``, or
    None: the link is HTML); in what it returns, the live code is a placeholder again, as in the
    rest of the Markdown until the writer's escapes of shown text are done
    (:mod:`convert.templates.shown`)."""
    if "{" in url or "}" in url:
        url = _SHOWN_BRACE.sub(lambda m: f"%{ord(m.group()):02X}", url)
    held = placeholders(url)
    if not held:
        return destination(url, shortcode_links=shortcode_links)
    dest = destination(restore(url), shortcode_links=shortcode_links)
    if dest is None:
        return None
    at = 0
    for mark in held:  # in order: each span back to its placeholder, where destination wrote it
        code = restore(mark)
        found = dest.find(code, at)
        if found < 0:
            continue
        dest = dest[:found] + mark + dest[found + len(code) :]
        at = found + len(mark)
    return dest


_SHOWN_BRACE = lazy(r"[{}]")


def _template_destination(url: str, shortcode_links: bool) -> str | None:
    """``<url>``, its template code as written and the rest as :func:`canonical` writes it."""
    pieces = split_templates(url)
    code = [piece for piece, is_code in pieces if is_code]
    mark = "Z" * (max((len(run) for run in re.findall("Z+", url)), default=0) + 1)  # in no URL text
    tokens = "".join(f"{mark}{i}{mark}" if is_code else piece for i, (piece, is_code) in enumerate(pieces))
    dest = _entities(canonical(tokens))
    for i, (piece, is_code) in enumerate(pieces):
        if is_code:
            dest = dest.replace(f"{mark}{i}{mark}", piece, 1)
    if _REFUSED.match(dest) and not _IMAGE_DATA.match(dest):
        return None
    if not re.search(r"[<>\r\n]", "".join(code)):
        return f"<{dest}>"
    literal = "".join(piece for piece, is_code in pieces if not is_code)
    if shortcode_links and all(piece.startswith(("{{<", "{{%")) and not re.search(r"[\r\n]", piece) for piece in code) and _balanced(literal):
        return dest
    return None


def _entities(url: str) -> str:
    """``&`` written ``&amp;`` where it would start a character reference: a destination's are
    decoded ("&copy;" in a URL stays as written)."""
    return ENTITY.sub(lambda m: "&amp;" + m.group()[1:], url) if "&" in url else url


def autolink(url: str) -> bool:
    """Whether ``<url>`` shows ``url`` and links to it, as written, in every engine: an absolute
    URL with nothing an engine would encode or decode in it."""
    return (
        _SCHEME.match(url) is not None
        and url.isascii()
        and "%" not in url
        and not _REFUSED.match(url)
        and canonical(url) == url
        and "xn--" not in url.lower()  # markdown-it shows a punycode host in Unicode
    )


def title(text: str | None) -> str:
    """`` "title"`` after a destination ("" for none): backslashes and quotes escaped, an ``&``
    that would start an entity written ``&amp;`` (titles decode entities), line ends as
    character references (a blank line would end the paragraph, a line end be trimmed)."""
    if not text:
        return ""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    if "&" in text:
        text = ENTITY.sub(lambda m: "&amp;" + m.group()[1:], text)
    return ' "' + text.replace("\r", "&#13;").replace("\n", "&#10;") + '"'


def _encode(m: re.Match[str]) -> str:
    ch = m.group()
    if not ch.isascii() and ch.isprintable() and not ch.isspace():
        return ch
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def _iri(url: str) -> str:
    """Percent-escapes of non-ASCII characters turned back into the characters (``%E5%B8%82`` ->
    ``市``): the same address to every engine, which writes it either way. Escapes of ASCII
    (``%20``, ``%2F``), of bytes that are no UTF-8 and of invisible characters stay."""

    def decode(m: re.Match[str]) -> str:
        text = bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8", "surrogateescape")
        return "".join(
            ch if ch.isprintable() and not ch.isspace() else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))
            for ch in text
        )

    return _ENCODED_NON_ASCII.sub(decode, url)


def _punycode(authority: str) -> str:
    """The host of ``user@host:port`` with its non-ASCII labels in punycode (``例子`` ->
    ``xn--fsqu00a``), as markdown-it writes them for http, https and mailto: writing them so
    keeps ``md -> html -> md`` a fixed point, and gives every engine the same ASCII host."""
    user, at, host = authority.rpartition("@")
    host, colon, port = host.partition(":")
    labels = []
    for label in host.split("."):
        try:
            labels.append(label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:
            labels.append(label)
    return user + at + ".".join(labels) + colon + port


def _balanced(url: str) -> bool:
    depth = 0
    for ch in url:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
