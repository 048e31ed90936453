"""Patterns compiled on first use (convert.lazyre): they answer as the compiled pattern does,
cost nothing until used, and the deferral of a package's patterns touches no one else's."""

from __future__ import annotations

import re
import sys
import types

import pytest

from convert.lazyre import LazyPattern, deferred_compiles, lazy


def test_a_lazy_pattern_answers_as_the_compiled_one():
    date = lazy(r"(?P<year>\d{4})-(?P<month>\d\d)", re.ASCII)
    assert date.match("2021-08 and").group("month") == "08"
    assert date.search("on 1999-12").group(0) == "1999-12"
    assert date.sub(r"\g<month>/\g<year>", "2021-08, 2022-01") == "08/2021, 01/2022"
    assert [m.group("year") for m in date.finditer("2001-01 2002-02")] == ["2001", "2002"]
    assert date.pattern == r"(?P<year>\d{4})-(?P<month>\d\d)"
    assert date.flags & re.ASCII
    assert date.groupindex["year"] == 1
    assert date.compiled() is date.compiled()
    assert isinstance(date.compiled(), re.Pattern)


def test_nothing_is_compiled_until_first_use(monkeypatch):
    calls = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda source, flags=0: calls.append(source) or real(source, flags))
    word = lazy(r"\w+")
    assert calls == []
    assert word.findall("two words") == ["two", "words"]
    assert word.fullmatch("one") is not None
    assert calls == [r"\w+"]  # once, however many methods are used


def test_a_bad_pattern_fails_when_used():
    broken = lazy("(unclosed")
    with pytest.raises(re.error):
        broken.match("x")


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def test_deferral_touches_only_the_named_package():
    with deferred_compiles("somepkg"):
        inside = _module("somepkg.reader", "import re\nP = re.compile('[a-c]+')")
        top = _module("somepkg", "import re\nP = re.compile('x')")
        other = _module("otherpkg", "import re\nP = re.compile('[a-c]+')")
        prefix = _module("somepkg2", "import re\nP = re.compile('y')")
    assert isinstance(inside.P, LazyPattern) and isinstance(top.P, LazyPattern)
    assert isinstance(other.P, re.Pattern) and isinstance(prefix.P, re.Pattern)
    assert inside.P.search("xxabcx").group(0) == "abc"
    assert re.compile("z").match("z")  # restored


def test_deferral_restores_re_compile_when_the_import_fails():
    real = re.compile
    with pytest.raises(ZeroDivisionError), deferred_compiles("somepkg"):
        1 / 0  # noqa: B018
    assert re.compile is real


def test_yaml_patterns_work_deferred():
    # the front-matter reader imports PyYAML with its patterns deferred: its resolvers still tell
    # booleans, numbers and dates from strings
    from convert.front.yamlfm import load_yaml

    assert "yaml" in sys.modules
    meta = load_yaml("a: yes\nb: 1.5\nc: 2021-08-07\nd: '2021'\ne: ~\n", 1)
    assert meta["a"] is True and meta["b"] == 1.5 and meta["d"] == "2021" and meta["e"] is None
    assert meta["c"].isoformat() == "2021-08-07"
