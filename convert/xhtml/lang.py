"""A document's language: the one its front matter names, else guessed from its text's script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from convert.html.attrs import language_tag
from convert.html.tags import is_interface

if TYPE_CHECKING:
    from lxml.etree import _Element

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def metadata_language(metadata: dict[str, Any]) -> str | None:
    """The language tag the front matter names (``lang``, ``language``, ``locale``), if any."""
    for key in ("lang", "language", "locale"):
        value = metadata.get(key)
        tag = language_tag(value) if isinstance(value, str) else None
        if tag:
            return tag
    return None


def detect_language(metadata: dict[str, Any], text: str) -> str:
    """``lang``/``language`` from the metadata, else guessed from the text's script."""
    named = metadata_language(metadata)
    if named:
        return named
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return "en"
    if len(_KANA.findall(sample)) > letters * 0.05:
        return "ja"
    if len(_HANGUL.findall(sample)) > letters * 0.2:
        return "ko"
    if len(_CJK.findall(sample)) > letters * 0.3:
        return "zh"
    return "en"


def text_sample(body: _Element, size: int = 20000) -> str:
    """The first ``size`` characters of the body's text (enough to tell its language), read as
    code is read (:func:`convert.html.held.code_text`: a "copy code" button is not text). Walks
    with an iterator per open element: the children of a large body are never listed."""
    parts: list[str] = [body.text or ""]
    total = len(parts[0])
    stack: list[tuple[_Element, Iterator[_Element]]] = [(body, iter(body))]
    while stack and total < size:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            piece = el.tail or "" if stack else ""
        elif not isinstance(child.tag, str) or is_interface(child):
            piece = child.tail or ""
        else:
            piece = "\n" if child.tag == "br" else child.text or ""
            stack.append((child, iter(child)))
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]
