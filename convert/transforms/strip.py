"""``--strip SELECTOR``: drop boilerplate blocks (copyright notes, reward buttons) by CSS selector
or XPath. A selector starting with ``/`` or ``(`` is XPath; anything else is CSS (lxml's
cssselect). The tail text after a removed element is kept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from convert.errors import ConvertError

if TYPE_CHECKING:
    from convert.model import Document


def _xpath_for(selector: str) -> str:
    selector = selector.strip()
    if selector.startswith(("/", "(", "./")):
        return selector if not selector.startswith("/") or selector.startswith("//") else "." + selector
    try:
        from cssselect import GenericTranslator, SelectorError
    except ImportError:  # pragma: no cover - cssselect is a dependency
        raise ConvertError("CSS selectors need the cssselect package") from None
    try:
        return GenericTranslator().css_to_xpath(selector, prefix="descendant-or-self::")
    except SelectorError as err:
        raise ConvertError(f"invalid CSS selector {selector!r}: {err}") from None


def strip_selectors(document: Document, selectors: Iterable[str]) -> int:
    """Remove every element matching any selector; returns how many were removed."""
    from lxml import etree

    body = document.body
    removed = 0
    for selector in selectors:
        xpath = _xpath_for(selector)
        try:
            matches = body.xpath(xpath)
        except etree.XPathError as err:
            raise ConvertError(f"invalid XPath {selector!r}: {err}") from None
        for el in matches:
            if isinstance(el, etree._Element) and el is not body and el.getparent() is not None:
                el.drop_tree()  # lxml.html: removed, the text that follows it kept
                removed += 1
    return removed
