"""The safety check behind ``--verify``: read the Markdown we wrote back into HTML and make sure
the reader gets what the HTML had, as mdformat checks its own output.

Compared: the visible text (white space aside, footnote marks aside: each generator draws them
its own way), the link targets in order, and the images' sources and alt texts in order, each
address as engines spell it (``a b`` is ``a%20b``: :func:`convert.markdown.urls.canonical`). Not
compared: how the markup is spelled (``<b>`` or ``<strong>``), which Markdown cannot keep.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_MARKS = frozenset({"footnote-ref", "footnote", "footnote-backref", "footnote-back", "reversefootnote"})


def _view(body: HtmlElement) -> dict[str, list[str]]:
    from copy import deepcopy

    from convert.markdown.elements import dropped
    from convert.markdown.urls import canonical  # one address, however an engine spells it

    body = deepcopy(body)
    for el in [el for el in body.iter() if el is not body and dropped(el)]:  # what the writer leaves out
        el.drop_tree()
    for el in body.xpath(".//*[@class]"):
        if _MARKS & set(el.get("class", "").split()):
            el.drop_tree()
    return {
        "text": [re.sub(r"\s+", "", body.text_content())],
        "link": [canonical(a.get("href") or "") for a in body.iter("a") if a.get("href") is not None],
        "image": [f"{canonical(img.get('src') or img.get('data-src') or '')} {' '.join((img.get('alt') or '').split())!r}" for img in body.iter("img")],
    }


def first_loss(source: HtmlElement, markdown: str) -> str | None:
    """What the reader of ``markdown`` would miss of ``source``, or None when nothing."""
    from convert.html import parse_body
    from convert.markdown.parse import markdown_to_html

    before, after = _view(source), _view(parse_body(markdown_to_html(markdown)))
    if before["text"] != after["text"]:
        a, b = before["text"][0], after["text"][0]
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        return f"text differs after {a[max(0, at - 20):at]!r}: {a[at:at + 20]!r} became {b[at:at + 20]!r}"
    for kind in ("link", "image"):
        if before[kind] != after[kind]:
            lost = [x for x in before[kind] if x not in after[kind]] or before[kind]
            return f"{kind} {lost[0]} did not survive"
    return None
