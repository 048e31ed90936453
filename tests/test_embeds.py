"""Embedded media (iframes, video, audio) wherever they stand: kept as HTML, and shown by every
engine where the source shows them.

fixtures/markdown/embeds.html holds them in paragraphs (alone, first, in mid-line, after a
break), list items, a quote, a table cell, a link and a loose run of text; embeds.md is the
Markdown for it (the default profile), checked by tests/test_markdown.py.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

import convert
from tests.components import require
from tests.conftest import FIXTURES
from tests.render_engines import COMPONENT, ENGINES, PROFILE, difference, signature, source_signature

EMBEDS = FIXTURES / "markdown" / "embeds.html"


def embedded(markup: str) -> list[tuple[str, str]]:
    body = lxml_html.fragment_fromstring(markup or "<p></p>", create_parent="div")
    return [(el.tag, el.get("src") or "") for el in body.iter("iframe", "video", "audio")]


def markdown(html: str, profile: str = "gfm") -> str:
    return convert.write(convert.read(html.encode(), "html"), "markdown", profile=profile).decode()


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_engine_shows_the_embeds_where_the_source_has_them(engine):
    require(*COMPONENT[engine])
    md = convert.write(convert.read_file(EMBEDS), "markdown", profile=PROFILE[engine]).decode()
    rendered = ENGINES[engine]([md])[0]
    assert embedded(rendered) == embedded(EMBEDS.read_text())
    assert difference(source_signature(str(EMBEDS))[0], signature(rendered)) is None


def test_an_iframe_in_a_paragraph_is_kept():
    assert markdown('<p><iframe src="https://v.example.com/e/1" allowfullscreen></iframe></p>') == '<p><iframe src="https://v.example.com/e/1" allowfullscreen></iframe></p>\n'
    # in mid-line it is inline HTML; the text around it stays Markdown
    assert markdown('<p>See <iframe src="https://v.example.com/e/2"></iframe> and <em>this</em>.</p>') == 'See <iframe src="https://v.example.com/e/2"></iframe> and *this*.\n'


def test_a_line_never_opens_with_an_iframe_in_running_text():
    # "<iframe" at a line start opens an HTML block (CommonMark type 6): the break before it is
    # <br> on the same line, and iframes that open a paragraph are a paragraph of their own.
    assert markdown('<p>One<br><iframe src="https://v.example.com/e/3"></iframe><br>two</p>') == 'One<br><iframe src="https://v.example.com/e/3"></iframe>\\\ntwo\n'
    assert markdown('<p><iframe src="https://v.example.com/e/4"></iframe> <b>Caption</b></p>') == '<p><iframe src="https://v.example.com/e/4"></iframe></p>\n\n**Caption**\n'


def test_video_and_audio_in_text_and_an_iframe_in_a_list_item_with_text():
    assert markdown('<p>Hear <audio src="a.mp3" controls></audio> now</p>') == 'Hear <audio src="a.mp3" controls></audio> now\n'
    assert markdown('<ul><li>Map: <iframe src="https://m.example.com/?q=x"></iframe></li></ul>') == '- Map: <iframe src="https://m.example.com/?q=x"></iframe>\n'


def test_for_kramdown_text_holding_an_iframe_is_an_html_paragraph():
    # kramdown shows an <iframe> inside a line of Markdown as text: the paragraph stays HTML
    # (its text HTML-escaped, not Markdown-escaped), and so does a table with one in a cell.
    assert markdown('<p>A &lt;b&gt; *star* <iframe src="https://v.example.com/e/5"></iframe> end</p>', "jekyll") == '<p>A &lt;b&gt; *star* <iframe src="https://v.example.com/e/5"></iframe> end</p>\n'
    assert markdown('<ul><li>Map: <iframe src="https://m.example.com/?q=y"></iframe></li></ul>', "jekyll") == '- <div>Map: <iframe src="https://m.example.com/?q=y"></iframe></div>\n'
    table = markdown('<table><tr><th>a</th></tr><tr><td><iframe src="https://v.example.com/e/6"></iframe></td></tr></table>', "jekyll")
    assert table.startswith("<table>") and '<td><iframe src="https://v.example.com/e/6"></iframe></td>' in table
    # alone in its paragraph, it starts a block: no change is needed
    assert markdown('<p><iframe src="https://v.example.com/e/7"></iframe></p>', "jekyll") == '<p><iframe src="https://v.example.com/e/7"></iframe></p>\n'


@pytest.mark.parametrize("profile", ["gfm", "hexo", "hugo", "jekyll"])
def test_embeds_markdown_is_a_fixed_point(profile):
    first = convert.write(convert.read_file(EMBEDS), "markdown", profile=profile)
    assert convert.write(convert.read(first, "markdown", path="p.md"), "markdown", profile=profile) == first
    html = convert.write(convert.read(first, "markdown", path="p.md"), "html")
    assert convert.write(convert.read(html, "html", path="p.html"), "markdown", profile=profile) == first
