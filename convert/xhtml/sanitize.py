"""Turning an HTML body tree into content an EPUB 3 content document may hold.

Whatever the input was, the result serializes to well-formed XML that EPUBCheck accepts:

* removed: ``<script>``, ``<style>`` (the book has its own stylesheet), ``<noscript>``,
  ``<template>``, buttons and form controls that cannot work (the interface elements of
  :mod:`convert.html.tags`: ``<button>``, ``<input>``, ``<select>``, ``<textarea>``, dialogs,
  "copy code" buttons; ``<form>``, ``<label>`` and ``<fieldset>`` are unwrapped, their text
  kept; a task list's checkbox, :func:`convert.html.tags.task_box`, stays, disabled),
  event-handler attributes, ``javascript:`` URLs, comments;
* replaced: an ``<iframe>`` (an embedded video) becomes a link to its source; obsolete elements
  become their modern equivalents (``<center>`` -> ``<div>``, ``<font>`` -> ``<span>``,
  ``<tt>`` -> ``<code>``, ``<strike>`` -> ``<s>``, ``<acronym>`` -> ``<abbr>``), unknown elements
  become ``<span>`` or ``<div>``;
* attributes: only those valid on the element are kept (global ones, ``data-*``, ``aria-*`` and a
  per-element list); names that are not XML names are dropped; ``width``/``height`` must be whole
  numbers; an ``<img>`` without ``alt`` gets ``alt=""``; a ``referrerpolicy`` outside the valid
  list is dropped; an image with only ``data-src`` gets it as ``src``;
* ids are made valid (no spaces, starting with a letter) and unique;
* inline SVG and MathML go into their namespaces with their camelCase names restored;
* characters XML forbids are removed from text and attributes.

Every change is recorded (``--verbose`` lists them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from convert.html.attrs import REFERRER_POLICIES, is_language_tag
from convert.html.tags import INTERFACE, code_shows, in_code, is_checked, is_interface, is_tag_name, task_box
from convert.html.templates import holds_template
from convert.xhtml.contentmodel import repair
from convert.xhtml.xmltext import (
    EPUB_NS,
    MATHML_NS,
    SVG_NS,
    XHTML_NS,
    XLINK_NS,
    add_text,
    clean_text,
)

if TYPE_CHECKING:
    from lxml.etree import _Element

    from convert.html.held import HeldCode

#: where sanitized held code goes back in (private-use characters, never in a document: a post
#: holding them holds no code)
HELD_OPEN, HELD_CLOSE = "\ue312", "\ue313"
# Names every XML parser takes (ASCII: HTML allows names such as "aria-x²" or Liquid's "{{").
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")

DROP = INTERFACE | {"script", "style", "noscript", "template", "object", "embed", "applet", "param", "frame", "frameset", "noframes", "head", "title", "meta", "link", "base"}
UNWRAP = {"form", "html", "body", "label", "fieldset", "legend", "blink", "nobr", "multicol", "spacer", "layer", "ilayer"}
RENAME = {"center": "div", "font": "span", "big": "span", "tt": "code", "strike": "s", "acronym": "abbr", "marquee": "div", "xmp": "pre", "listing": "pre", "plaintext": "pre", "dir": "ul", "menuitem": "li", "image": "img"}
VALID = set(
    """a abbr address article aside audio b bdi bdo blockquote br canvas caption cite code col colgroup data dd
    del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd li
    main map area mark menu meter nav ol output p picture pre progress q rp rt ruby s samp search section small source
    span strong sub summary sup table tbody td tfoot th thead time tr track u ul var video wbr""".split()
)
INLINE = set("a abbr b bdi bdo br cite code data dfn em i img kbd mark q s samp small span strong sub sup time u var wbr".split())

GLOBAL_ATTRS = {"id", "class", "title", "lang", "dir", "style", "hidden", "tabindex", "role", "translate", "xml:lang"}
ELEMENT_ATTRS = {
    "a": {"href", "hreflang", "rel", "type", "download"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "referrerpolicy", "usemap", "ismap", "crossorigin", "loading", "decoding"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "video": {"src", "controls", "loop", "muted", "preload", "poster", "width", "height"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "area": {"alt", "coords", "shape", "href", "rel"},
    "map": {"name"},
    "meter": {"value", "min", "max", "low", "high", "optimum"},
    "progress": {"value", "max"},
    "canvas": {"width", "height"},
    "output": {"for", "name"},
}
BOOLEAN = {"hidden", "reversed", "controls", "loop", "muted", "default", "open", "disabled", "ismap"}
INTEGER = {"width", "height", "colspan", "rowspan", "span", "start", "value"}

SVG_ELEMENTS = {n.lower(): n for n in "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence foreignObject glyphRef linearGradient radialGradient textPath".split()}
SVG_ATTRS = {n.lower(): n for n in "attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits diffuseConstant edgeMode filterUnits glyphRef gradientTransform gradientUnits kernelMatrix kernelUnitLength keyPoints keySplines keyTimes lengthAdjust limitingConeAngle markerHeight markerUnits markerWidth maskContentUnits maskUnits numOctaves pathLength patternContentUnits patternTransform patternUnits pointsAtX pointsAtY pointsAtZ preserveAlpha preserveAspectRatio primitiveUnits refX refY repeatCount repeatDur requiredExtensions requiredFeatures specularConstant specularExponent spreadMethod startOffset stdDeviation stitchTiles surfaceScale systemLanguage tableValues targetX targetY textLength viewBox viewTarget xChannelSelector yChannelSelector zoomAndPan".split()}


class Sanitizer:
    def __init__(self, *, consume: bool = False, templates: list[str] | None = None, held: HeldCode | None = None) -> None:
        self.consume = consume  # empty the source tree as it is copied (one whole tree at a time)
        self.templates = templates or []  # template spans held out as placeholders
        self.held = held  # highlighted code held out of the source tree (convert.html.held)
        self.held_xml: list[bytes] = []  # that code sanitized, by placeholder (see serialize)
        self.changes: Counter[str] = Counter()
        self.ids: set[str] = set()
        self.suffix: dict[str, int] = {}  # a duplicated id -> the last "-N" given to it
        self.renamed: dict[str, str] = {}  # an id as written -> the id it became (the first one)
        self.boxes: set[_Element] = set()  # task items' checkboxes, found before their items are consumed

    def note(self, what: str) -> None:
        self.changes[what] += 1

    def build(self, body: _Element) -> _Element:
        """A new ``<section>`` in the XHTML namespace holding the sanitized content of ``body``."""
        from lxml import etree

        section = etree.Element(f"{{{XHTML_NS}}}section", nsmap={None: XHTML_NS, "epub": EPUB_NS})
        section.set(f"{{{EPUB_NS}}}type", "chapter")
        section.text = clean_text(body.text)
        for child in self._children(body):
            self._append(section, child, "html")
        repair(section, self.note)
        self._relink(section)
        return section

    def _relink(self, section: _Element) -> None:
        """Point ``#fragment`` links at the ids as renamed (kramdown's ``#fn:1`` is now
        ``#fn-1``); a link to an anchor the document does not have loses its ``href``, which an
        EPUB reader could not follow and EPUBCheck refuses."""
        from urllib.parse import unquote

        for el in section.iter(f"{{{XHTML_NS}}}a"):
            href = el.get("href")
            if not href or not href.startswith("#") or href == "#":
                continue
            fragment = href[1:]
            target = self.renamed.get(fragment) or self.renamed.get(unquote(fragment))
            if target is None and fragment in self.ids:
                continue
            if target is not None:
                el.set("href", "#" + target)
            else:
                del el.attrib["href"]
                self.note("link to a missing anchor unlinked")

    def _append(self, parent: _Element, node: _Element, space: str) -> None:
        """Append a sanitized copy of ``node`` (and its tail) to ``parent``."""
        from lxml import etree

        tail = clean_text(node.tail)
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None:  # comment or processing instruction
            if not isinstance(node, etree._Comment):
                self.note("processing instruction")
            add_text(parent, tail)
            return
        name = tag.lower() if space == "html" else tag
        if space == "html" and name == "svg":
            self._foreign(parent, node, SVG_NS, SVG_ELEMENTS, SVG_ATTRS, tail)
            return
        if space == "html" and name == "math":
            self._foreign(parent, node, MATHML_NS, {}, {}, tail)
            return
        if name == "li" and space == "html" and (box := task_box(node)) is not None:
            self.boxes.add(box)  # (found before the item's content is consumed)
        elif node in self.boxes:  # a task item's state, shown as it was, never to be ticked
            self.boxes.remove(node)
            state = {"checked": "checked"} if is_checked(node) else {}
            etree.SubElement(parent, f"{{{XHTML_NS}}}input", type="checkbox", disabled="disabled", **state).tail = tail
            return
        if space == "html" and (name in DROP or is_interface(node)) and code_shows(node) and in_code(parent, itself=True):
            # Code whose "<" lost its escape (List<Object>, JSX's <Button>): a browser shows its text.
            self.note(f"<{name}> in code unwrapped")
            add_text(parent, clean_text(node.text))
            for child in self._children(node):
                self._append(parent, child, space)
            add_text(parent, tail)
            return
        if name in DROP or (space == "html" and is_interface(node)):
            self.note(f"<{name}> removed")
            add_text(parent, tail)
            return
        if name == "iframe":
            self._iframe(parent, node, tail)
            return
        if name in ("a", "area") and holds_template(node.get("href")):
            # A link to a template expression ({{ post.url }}, {{< relref >}}) names no
            # resource a book can hold: its text stays, the link goes.
            self.note("link to a template expression became text")
            name = "span" if name == "a" else name
            if name == "area":
                add_text(parent, tail)
                return
            node = _without(node, "href")
        if name == "img" and holds_template(node.get("src") or node.get("data-src")):
            self.note("image with a template expression as source replaced by its alt text")
            add_text(parent, node.get("alt") or "")
            add_text(parent, tail)
            return
        if name in UNWRAP or not is_tag_name(name) or (name == "img" and not (node.get("src") or node.get("data-src") or "").strip()):
            if name == "img":
                alt = node.get("alt") or ""
                self.note("<img> without a source replaced by its alt text")
                add_text(parent, alt)
            else:
                self.note(f"<{name}> unwrapped" if name in UNWRAP else "element whose name is not a tag name unwrapped")
                add_text(parent, clean_text(node.text))
                for child in self._children(node):
                    self._append(parent, child, space)
            add_text(parent, tail)
            return
        if name in RENAME:
            self.note(f"<{name}> became <{RENAME[name]}>")
            name = RENAME[name]
        elif name not in VALID:
            new = "span" if _is_inline_context(parent) else "div"
            self.note(f"unknown <{name}> became <{new}>")
            name = new
        el = etree.SubElement(parent, f"{{{XHTML_NS}}}{name}")
        self._attributes(node, el, name)
        if self.held and node in self.held.blocks:
            self._held(el, node, space)
            el.tail = tail
            return
        el.text = clean_text(node.text)
        for child in self._children(node):
            self._append(el, child, space)
        el.tail = tail

    def _held(self, el: _Element, node: _Element, space: str) -> None:
        """The content of held code (:mod:`convert.html.held`): parsed on its own, sanitized
        into ``el`` as any content is, serialized, and left as a placeholder that
        :func:`convert.xhtml.serialize` replaces. One block's elements exist at a time."""
        from lxml import etree

        assert self.held is not None
        source = self.held.parsed(node)
        el.text = clean_text(source.text)
        for child in list(source):
            self._append(el, child, space)
        if len(el) == 0 and not el.text:
            return  # nothing to hold: the element is written empty, as it would be
        data = etree.tostring(el, encoding="utf-8", with_tail=False)
        inner = data[data.index(b">") + 1 : data.rindex(b"</")]
        for child in list(el):
            el.remove(child)
        el.text = f"{HELD_OPEN}{len(self.held_xml)}{HELD_CLOSE}"
        self.held_xml.append(inner)

    def _children(self, node: _Element) -> Iterator[_Element]:
        """The children of ``node``; when consuming, each is removed once it has been copied."""
        if not self.consume:
            yield from node
            return
        while True:
            child = next(iter(node), None)  # the first child (len() would count them all: O(n))
            if child is None:
                return
            yield child
            if child.getparent() is node:
                node.remove(child)

    def _attributes(self, node: _Element, el: _Element, name: str) -> None:
        allowed = ELEMENT_ATTRS.get(name, set())
        attrs = dict(node.items())
        if name == "img":
            if not (attrs.get("src") or "").strip() and attrs.get("data-src"):
                attrs["src"] = attrs["data-src"]
                self.note("<img> data-src used as src")
            if "alt" not in attrs:
                attrs["alt"] = ""
                self.note('alt="" added to <img>')
            policy = attrs.get("referrerpolicy")
            if policy is not None and policy not in REFERRER_POLICIES:
                del attrs["referrerpolicy"]
                self.note("invalid referrerpolicy dropped")
        for key, value in attrs.items():
            lkey = key.lower()
            value = clean_text(value) or ""
            if lkey.startswith("on"):
                self.note("event-handler attribute removed")
                continue
            if not _XML_NAME.match(lkey) and lkey != "xml:lang":  # a prefix would need its namespace
                self.note(f"attribute {_shown(key)} removed: not an XML name")
                continue
            if lkey in ("href", "src") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.note("script URL removed")
                continue
            if not (lkey in GLOBAL_ATTRS or lkey in allowed or lkey.startswith(("data-", "aria-"))):
                self.note(f"attribute {lkey!r} removed")
                continue
            if lkey in INTEGER and not value.strip().isdigit():
                self.note(f"attribute {lkey}={value!r} removed")
                continue
            if lkey in BOOLEAN:
                value = lkey
            if lkey == "id":
                value = self._unique_id(value)
            if lkey in ("href", "src") and re.search(r"\s", value.strip()):
                value = re.sub(r"\s", lambda m: f"%{ord(m.group(0)):02X}", value.strip())
            if lkey.startswith("data-") and not re.match(r"^data-[a-z0-9_.\-]+$", lkey):
                continue
            if lkey == "xml:lang":
                el.set("{http://www.w3.org/XML/1998/namespace}lang", value)
            elif lkey == "lang" and name in ("code", "pre") and not is_language_tag(value):
                self.note("lang attribute on code removed")
            else:
                el.set(lkey, value)

    def _unique_id(self, written: str) -> str:
        value = re.sub(r"\s+", "-", written.strip()) or "id"
        if not re.match(r"^[A-Za-z]", value):
            value = "id-" + value
        value = re.sub(r"[^\w.\-]", "-", value)
        if value in self.ids:
            # The next free "-N": counted per base, so 20,000 copies of one id cost linear time.
            base = value
            n = self.suffix.get(base, 1)
            while value in self.ids:
                n += 1
                value = f"{base}-{n}"
            self.suffix[base] = n
            self.note("duplicate id renamed")
        self.ids.add(value)
        self.renamed.setdefault(written, value)
        return value

    def _iframe(self, parent: _Element, node: _Element, tail: str | None) -> None:
        from lxml import etree

        src = (node.get("src") or "").strip()
        self.note("<iframe> became a link")
        if not src or src.lower().startswith("javascript:"):
            add_text(parent, tail)
            return
        if src.startswith("//"):
            src = "https:" + src
        a = etree.SubElement(parent, f"{{{XHTML_NS}}}a")
        a.set("href", re.sub(r"\s", "%20", src))
        a.text = node.get("title") or src
        a.tail = tail

    def _foreign(self, parent: _Element, node: _Element, ns: str, names: dict[str, str], attrs: dict[str, str], tail: str | None) -> None:
        from lxml import etree

        def copy(src: _Element, dst_parent: _Element) -> None:
            if not isinstance(src.tag, str):
                add_text(dst_parent, clean_text(src.tail))
                return
            local = src.tag.lower()
            if not is_tag_name(local):
                # Not a tag name (a lost "<author:" inside an <svg>): keep its text, drop the tag.
                self.note("invalid element name inside SVG/MathML dropped")
                add_text(dst_parent, clean_text(src.text))
                for child in src:
                    copy(child, dst_parent)
                add_text(dst_parent, clean_text(src.tail))
                return
            el = etree.SubElement(dst_parent, f"{{{ns}}}{names.get(local, local)}")
            for key, value in src.items():
                lkey = key.lower()
                if lkey.startswith("on") or lkey in ("xmlns",) or not _XML_NAME.match(lkey.replace(":", "_")):
                    continue
                if lkey in ("xlink:href", "href"):
                    if value.strip().lower().startswith("javascript:"):
                        continue
                    el.set(f"{{{XLINK_NS}}}href" if lkey == "xlink:href" else "href", clean_text(value) or "")
                    continue
                if ":" in lkey:
                    continue
                if lkey == "id":
                    value = self._unique_id(value)
                el.set(attrs.get(lkey, lkey), clean_text(value) or "")
            el.text = clean_text(src.text)
            for child in src:
                copy(child, el)
            el.tail = clean_text(src.tail)

        copy(node, parent)  # the root is <svg> or <math>, always a valid name
        parent[-1].tail = tail


def _without(node: _Element, attribute: str) -> _Element:
    if attribute in node.attrib:
        del node.attrib[attribute]
    return node


def _shown(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "…")


def _is_inline_context(parent: _Element) -> bool:
    """Whether an unknown element copied into ``parent`` (of the output) becomes a ``<span>``
    (else a ``<div>``). The output's parent, not the source's: an unwrapped one is looked
    through, an unknown one is what it became (``<p>List<String> and Map<K>`` stays one line)."""
    return parent.tag.rsplit("}", 1)[-1] in INLINE | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "li", "td", "th", "dt", "dd", "figcaption", "pre"}
