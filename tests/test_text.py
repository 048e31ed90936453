"""The plain-text writer (``-t text``, html2text underneath): fixtures with the expected text side
by side, and the soups that guard the Markdown writer: nothing a browser shows is lost."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import convert
from tests.conftest import FIXTURES, examples, run_cli
from tests.test_markdown import _INLINE, _TREE

TEXT = FIXTURES / "text"
OPTIONS = json.loads((TEXT / "options.json").read_text())


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_text_matches_the_expected_file(name):
    result = run_cli("convert", str(TEXT / f"{name}.html"), "-t", "text", *OPTIONS[name])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (TEXT / f"{name}.txt").read_text(encoding="utf-8")


def test_the_text_layout_gets_lxml_html_trees_from_every_reader(post):
    """The plain-text layout removes and unwraps nodes with lxml.html's drop_tree and drop_tag:
    every node of a body (comments too), whichever format it was
    read from, is an lxml.html node that has them."""
    from lxml.html import HtmlMixin

    doc = convert.read_file(post)
    doc.body.append(lxml_html.fragment_fromstring("<p>a<!-- note -->b</p>"))
    for read in (doc, convert.read(convert.write(doc, "json"), "json"), convert.read(convert.write(doc, "xhtml"), "xhtml")):
        nodes = list(read.body.iter())
        assert all(isinstance(node, HtmlMixin) for node in nodes), [type(n) for n in nodes if not isinstance(n, HtmlMixin)]
    assert any(type(node).__name__ == "HtmlComment" for node in doc.body.iter())  # a comment too


def test_aliases_extension_and_batch(tmp_path):
    src = TEXT / "zh-header.html"
    for name in ("txt", "plain"):
        assert run_cli("convert", str(src), "-t", name).stdout == run_cli("convert", str(src), "-t", "text").stdout
    out = tmp_path / "post.txt"
    assert run_cli("convert", str(src), "-o", str(out)).returncode == 0 and out.read_text(encoding="utf-8").startswith("夜市里的修表匠\n")
    batch = run_cli("batch", str(TEXT), "-o", str(tmp_path / "texts"), "-t", "text", "--text-links", "none", "--include", "*.html")
    assert batch.returncode == 0, batch.stderr
    made = sorted(p.name for p in (tmp_path / "texts").glob("*.txt"))
    assert made == sorted(f"{n}.txt" for n in OPTIONS)
    assert "[1]" not in (tmp_path / "texts" / "en-basics.txt").read_text()


def test_with_text_adds_the_plain_text_to_json_and_json_lines(tmp_path):
    import jsonschema

    schema = json.loads((FIXTURES.parent / "convert" / "schema" / "document.schema.json").read_text())
    one = json.loads(run_cli("convert", str(TEXT / "en-basics.html"), "-t", "json", "--with-text").stdout)
    jsonschema.validate(one, schema)
    assert one["text"].startswith("We print about forty books") and "[1] https://example.org/press" in one["text"]
    assert "<p>" in one["body"]  # the body is still the HTML
    lines = run_cli("batch", str(TEXT), "-t", "jsonl", "--jsonl", "-", "--with-text", "--include", "*.html").stdout.decode().splitlines()
    docs = [json.loads(line) for line in lines]
    assert len(docs) == len(OPTIONS) and all(isinstance(d["text"], str) and d["text"] for d in docs)
    for d in docs:
        jsonschema.validate(d, schema)
    plain = json.loads(run_cli("convert", str(TEXT / "en-basics.html"), "-t", "json").stdout)
    assert "text" not in plain


def test_not_text_is_left_out_and_visible_text_kept():
    page = (
        '<nav><a href="/">Home</a></nav><p>Kept <span hidden>hidden</span><span aria-hidden="true">icon</span>'
        '<span style="display: none">none</span> text.</p><button>Click</button><form><p>Form text</p><input value="v">'
        '<select><option>Choice</option></select><textarea>Typed</textarea></form><dialog open><p>Pop-up</p></dialog>'
        "<script>x()</script><style>p{}</style><template><p>t</p></template><!-- a comment --><noscript>ns</noscript>"
        '<pre><code class="hljs"><span class="hljs-keyword">let</span> x<span class="copy-code-btn">复制代码</span></code></pre>'
        "<p><q>quoted</q> and <sup>2</sup> and <del>gone?</del> no, shown.</p>"
    )
    text = convert.write(convert.Document(body_html=page), "text").decode()
    for hidden in ("Home", "hidden", "icon", "none", "Click", "Choice", "Typed", "Pop-up", "x()", "p{}", ">t<", "a comment", "ns", "复制代码"):
        assert hidden not in text, hidden
    assert "Kept text." in re.sub(r"\s+", " ", text)
    assert "\nForm text\n" in text  # a form is not interface, its controls are: a page may wrap its article in one
    assert "let x" in text and "\u201cquoted\u201d and 2 and gone? no, shown." in text


def visible_words(markup: str) -> str:
    """What a browser shows, images as their alt text, whitespace left out."""
    tree = lxml_html.document_fromstring("<html><body>" + markup + "</body></html>")
    for img in tree.iter("img"):
        img.tail = " " + (img.get("alt") or "") + " " + (img.tail or "")
    return re.sub(r"\s+", "", tree.find("body").text_content())


def _is_subsequence(needle: str, haystack: str) -> tuple[bool, str]:
    it = iter(haystack)
    extra = []
    for ch in needle:
        for got in it:
            if got == ch:
                break
            extra.append(got)
        else:
            return False, "".join(extra)
    extra.extend(it)
    return True, "".join(extra)


def _check(markup: str, decorations: str) -> None:
    doc = convert.Document(body_html=markup)
    text = convert.write(doc, "text", text_links="none").decode()
    shown = visible_words(markup)
    got = re.sub(r"\s+", "", text)
    ok, extra = _is_subsequence(shown, got)
    assert ok, f"lost text: {shown!r} not in {got!r}"
    assert set(extra) <= set(decorations), f"added {extra!r}"


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_INLINE, st.sampled_from(["<p>{}</p>", "<h2>{}</h2>", "<blockquote><p>{}</p></blockquote>", "<ul><li>{}</li></ul>", "<ol><li>{}</li></ol>", "<table><tr><th>{}</th></tr><tr><td>x</td></tr></table>"]))
def test_inline_soup_keeps_every_visible_character_in_order(inline, block):
    # The only characters text adds are list marks, numbers and table rules.
    _check(block.format(inline), "-0123456789.|")


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TREE)
def test_block_soup_keeps_every_visible_character_in_order(body):
    _check(body, "-0123456789.*")


@pytest.mark.parametrize("soup", ["a <b>b</b>c", "<em>x</em><strong>y</strong>", "a<br>b", "x &amp; &lt;y&gt; \\*z\\*", "中文<em>强调</em>。", html.escape("[a](b) `c` **d**")])
def test_no_markdown_escapes_or_marks(soup):
    text = convert.write(convert.Document(body_html=f"<p>{soup}</p>"), "text").decode()
    assert re.sub(r"\s+", "", text) == visible_words(f"<p>{soup}</p>")


_CELL = st.sampled_from(["x", "中文", "a <b>b</b>", "", "<p>para</p>", "line<br>break"])


@st.composite
def _table(draw: st.DrawFn, depth: int = 0) -> str:
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        cells = []
        for _ in range(draw(st.integers(0, 3))):
            inner = draw(_table(depth + 1)) if depth < 2 and draw(st.booleans()) else ""
            tag = draw(st.sampled_from(["td", "th"]))
            cells.append(f"<{tag}>{draw(_CELL)}{inner}{draw(_CELL)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=_table(), before=_CELL, after=_CELL, wrapper=st.sampled_from(["{}", "<div>{}</div>", "<p>a</p>{}<p>b</p>", "<blockquote>{}</blockquote>"]))
def test_tables_in_tables_and_text_beside_tables_keep_every_visible_character(table, before, after, wrapper):
    # Layout tables (tables in cells), empty tables and text sharing a block with a table: html2text
    # alone loses cells and the text before a table, or fails.
    _check(wrapper.format(before + table + after), "-0123456789.|")


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<ol start><li>b</li></ol>", "  1. b\n"),  # a valueless start failed html2text
        ('<ol start="3" class><li>c</li><li>d</li></ol>', "  3. c\n  4. d\n"),
        ('<ol start="x"><li>a</li></ol>', "  1. a\n"),
        ("<ul style class><li>u</li></ul><p class>p</p>", "  - u\n\np\n"),
    ],
)
def test_attributes_without_values_are_laid_out_as_a_browser_shows_them(markup, expected):
    assert convert.write(convert.Document(body_html=markup), "text").decode() == expected
