"""Names of elements a browser knows: HTML (current and obsolete), SVG and MathML.

Used to tell a real tag from text that lost its escaping (``Producer<String, String>``,
``<Suspense fallback=...>`` in prose): a ``<`` that opens an unknown name is text. Also the one
list of interface elements (:data:`INTERFACE`, :func:`is_interface`) that every writer of
content leaves out, and the one exception to it: a task list's checkbox (:func:`task_box`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from convert.lazyre import lazy

if TYPE_CHECKING:
    from lxml.etree import _Element

HTML = frozenset(
    """
    a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist dd del details
    dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2
    h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend
    li link listing main map mark marquee menu menuitem meta meter multicol nav nextid nobr noembed
    noframes noscript object ol optgroup option output p param picture plaintext pre progress q rb rp
    rt rtc ruby s samp script search section select slot small source spacer span strike strong style
    sub summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul var
    video wbr xmp
    """.split()
)

SVG = frozenset(
    """
    svg a altglyph altglyphdef altglyphitem animate animatecolor animatemotion animatetransform circle
    clippath color-profile cursor defs desc ellipse feblend fecolormatrix fecomponenttransfer
    fecomposite feconvolvematrix fediffuselighting fedisplacementmap fedistantlight fedropshadow
    feflood fefunca fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology
    feoffset fepointlight fespecularlighting fespotlight fetile feturbulence filter font-face
    font-face-format font-face-name font-face-src font-face-uri foreignobject g glyph glyphref hkern
    image line lineargradient marker mask metadata missing-glyph mpath path pattern polygon polyline
    radialgradient rect set stop switch symbol text textpath title tref tspan use view vkern
    """.split()
)

MATHML = frozenset(
    """
    math maction annotation annotation-xml menclose merror mfenced mfrac mglyph mi mlabeledtr
    mlongdiv mmultiscripts mn mo mover mpadded mphantom mprescripts mroot mrow ms mscarries
    mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr
    munder munderover none semantics
    """.split()
)

KNOWN = HTML | SVG | MATHML

#: Elements whose content is raw text: nothing inside them is markup.
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})

#: Elements that have no content and no end tag.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
     "basefont", "bgsound", "frame", "keygen", "image", "isindex", "nextid", "spacer"}
)

#: Block-level elements: a body that opens with one of these is HTML, not Markdown (these are
#: CommonMark's HTML block start conditions 1 and 6).
BLOCK = frozenset(
    """
    address article aside base basefont blockquote body caption center col colgroup dd details dialog
    dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header
    hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search
    section summary table tbody td tfoot th thead title tr track ul pre script style textarea
    """.split()
)


def is_known(name: str) -> bool:
    """True when a browser would treat ``<name`` as a tag we should keep as markup: a known HTML,
    SVG or MathML element, a custom element (has a ``-``) or a prefixed name (``o:p``)."""
    lname = name.lower()
    return lname in KNOWN or "-" in lname or ":" in lname


#: Interface, not content: the controls of a form and the page's pop-up windows. A reader of the
#: post cannot use them anywhere but on the page (a "tip the author" button, a search box, a
#: drop-down whose options are choices, not text, a dialog the page's scripts open), so the
#: Markdown, plain-text and XHTML/EPUB writers leave them out with all they hold, as they leave
#: out scripts (HTML and JSON keep the markup as it was). What holds controls may hold content:
#: ``<form>``, ``<label>``, ``<fieldset>`` and ``<legend>`` keep their text. A task list's
#: checkbox is content, not interface: see :func:`task_box`.
INTERFACE = frozenset({"button", "input", "select", "option", "optgroup", "datalist", "textarea", "keygen", "dialog"})

#: Inside code (``<pre>``, ``<code>``, ``<kbd>``, ``<samp>``, ``<tt>``) an element is most often
#: code whose ``<`` lost its escape: ``List<Object>`` opens an ``<object>``, JSX's ``<Button>`` a
#: ``<button>``. These elements, which writers otherwise leave out, show their content in a
#: browser; in code, their text is code and stays (a highlighter's "copy code" control does not).
SHOWN_IN_CODE = frozenset({"object", "applet", "button", "nav", "form", "map", "option", "textarea"})
CODE = frozenset({"pre", "code", "kbd", "samp", "tt"})


def in_code(el: _Element, *, itself: bool = False) -> bool:
    """Whether ``el`` stands inside a code element (:data:`CODE`, any namespace), or is one."""
    for up in el.iterancestors() if not itself else [el, *el.iterancestors()]:
        tag = up.tag
        if isinstance(tag, str) and tag.rsplit("}", 1)[-1].lower() in CODE:
            return True
    return False


def code_shows(el: _Element) -> bool:
    """Whether ``el``, inside code, is code that lost its escape: its text stays (see
    :data:`SHOWN_IN_CODE`)."""
    tag = el.tag
    return isinstance(tag, str) and tag.lower() in SHOWN_IN_CODE and not is_copy_control(el)


#: Classes of the "copy code" controls that highlighters inject (often a ``<span>``, not a button).
COPY_CODE_CLASSES = frozenset({"copy-code-btn", "copy-code-button", "copy-code"})


_HIDDEN_STYLE = lazy(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def is_hidden(el: _Element) -> bool:
    """Whether an element says it is not shown: ``hidden``, ``aria-hidden="true"``, an inline
    ``display:none`` or ``visibility:hidden``."""
    return el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true" or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def is_interface(el: _Element) -> bool:
    """Whether ``el`` is interface (:data:`INTERFACE`, or an injected "copy code" control)."""
    tag = el.tag
    if not isinstance(tag, str):
        return False
    return tag.lower() in INTERFACE or is_copy_control(el)


def is_copy_control(el: _Element) -> bool:
    """Whether ``el`` is a "copy code" control a highlighter injected (left out even inside code)."""
    classes = el.get("class")
    return bool(classes) and "copy-code" in classes and not COPY_CODE_CLASSES.isdisjoint(classes.split())  # type: ignore[operator,union-attr]


_TAG_NAME = lazy(r"[A-Za-z][A-Za-z0-9-]*\Z")


def is_tag_name(name: str) -> bool:
    """True when ``name`` is a tag name as CommonMark reads one: an ASCII letter, then letters,
    digits and hyphens (every such name is an XML name too). Elements named otherwise come from
    a lost ``<`` parsed as a browser does (``--no-repair``: ``<PID,Partition>`` gives
    ``pid,partition``, ``Map<K, V>`` gives ``k,``) or from prefixed names (Word's ``o:p``): a
    browser hides the tag and shows its content, but Markdown engines would show the tag as
    text. Writers unwrap them: the content stays, the tag goes."""
    return _TAG_NAME.match(name) is not None


_HTML_SPACE = " \t\n\r\f"


def task_box(li: _Element) -> _Element | None:
    """The checkbox that makes the list item ``li`` a task (``- [x] done`` in GFM), or None.

    A task list's box is its item's state, not a control: every Markdown engine writes one as an
    ``<input type="checkbox">`` first in the item (``<li><input type="checkbox" checked disabled>
    done</li>``), inside the item's ``<p>`` in a loose list, inside a ``<label>`` for some
    markdown-it plugins. Only white space and comments may come before it. A hidden checkbox (the
    switch of a CSS-only menu) shows no state. Any other ``<input>`` is interface
    (:func:`is_interface`)."""
    el, wrappers = li, ("p", "label")
    while True:
        if (el.text or "").strip(_HTML_SPACE):
            return None
        first = None
        for child in el:
            if isinstance(child.tag, str):
                first = child
                break
            if (child.tail or "").strip(_HTML_SPACE):  # text after a comment
                return None
        if first is None:
            return None
        name = first.tag.lower()  # type: ignore[union-attr]
        if name == "input":
            return first if (first.get("type") or "").lower() == "checkbox" and not is_hidden(first) else None
        if name not in wrappers:
            return None
        el, wrappers = first, ("label",) if name == "p" else ()


def is_checked(box: _Element) -> bool:
    """Whether a checkbox is ticked: ``checked`` is there, whatever its value."""
    return box.get("checked") is not None
