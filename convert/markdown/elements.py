"""What the Markdown writer knows of HTML elements: which are blocks, which are dropped, which
stay as HTML tags, and what an element holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convert.html.tags import INTERFACE, is_interface, is_known, is_tag_name

if TYPE_CHECKING:
    from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center details dialog dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section table tbody td tfoot th thead tr ul "
    "iframe video audio canvas noscript search summary".split()
)
#: Not content: written as nothing (with :data:`convert.html.tags.INTERFACE`: buttons, form controls).
DROP_TAGS = frozenset({"style", "script", "template", "head", "title", "meta", "link", "base", "svg", "math", "noscript", "object", "embed"}) | INTERFACE
#: Inline elements kept as HTML tags around their rendered content.
INLINE_HTML = frozenset({"sup", "sub", "u", "ins", "mark", "kbd", "abbr", "q", "small", "cite", "dfn", "var", "samp", "bdi", "bdo", "time", "data", "ruby", "rt", "rp"})
#: Elements that show even without text (a code span of spaces is still a code span).
VISIBLE = frozenset({"img", "iframe", "video", "audio", "object", "embed", "svg", "math", "hr", "canvas", "code", "tt"})
CODE_TAGS = frozenset({"code", "tt"})
#: Embedded media: kept as raw HTML wherever they stand, a block of their own or inside a
#: paragraph, list item, quote, table cell or link (one line of inline HTML there).
EMBEDS = frozenset({"iframe", "video", "audio"})


def tag_name(el: HtmlElement) -> str:
    """The lower-case tag name; "" for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def dropped(el: HtmlElement) -> bool:
    """Whether the element is not content: written as nothing, with all it holds."""
    return tag_name(el) in DROP_TAGS or is_interface(el)


def written_as_tag(tag: str) -> bool:
    """Whether an element no browser knows is written as its own HTML tag: Markdown engines pass
    the tag on, and the browser hides it as it hid the original. One whose name is not a tag name
    to CommonMark (``pid,partition`` from a lost ``<PID,Partition>``) would be shown as text: it is
    unwrapped, as the browser shows it (:func:`convert.html.tags.is_tag_name`)."""
    return not is_known(tag) and is_tag_name(tag)


def is_block(el: HtmlElement) -> bool:
    return tag_name(el) in BLOCK_TAGS


def items_of(el: HtmlElement) -> list[object]:
    """The element's content in order: text strings and child elements (comments left out)."""
    items: list[object] = []
    if el.text:
        items.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def has_content(el: HtmlElement) -> bool:
    """Whether an element renders as something visible: text, or an embedded object."""
    return bool(el.text_content().strip()) or any(tag_name(d) in VISIBLE for d in el.iter())

