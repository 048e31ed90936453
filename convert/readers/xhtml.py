"""XHTML reader: reads back what the XHTML writer wrote (and any XHTML/XML page), safely.

The XML parser resolves no entities, loads no DTD and touches no network: external entities
(XXE) read nothing, and entity-expansion bombs expand nothing.
"""

from __future__ import annotations

import json
from typing import Any

from convert.errors import ConvertError
from convert.formats import Reader, ReadOptions, XhtmlFormat
from convert.jsondoc import document_from_json
from convert.model import Document, Source


def safe_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        recover=False,
    )


class XhtmlReader(XhtmlFormat, Reader):
    def read(self, data: bytes, options: ReadOptions) -> Document:
        from lxml import etree

        from convert.xhtml.xmltext import XHTML_NS  # the XHTML package only when XHTML is read

        path = options.path or "<stdin>"
        try:
            root = etree.fromstring(data, safe_parser())
        except etree.XMLSyntaxError as err:
            line = err.lineno if err.lineno else None
            raise ConvertError(f"not well-formed XML: {err.msg}", path=path, line=line) from None
        if any(isinstance(node, etree._Entity) for node in root.iter()):
            raise ConvertError("XML entity references are not allowed in XHTML input", path=path)
        head = root.find(f"{{{XHTML_NS}}}head")
        body = root.find(f"{{{XHTML_NS}}}body")
        if body is None:
            raise ConvertError("no XHTML <body> (is this an XHTML document?)", path=path)
        carried: dict[str, Any] = {}
        title = None
        if head is not None:
            for meta in head.iter(f"{{{XHTML_NS}}}meta"):
                if meta.get("name") == "fmconvert-metadata":
                    try:
                        carried = json.loads(meta.get("content") or "{}")
                    except ValueError:
                        carried = {}
            t = head.find(f"{{{XHTML_NS}}}title")
            title = t.text if t is not None else None
        container = body
        sections = [c for c in body if c.tag == f"{{{XHTML_NS}}}section"]
        if len(sections) == 1 and len(body) == 1 and not (body.text or "").strip():
            container = sections[0]
        markup = _to_html(container)
        obj = {"schema": "fmconvert/document/1", "metadata": carried.get("metadata") or {}, "body": markup}
        for key in ("types", "key_types"):
            if carried.get(key):
                obj[key] = carried[key]
        if "metadata" not in carried and title:  # a foreign XHTML page: its <title> is all we have
            obj["metadata"] = {"title": title}
        obj["source"] = {"frontmatter": carried.get("frontmatter"), "format": "xhtml"}
        document = document_from_json(obj, path=options.path, repair=options.repair)
        document.source = Source(path=options.path, format="xhtml", frontmatter=document.source.frontmatter)
        return document


def _to_html(container: Any) -> str:
    """The content of an XHTML element as HTML markup (namespaces dropped for HTML elements)."""
    import copy

    from lxml import etree
    from lxml.html import tostring

    from convert.xhtml.xmltext import XHTML_NS

    holder = copy.deepcopy(container)
    for el in holder.iter():
        if isinstance(el.tag, str) and el.tag.startswith(f"{{{XHTML_NS}}}"):
            el.tag = el.tag.split("}", 1)[1]
    etree.cleanup_namespaces(holder)
    parts = [_escape(holder.text)] if holder.text else []
    for child in holder:
        if isinstance(child.tag, str) and child.tag.startswith("{"):
            parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
        else:
            parts.append(tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
