"""The tag table: how each kind of template tag is written in each engine, and in plain HTML.

The table is data (``tags.toml`` in this package, extended by ``[tool.fmconvert.tags]`` or a
``--tags FILE``); each table of it is one kind of tag::

    [youtube]
    hexo = "{% youtube {id} %}"              # how the engine writes it: read, and written
    hugo = "{{< youtube {id} >}}"            # a list gives alternatives (the first is written)
    write = ["hugo"]                         # engines the tag is written for; others get html
    html = '<iframe src="https://www.youtube.com/embed/{id}"></iframe>'
    function = "youtube"                     # a function completing the arguments (functions.py)

In a pattern ``{name}`` is an argument taken by position (or by a key of that name),
``key={name}`` one taken by key, ``{name?}`` an optional one, ``{name...}`` the remaining
arguments. A pattern ending in another tag pairs them; the content between is ``{inner}``
(markup, converted on its own), ``{code}`` (code), or any other name (content a function reads).
In ``html``, ``{name}`` is written escaped (``{code}`` too; a name ending in ``_html`` as it is)
and ``{?name}...{/name}`` only when ``name`` is not empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ENGINES = ("hexo", "jekyll", "hugo", "wordpress")
KEYS = frozenset({*ENGINES, "html", "write", "function"})


_DELIMS = (("{{<", ">}}", "sc"), ("{{%", "%}}", "scmd"), ("{%", "%}", "tag"), ("{{", "}}", "var"), ("[", "]", "wp"))
_PARAM = re.compile(r"\{(\w+)(\.\.\.|\?)?\}")
_ARG_ITEM = re.compile(r"""(?:[^\s"'`]+|"(?:\\.|[^"\\])*"|'[^']*'|`[^`]*`)+""")


@dataclass
class Spec:
    param: str
    key: str = ""  # key= or key: ("" for a positional)
    sep: str = ""  # "=" or ":"
    rest: bool = False
    optional: bool = False
    literal: str = ""  # a word written as it is


@dataclass
class Pattern:
    engine: str
    text: str
    syntax: str
    name: str
    specs: list[Spec] = field(default_factory=list)
    inner: str = ""  # the content's parameter of a paired tag
    end_name: str = ""  # the closing tag's name ("endcodeblock", "highlight" of {{< /highlight >}})
    regex: re.Pattern[str] | None = None  # a {{ ... }} expression, matched whole

    @property
    def paired(self) -> bool:
        return bool(self.end_name)


def _split_tag(text: str) -> tuple[str, str, str, str] | None:
    """(syntax, opener, inside, rest) of the tag at the start of ``text``."""
    for opener, closer, syntax in _DELIMS:
        if text.startswith(opener):
            end = text.find(closer, len(opener))
            if end < 0:
                return None
            return syntax, opener, text[len(opener) : end], text[end + len(closer) :]
    return None


def parse_pattern(engine: str, text: str) -> Pattern:
    """A pattern from its text; ValueError says what is wrong with it."""
    split = _split_tag(text.strip())
    if split is None:
        raise ValueError(f"{text!r} is not a tag (it must start with {{% , {{{{, {{{{<, {{{{% or [)")
    syntax, _, inside, rest = split
    if syntax == "var":
        if rest:
            raise ValueError(f"{text!r}: a {{{{ ... }}}} expression cannot be paired")
        return Pattern(engine, text, syntax, _var_name(inside), regex=_var_regex(inside))
    words = inside.strip().split()
    if not words or _PARAM.fullmatch(words[0]):
        raise ValueError(f"{text!r} has no tag name")
    pattern = Pattern(engine, text, syntax, words[0].lstrip("/"))
    for word in words[1:]:
        pattern.specs.append(_spec(word, text))
    if rest:
        m = re.fullmatch(r"\{(\w+)\}(.+)", rest, re.DOTALL)
        end = _split_tag(m.group(2)) if m else None
        if m is None or end is None or end[3].strip():
            raise ValueError(f"{text!r}: after the tag, only {{content}} and the closing tag may follow")
        pattern.inner = m.group(1)
        end_words = end[2].strip().split()
        if not end_words:
            raise ValueError(f"{text!r}: the closing tag has no name")
        pattern.end_name = end_words[0].lstrip("/")
    return pattern


def _spec(word: str, text: str) -> Spec:
    m = re.fullmatch(r"(?:([\w-]+)([=:]))?\{(\w+)(\.\.\.|\?)?\}", word)
    if m is None:
        if "{" in word:
            raise ValueError(f"{text!r}: cannot read the argument {word!r}")
        return Spec(param="", literal=word)
    return Spec(param=m.group(3), key=m.group(1) or "", sep=m.group(2) or "", rest=m.group(4) == "...", optional=m.group(4) == "?" or bool(m.group(1)))


def _var_name(inside: str) -> str:
    words = [w for w in re.split(r"[\s|]+", inside) if w and not _PARAM.fullmatch(w)]
    return words[-1] if words else ""


def _var_regex(inside: str) -> re.Pattern[str]:
    parts = [r"\{\{-?\s*"]
    for piece in re.split(r"(\{\w+\}|\s+)", inside.strip()):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s*")
        elif _PARAM.fullmatch(piece):
            parts.append(rf"(?P<{piece[1:-1]}>\"[^\"]*\"|'[^']*'|[^\s|}}]+)")
        else:
            parts.append(re.escape(piece))
    parts.append(r"\s*-?\}\}")
    return re.compile("".join(parts), re.DOTALL)


def split_args(args: str) -> list[str]:
    """The arguments of a tag as the engines split them: at white space outside quotes."""
    return _ARG_ITEM.findall(args)


def unquote(item: str) -> str:
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "\"'`":
        inner = item[1:-1]
        return inner.replace('\\"', '"') if item[0] == '"' else inner
    return item


def match_args(pattern: Pattern, args: str) -> dict[str, Any] | None:
    """The parameters ``args`` give ``pattern`` (None: a required one is missing)."""
    items = split_args(args)
    keyed: dict[str, str] = {}
    positional: list[str] = []
    declared = {s.key: s.sep for s in pattern.specs if s.key}
    for item in items:
        m = re.match(r"([\w-]+)([=:])(.*)\Z", item, re.DOTALL)
        if m and (m.group(2) == "=" or declared.get(m.group(1)) == ":"):
            keyed[m.group(1)] = unquote(m.group(3))
        else:
            positional.append(unquote(item))
    params: dict[str, Any] = {}
    for spec in pattern.specs:
        if not spec.param:
            if positional and positional[0] == spec.literal:
                positional.pop(0)
            continue
        if spec.key:
            params[spec.param] = keyed.pop(spec.key, "")
        elif spec.rest:
            params[spec.param] = list(positional)
            positional.clear()
        elif spec.param in keyed:
            params[spec.param] = keyed.pop(spec.param)
        elif positional:
            params[spec.param] = positional.pop(0)
        elif spec.optional:
            params[spec.param] = ""
        else:
            return None
    params.update({k: v for k, v in keyed.items() if k not in params})
    return params


@dataclass
class Entry:
    kind: str
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    html: str | None = None
    write: tuple[str, ...] = ()
    function: str = ""


@dataclass
class Table:
    entries: dict[str, Entry] = field(default_factory=dict)
    _by_name: dict[tuple[str, str, str], list[tuple[Entry, Pattern]]] = field(default_factory=dict)
    _vars: dict[str, list[tuple[Entry, Pattern]]] = field(default_factory=dict)
    _ends: dict[tuple[str, str], tuple[Entry, Pattern]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[Entry]) -> Table:
        """A table of ``entries`` (a later entry of a name replaces an earlier one)."""
        table = cls()
        for entry in entries:
            table.entries[entry.kind] = entry
        table._index()
        return table

    def _index(self) -> None:
        self._by_name.clear()
        self._vars.clear()
        self._ends.clear()
        for entry in self.entries.values():
            for engine, patterns in entry.patterns.items():
                for pattern in patterns:
                    if pattern.syntax == "var":
                        self._vars.setdefault(engine, []).append((entry, pattern))
                        continue
                    self._by_name.setdefault((engine, _family(pattern.syntax), pattern.name), []).append((entry, pattern))
                    if pattern.paired:
                        self._ends[engine, pattern.end_name] = (entry, pattern)

    def candidates(self, engine: str, syntax: str, name: str) -> list[tuple[Entry, Pattern]]:
        return self._by_name.get((engine, _family(syntax), name), [])

    def variables(self, engine: str) -> list[tuple[Entry, Pattern]]:
        return self._vars.get(engine, [])

    def closes(self, engine: str, name: str) -> bool:
        """Whether ``name`` is the end tag of a paired tag of ``engine`` (``endcodeblock``)."""
        return (engine, name) in self._ends

    def wordpress_names(self) -> frozenset[str]:
        return frozenset(p.name for e in self.entries.values() for p in e.patterns.get("wordpress", ()))


def _family(syntax: str) -> str:
    return "sc" if syntax in ("sc", "scmd") else syntax


def make_entry(kind: str, data: Any, where: Any) -> Entry:
    """An entry from its TOML table; ``where(key)`` gives the error for a key (file and line)."""
    if not isinstance(data, dict):
        raise where(None, f"[{kind}] must be a table")
    entry = Entry(kind)
    for key, value in data.items():
        if key not in KEYS:
            raise where(key, f"unknown key {key!r} in [{kind}] (one of {', '.join(sorted(KEYS))})")
        if key in ENGINES:
            texts = [value] if isinstance(value, str) else value
            if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
                raise where(key, f"[{kind}] {key} must be a pattern or a list of patterns")
            try:
                entry.patterns[key] = [parse_pattern(key, t) for t in texts]
            except ValueError as err:
                raise where(key, f"[{kind}] {key}: {err}") from None
        elif key == "html":
            if not isinstance(value, str):
                raise where(key, f"[{kind}] html must be a string")
            entry.html = value
        elif key == "write":
            if not isinstance(value, list) or not all(v in ENGINES for v in value):
                raise where(key, f"[{kind}] write must list engines ({', '.join(ENGINES)})")
            entry.write = tuple(value)
        else:
            from convert.templates.functions import FUNCTIONS

            if value not in FUNCTIONS:
                raise where(key, f"[{kind}] function {value!r} is not one of {', '.join(sorted(FUNCTIONS))}")
            entry.function = value
    if not entry.patterns:
        raise where(None, f"[{kind}] names no engine's pattern ({', '.join(ENGINES)})")
    return entry
