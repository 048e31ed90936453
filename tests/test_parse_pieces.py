"""Property: a large body is cleaned and encoded a piece at a time (convert.html.prepare_body);
the pieces' seams change nothing. The oracle is the same body prepared in one piece."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import convert.html.parse as html
from tests.conftest import examples

_ATOMS = st.sampled_from(
    [
        "<p>", "</p>", "<div class=x>", "</div>", "text ", "中文", "é", "&amp;", "&#65;", "&#x1F600;", "&#0;",
        "&#12;", "&#xD800;", "&#00000000065;", "&", "&#", "\x0c", "\x01", "\ufffe", "<Foo bar>", "a < b",
        "<!-- <p> -->", "<script>if (a<b) {}</script>", "<pre>\n x</pre>", "<br>", "<img alt='<'>",
        '<span title="a>b">t</span>', "<div " + " ".join(f"a{i}=1" for i in range(40)) + ">x</div>",
        "\n", "  ", "{{ x }}",
    ]
)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_ATOMS, max_size=60), feed=st.integers(1, 40))
@example(parts=["&#00000000065;"] * 8, feed=5)
@example(parts=["<p>", "x" * 30, "&#65;", "</p>"], feed=3)
@example(parts=["<p>x</p>", "<div " + " ".join(f"a{i}='{i}'" for i in range(3000)) + ">kept</div>", "<p>&#66;</p>"], feed=100)
def test_pieces_change_nothing(parts, feed, monkeypatch):
    markup = "".join(parts)
    monkeypatch.setattr(html, "_FEED", 10**9)
    whole = html.prepare_body(markup)
    monkeypatch.setattr(html, "_FEED", feed)
    assert html.prepare_body(markup) == whole


def test_a_start_tag_longer_than_a_piece_is_capped_whole(monkeypatch):
    monkeypatch.setattr(html, "_FEED", 1000)
    tag = "<div " + " ".join(f"a{i}='{i}'" for i in range(5000)) + ">kept</div>"
    body = html.parse_body("<p>before</p>" + tag + "<p>after</p>")
    div = body.find("div")
    assert len(div.attrib) == html.MAX_ATTRIBUTES and div.text == "kept"
    assert [p.text for p in body.iter("p")] == ["before", "after"]


def test_characters_no_tree_can_hold_are_dropped_or_replaced():
    # controls HTML forbids go (tab, line feed and carriage return stay); U+FFFE and U+FFFF,
    # which XML cannot hold, go too; a lone surrogate shows as U+FFFD, as in a browser
    body = html.parse_body("<p>a\x00b\x0bc\x7fd\ufffee\uffff\tf</p><p>中\ud800文 x\udfffy</p>")
    first, second = body.findall("p")
    assert first.text == "abcde\tf"
    assert second.text == "中\ufffd文 x\ufffdy"


def test_a_plain_body_is_left_as_it_is():
    text = "<p>Plain ASCII, é, 中文 and \U0001f600: nothing to drop.</p>"
    assert html.prepare_body(text) == f"<html><body>{text}</body></html>".encode()
