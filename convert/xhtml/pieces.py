"""Writing a large XHTML tree a subtree at a time, letting each go once written.

``etree.tostring`` of a whole chapter holds the tree and all of its bytes at once. Here an
element with many descendants is written as its start tag (and text), its children one by one
(each the same way), then its end tag and tail; any other element is written whole by lxml. Each
written subtree is taken out of the tree and freed, so the bytes replace the tree as they come.

A subtree written on its own gets from lxml the namespace declarations of its ancestors on its
first tag. So it is written inside a *holder*: an element declaring what the tree's root
declares. Moved there, a subtree is in the namespace context it had in place, and what lxml
writes between the holder's tags is what it writes for the subtree within the whole tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element

#: descendants from which an element is written a child at a time
SPLIT_FROM = 2048
#: bytes of small pieces gathered into one part (a few large strings rather than thousands of
#: small ones: large ones reuse the memory the freed tree leaves)
_GATHER = 1 << 16


def write_in_pieces(root: _Element, first: bytes, on_freed: Callable[[], None] | None = None) -> list[bytes]:
    """``first``, then what ``etree.ElementTree(root).write(f, encoding="utf-8",
    xml_declaration=False)`` writes, as a list of parts. The tree is emptied as it is written;
    ``on_freed`` is called each time a large element's subtree has gone."""
    from lxml import etree

    writer = _Writer(etree.Element(root.tag, nsmap=root.nsmap), first, on_freed)
    writer.write(root)
    writer.flush()
    return writer.parts


class _Writer:
    def __init__(self, holder: _Element, first: bytes, on_freed: Callable[[], None] | None) -> None:
        self.holder = holder
        self.parts: list[bytes] = [first]
        self.small: list[bytes] = []
        self.size = 0
        self.on_freed = on_freed

    def add(self, data: bytes) -> None:
        self.small.append(data)
        self.size += len(data)
        if self.size >= _GATHER:
            self.flush()

    def flush(self) -> None:
        if self.small:
            self.parts.append(b"".join(self.small))
            self.small.clear()
            self.size = 0

    def write(self, el: _Element) -> None:
        """``el`` and its tail as written in place; ``el`` leaves its tree."""
        if not isinstance(el.tag, str) or el.nsmap != self.holder.nsmap or not _larger_than(el, SPLIT_FROM):
            # (An element declaring namespaces of its own, an <svg>, is written whole: its
            # children written apart would each declare them.)
            self.add(self.alone(el))
            return
        self.flush()
        at = len(self.parts)
        self.parts.append(b"")  # the start tag and text, known once the children are gone
        while (child := next(iter(el), None)) is not None:
            self.write(child)
        tail = el.tail
        el.tail = None
        bare = self.alone(el)  # <name attributes>text</name>, or <name attributes/>
        if bare.endswith(b"/>"):
            name = bare[1:].split(b">", 1)[0].split(b"/", 1)[0].split(None, 1)[0]
            self.parts[at], end = bare[:-2] + b">", b"</" + name + b">"
        else:
            close = bare.rindex(b"</")
            self.parts[at], end = bare[:close], bare[close:]
        self.add(end + _tail_bytes(tail))
        if self.on_freed is not None:
            self.on_freed()

    def alone(self, el: _Element) -> bytes:
        """What lxml writes for ``el`` (and its tail) in place; ``el`` leaves its tree (a root
        is written as it is)."""
        from lxml import etree

        if el.getparent() is None:  # a root declares its namespaces itself
            return etree.tostring(el, encoding="utf-8", with_tail=True)
        holder = self.holder
        holder.append(el)  # moves it, with its tail
        data = etree.tostring(holder, encoding="utf-8")
        holder.remove(el)
        start = data.index(b">") + 1  # the holder's start tag (its namespace URIs hold no ">")
        return data[start : data.rindex(b"</")]


def _tail_bytes(tail: str | None) -> bytes:
    """A tail as lxml writes it (escaped as text)."""
    if not tail:
        return b""
    from lxml import etree

    x = etree.Element("x")
    x.tail = tail
    return etree.tostring(x, encoding="utf-8", with_tail=True)[len(b"<x/>") :]


def _larger_than(el: _Element, limit: int) -> bool:
    """Whether ``el`` has more than ``limit`` descendants (counted no further than that)."""
    for count, _ in enumerate(el.iterdescendants(), 1):
        if count > limit:
            return True
    return False
