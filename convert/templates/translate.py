"""The pass over a post's markup before it is parsed: the source engine's live template code is
held out (kept live), translated through the tag table (into the target engine's tag, held, or
into HTML, parsed with the rest), or handled as ``--unknown-tags`` says; what the source engine
shows as text (``{% raw %}`` content, Hugo's ``{{</* */>}}``, and everything in a post of no
engine) is left in the markup as text, for the writer to escape for the target
(:mod:`convert.templates.shown`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from convert.errors import ConvertError
from convert.html.templates import CLOSE, OPEN, restore
from convert.templates.functions import FUNCTIONS
from convert.templates.plan import Plan
from convert.templates.render import engine_parts, html_parts
from convert.templates.shown import escape_text
from convert.templates.spans import (
    Malformed,
    Token,
    code_ranges,
    hugo_tokens,
    liquid_tokens,
    nunjucks_tokens,
    snippet,
    wordpress_tokens,
)
from convert.templates.table import Entry, Pattern, Table, match_args

_BLOCK = re.compile(r"\s*<(?:figure|pre|blockquote|iframe|div|p|video|audio|table|ul|ol|h[1-6])[\s>]", re.IGNORECASE)
_OPEN_P = re.compile(r"<p(?:\s[^<>]*)?>\s*\Z", re.IGNORECASE)
_CLOSE_P = re.compile(r"\s*</p\s*>", re.IGNORECASE)


def tokenize(markup: str, engine: str, language: str, table: Table) -> list[Token]:
    if engine == "jekyll":
        return liquid_tokens(markup)
    if engine == "hexo":
        return nunjucks_tokens(markup, language)
    if engine == "hugo":
        return hugo_tokens(markup)
    if engine == "wordpress":
        return wordpress_tokens(markup, table.wordpress_names())
    return []


def prepare(markup: str, plan: Plan, language: str = "html") -> tuple[str, list[str]]:
    """``markup`` with its template code handled as ``plan`` says, and the spans held out (put
    back by :func:`convert.html.templates.restore`). ``language``: ``html`` or ``markdown``.
    (:func:`convert.templates.run.run_pass` calls this when the markup may hold any.)"""
    engine = plan.engine_of(markup, language)
    plan.report.engine = engine
    if engine == "none":
        return markup, []
    spans: list[str] = []
    try:
        tokens = tokenize(markup, engine, language, plan.table)
        if not tokens:
            return markup, []
        out = _Pass(markup, tokens, engine, plan, language, spans).convert(0, len(tokens), 0, len(markup), False)
    except Malformed as err:
        line = plan.line_offset + markup.count("\n", 0, err.pos) + 1
        raise ConvertError(err.message, path=plan.path, line=line) from None
    return out, spans


@dataclass
class _Match:
    entry: Entry
    pattern: Pattern
    params: dict[str, Any]


class _Pass:
    def __init__(self, markup: str, tokens: list[Token], engine: str, plan: Plan, language: str, spans: list[str]) -> None:
        self.markup = markup
        self.tokens = tokens
        self.engine = engine
        self.plan = plan
        self.language = language
        self.spans = spans
        self.ends: dict[int, str] = {}  # a closing token's index -> what it becomes
        self._code: list[tuple[int, int]] | None = None

    # ---- the walk ---------------------------------------------------------------------------
    def convert(self, lo: int, hi: int, start: int, end: int, code: bool) -> str:
        out: list[str] = []
        last = start
        i = lo
        while i < hi:
            tok = self.tokens[i]
            out.append(self.markup[last : tok.start])
            if i in self.ends:
                piece, i, after = self.ends.pop(i), i + 1, tok.end
            elif tok.shown is not None:
                out.append(tok.shown)
                last, i = tok.end, i + 1
                continue
            else:
                piece, i, after = self.one(i, hi, code)
            last = self.unwrap(out, piece, after) if not code and self.language == "html" else after
            out.append(piece)
        out.append(self.markup[last:end])
        return "".join(out)

    def unwrap(self, out: list[str], piece: str, after: int) -> int:
        """A block (a figure, a code block) that stands alone in a ``<p>`` takes the paragraph's
        place, as a browser closes the paragraph before it: the ``<p>`` and ``</p>`` around it
        go. Where to go on from."""
        if not _BLOCK.match(piece) or not out:
            return after
        before = _OPEN_P.search(out[-1])
        close = _CLOSE_P.match(self.markup, after)
        if before is None or close is None:
            return after
        out[-1] = out[-1][: before.start()]
        return close.end()

    def text_of(self, i: int, k: int | None = None) -> str:
        return self.markup[self.tokens[i].start : self.tokens[i if k is None else k].end]

    def one(self, i: int, hi: int, code: bool) -> tuple[str, int, int]:
        tok = self.tokens[i]
        found = self.match(tok)
        k = None
        if found is not None and found.pattern.paired and tok.inner is None:
            k = self.closing(i, hi, found.pattern)
        same = self.engine == self.plan.target
        if found is None and not same and self.closes_a_pair(tok):
            raise Malformed(tok.start, f"'{snippet(self.text_of(i))}' closes no tag")
        if same:
            self.count("kept live")
            if k is not None and found is not None and found.pattern.inner != "inner":
                return self.hold(self.text_of(i, k)), k + 1, self.tokens[k].end
            return self.hold(self.text_of(i)), i + 1, tok.end
        if found is None:
            return self.unknown(i, code), i + 1, tok.end
        params = found.params
        if k is not None and found.pattern.inner != "inner":
            params[found.pattern.inner] = self.convert(i + 1, k, tok.end, self.tokens[k].start, True)
        elif tok.inner is not None and found.pattern.inner:
            params[found.pattern.inner] = tok.inner
        done = self.complete(found)
        if done is None:
            return self.unknown(i, code), i + 1, tok.end
        entry, params = done
        self.count("translated")
        before, after = self.render(entry, params)
        if k is None:
            return before + after, i + 1, tok.end
        if found.pattern.inner == "inner":
            self.ends[k] = after
            return before, i + 1, tok.end
        return before + after, k + 1, self.tokens[k].end

    # ---- matching ---------------------------------------------------------------------------
    def match(self, tok: Token) -> _Match | None:
        table = self.plan.table
        if tok.syntax == "var":
            text = self.markup[tok.start : tok.end]
            for entry, pattern in table.variables(self.engine):
                m = pattern.regex.fullmatch(text) if pattern.regex else None
                if m:
                    return _Match(entry, pattern, {k: v for k, v in m.groupdict().items()})
            return None
        if tok.syntax == "comment" or tok.closing:
            return None
        for entry, pattern in table.candidates(self.engine, tok.syntax, tok.name):
            params = match_args(pattern, tok.args)
            if params is not None:
                return _Match(entry, pattern, params)
        return None

    def closes_a_pair(self, tok: Token) -> bool:
        if tok.syntax == "tag":
            return self.plan.table.closes(self.engine, tok.name)
        return tok.closing and self.plan.table.closes(self.engine, tok.name)

    def closing(self, i: int, hi: int, pattern: Pattern) -> int:
        """The index of the token closing the paired tag at ``i`` (nested ones counted)."""
        depth = 0
        opener = self.tokens[i]
        for j in range(i + 1, hi):
            tok = self.tokens[j]
            if tok.syntax != opener.syntax and {tok.syntax, opener.syntax} != {"sc", "scmd"}:
                continue
            ends = tok.name == pattern.end_name and (tok.closing if tok.syntax != "tag" else True)
            if ends:
                if depth == 0:
                    return j
                depth -= 1
            elif tok.name == opener.name and not tok.closing and tok.inner is None:
                depth += 1
        end = {"tag": f"{{% {pattern.end_name} %}}", "sc": f"{{{{< /{pattern.end_name} >}}}}", "scmd": f"{{{{% /{pattern.end_name} %}}}}"}.get(opener.syntax, f"[/{pattern.end_name}]")
        raise Malformed(opener.start, f"'{snippet(self.text_of(i))}' is never closed (no '{end}')")

    def complete(self, found: _Match) -> tuple[Entry, dict[str, Any]] | None:
        """The entry and parameters after the entry's function (which may name another entry)."""
        entry, params = found.entry, found.params
        for _ in range(2):
            if not entry.function:
                return entry, params
            result = FUNCTIONS[entry.function](params, self.plan)
            if result is None:
                return None
            other = result.get("kind")
            if not other or other == entry.kind:
                return entry, result
            if other not in self.plan.table.entries:
                return None
            entry, params = self.plan.table.entries[other], {k: v for k, v in result.items() if k != "kind"}
        return entry, params

    # ---- writing ----------------------------------------------------------------------------
    def render(self, entry: Entry, params: dict[str, Any]) -> tuple[str, str]:
        target = self.plan.target
        if target in entry.write and target in entry.patterns and entry.patterns[target][0].syntax != "var":
            start, end = engine_parts(entry.patterns[target][0], params)
            return self.hold(start), (self.hold(end) if end else "")
        before, after = html_parts(entry.html or "", params)
        if self.language == "markdown" and "<pre" in before:
            before = before.replace("\n", "&#10;")  # one HTML block: a blank line would end it
        return before, after

    def unknown(self, i: int, code: bool) -> str:
        text = self.text_of(i)
        policy = self.plan.unknown
        if policy == "keep":
            self.count("kept live")
            return self.hold(text)
        if policy == "html-comment":
            self.count("commented")
            # (escaped for the target: Liquid runs inside HTML comments too)
            return self.hold("<!-- " + escape_text(text.replace("--", "- -"), self.plan.target, head=False) + " -->")
        if policy == "fail":
            raise Malformed(self.tokens[i].start, f"template code '{snippet(text)}' has no {self.plan.target if self.plan.target != 'none' else 'plain HTML'} equivalent (--unknown-tags fail)")
        self.count("shown as text")
        return self.as_text(text, code, self.tokens[i].start)

    def as_text(self, text: str, code: bool, at: int) -> str:
        """``text`` written into the markup so that it shows as written."""
        if code:
            return text
        if self.language == "markdown":
            if self._code is None:
                self._code = code_ranges(self.markup, "markdown")
            if any(a <= at < b for a, b in self._code):
                return text
            return "".join(f"&#{ord(ch)};" if (ch in "\\`*_{}[]()#+-.!|<>&\"'~^:" ) else ch for ch in text)
        return escape(text, quote=True)

    def hold(self, text: str) -> str:
        if OPEN in text:
            text = restore(text, self.spans)
        self.spans.append(text)
        return f"{OPEN}{len(self.spans) - 1}{CLOSE}"

    def count(self, kind: str) -> None:
        self.plan.report.counts[kind] += 1
