"""Footnotes in HTML: the Markdown writer writes them as ``[^1]`` and ``[^1]: ...``, the XHTML
writer marks them for EPUB readers' pop-up notes. Works on HTML trees and on XHTML ones (tags in
the XHTML namespace) alike.

The shapes the common generators write, all the same idea (a list of notes with ids, links to
them in the text, links back from each note):

* markdown-it (and so our own reader): ``<sup class="footnote-ref"><a href="#fn1" id="fnref1">``,
  ``<hr class="footnotes-sep">``, ``<section class="footnotes"><ol><li id="fn1">`` with
  ``<a class="footnote-backref">``;
* pandoc: ``<a href="#fn1" class="footnote-ref" role="doc-noteref"><sup>1</sup></a>``,
  ``<section id="footnotes" class="footnotes" role="doc-endnotes"><hr><ol><li id="fn1">`` with
  ``<a class="footnote-back">``;
* kramdown (Jekyll): ``<sup id="fnref:1"><a href="#fn:1" class="footnote">``,
  ``<div class="footnotes"><ol><li id="fn:1">`` with ``<a class="reversefootnote">``.

Notes are numbered in list order. A section is converted only when every note is referenced
from the text: Markdown drops a definition nobody refers to, and its text would be lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SECTION_CLASSES = ("footnotes",)
_BACKLINK_CLASSES = ("footnote-backref", "footnote-back", "reversefootnote")


class Footnotes:
    """The notes of a body: what replaces each reference, the notes in order, what to skip.
    (A plain class, not a dataclass: a dataclass costs a millisecond to define.)"""

    def __init__(self) -> None:
        self.refs: dict[HtmlElement, str] = {}  # the reference element -> label
        self.notes: list[tuple[str, HtmlElement]] = []  # (label, <li>)
        self.skip: set[HtmlElement] = set()  # the section, its rule, the back links
        self.section: HtmlElement | None = None


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _name(el: HtmlElement) -> str:
    """The local tag name ("a" for ``{http://www.w3.org/1999/xhtml}a``); "" for comments."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(root: HtmlElement, name: str) -> list[HtmlElement]:
    return [el for el in root.iter() if _name(el) == name]


def _is_section(el: HtmlElement) -> bool:
    return _name(el) in ("section", "div") and (any(c in _SECTION_CLASSES for c in _classes(el)) or el.get("role") == "doc-endnotes")


def find_footnotes(body: HtmlElement) -> Footnotes | None:
    """The footnotes of ``body``, or None when it has none that convert cleanly."""
    sections = [el for el in body.iter("{*}section", "{*}div") if _is_section(el)]  # (the filter in C: most elements are neither)
    if len(sections) != 1:
        return None
    section = sections[0]
    lists = [el for el in section if _name(el) == "ol"]
    if len(lists) != 1:
        return None
    items = [li for li in lists[0] if _name(li) == "li"]
    if not items or any(not li.get("id") for li in items):
        return None
    found = Footnotes()
    labels = {li.get("id"): str(n) for n, li in enumerate(items, 1)}
    inside = set(section.iter())
    referenced = set()
    for a in _all(body, "a"):
        target = (a.get("href") or "")[1:] if (a.get("href") or "").startswith("#") else None
        if a in inside or target not in labels:
            continue
        ref = _reference_element(a)
        if ref is None:
            return None  # a link to a note that is not a plain reference: leave it all as it is
        found.refs[ref] = labels[target]  # type: ignore[index]
        referenced.add(target)
    if referenced != set(labels):
        return None
    found.notes = [(labels[li.get("id")], li) for li in items]  # type: ignore[index]
    found.section = section
    found.skip.add(section)
    previous = section.getprevious()
    if previous is not None and _name(previous) == "hr" and "footnotes-sep" in _classes(previous):
        found.skip.add(previous)
    for a in _all(section, "a"):
        if any(c in _BACKLINK_CLASSES for c in _classes(a)) or a.get("role") == "doc-backlink":
            found.skip.add(a)
    return found


def _reference_element(a: HtmlElement) -> HtmlElement | None:
    """The element a note reference is made of: the ``<sup>`` around the link, the link around a
    ``<sup>``, or the link itself; None when the link holds more than a number or a label."""
    text = "".join(a.itertext()).strip().strip("[]")
    if not text or len(text) > 20 or any(ch.isspace() for ch in text):
        return None
    parent = a.getparent()
    if parent is not None and _name(parent) == "sup" and len(parent) == 1 and not (parent.text or "").strip() and not (a.tail or "").strip():
        return parent
    return a
