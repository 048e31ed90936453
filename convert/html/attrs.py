"""Vocabularies of HTML attribute values, one home each: language tags (``lang``, a book's
language, a post's ``lang``/``language``/``locale``), referrer policies (``referrerpolicy``) and
the candidates of a ``srcset``.

A leaf: it imports nothing of :mod:`convert`, so the CLI, the XHTML sanitizer and the writers can
all take these rules from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The shape of a BCP 47 language tag: a 2-3 letter language, then subtags of 1-8 letters or
#: digits joined by hyphens (``en``, ``pt-BR``, ``zh-Hans``, ``en-x-twain``). The registry of
#: subtags is not consulted: the shape is what EPUB readers and browsers rely on.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


#: The referrer policies of the WHATWG Referrer Policy spec, in its order (the empty string means
#: the default policy).
REFERRER_POLICIES: tuple[str, ...] = (
    "",
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)


def is_language_tag(text: str) -> bool:
    """Whether ``text``, exactly as written, is a language tag (no spaces, no ``_``)."""
    return LANGUAGE_TAG.fullmatch(text) is not None


def language_tag(text: str) -> str | None:
    """``text`` as a language tag: surrounding spaces dropped, ``_`` read as ``-`` (``pt_BR``, the
    POSIX locale spelling, is ``pt-BR``); None when it is not one."""
    tag = text.strip().replace("_", "-")
    return tag if is_language_tag(tag) else None


def parse_srcset(value: str) -> list[tuple[str, str]]:
    """The ``(url, descriptor)`` candidates of a ``srcset`` value (``a.png 1x, a@2x.png 2x``): split
    on commas, each candidate on its first run of whitespace (a space, a tab, a line feed); the
    descriptor is ``""`` when there is none. A comma inside a URL is not told apart."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            candidates.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return candidates


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` value's candidates, in order."""
    return [url for url, _ in parse_srcset(value)]


def format_srcset(candidates: Iterable[tuple[str, str]]) -> str:
    """A ``srcset`` value of ``(url, descriptor)`` candidates: ``a.png 1x, a@2x.png 2x``."""
    return ", ".join(f"{url} {descriptor}" if descriptor else url for url, descriptor in candidates)
