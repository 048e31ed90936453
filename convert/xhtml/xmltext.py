"""XML text and names every XHTML/EPUB module shares: the namespaces, the characters XML
forbids, and text put into a tree. A leaf: it imports nothing of ``convert``."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element

XHTML_NS = "http://www.w3.org/1999/xhtml"
SVG_NS = "http://www.w3.org/2000/svg"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
XLINK_NS = "http://www.w3.org/1999/xlink"
EPUB_NS = "http://www.idpf.org/2007/ops"
#: the Clark prefix of XHTML element names (``XHTML + "p"``)
XHTML = f"{{{XHTML_NS}}}"

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str | None) -> str | None:
    """``text`` without the characters XML 1.0 forbids (control characters, surrogates, U+FFFE/F)."""
    if not text:
        return text
    return _XML_BAD.sub("", text)


def xml_text(value: str | None) -> str:
    """``value`` as XML text or attribute value written by hand (a book's package, navigation
    and cover documents; template spans put back): :func:`clean_text`, then markup escaped."""
    return escape(clean_text(value) or "")


def add_text(parent: _Element, text: str | None) -> None:
    """Append ``text`` at the end of ``parent``'s content (its last child's tail, else its text)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def remove_keeping_tail(el: _Element) -> None:
    """Remove ``el`` and its content from its parent; the text after it (its tail) stays where it was
    (``drop_tree`` for the plain lxml.etree trees of XHTML, which have no such method)."""
    text_before(el, el.tail)
    el.getparent().remove(el)


def text_before(el: _Element, text: str | None) -> None:
    """Add ``text`` right before ``el`` (the previous sibling's tail, or the parent's text)."""
    if not text:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text
