"""A writer that owns its document (the command line, ``convert_bytes``, batch workers) empties
the tree as it writes and encodes its output a part at a time, to keep memory low on large posts.
The property: that changes memory, never output. The oracle is the same writer on a document the
caller keeps (nothing emptied, the text joined whole), over every fixture and generated posts
with the shapes that matter here: footnotes inside wrappers, template spans, line ends, a body
that opens like a front-matter fence, front matter that a profile rewrites.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import convert.formats
from convert import api
from convert.errors import ConvertError
from convert.formats import WriteOptions, encode_lines, encode_text
from convert.html.templates import protect, restore
from convert.model import Document
from tests.conftest import examples

ROOT = Path(__file__).parent.parent / "fixtures"
POSTS = sorted([*ROOT.glob("posts/*"), *ROOT.glob("markdown/*.html"), *ROOT.glob("held/*.html"), *ROOT.glob("engines/*.html")])
TARGETS = ("md", "html", "xhtml", "text", "json")


def _write(data: bytes, name: str, to: str, *, consume: bool, newline: str = "keep", front_matter: str | None = None, **extra: object) -> bytes | str:
    """The output, or the error (a fixture of bad input is refused alike either way)."""
    try:
        document = api.read(data, path=name)
        options = WriteOptions(newline=newline, front_matter=front_matter, extra={"no_download_images": True, "consume_body": consume, **extra})
        return api.write(document, to, options=options)
    except ConvertError as err:
        return str(err)


@pytest.fixture()
def small_parts(monkeypatch):
    """Encode a few characters at a time, so every post is written in many parts."""
    monkeypatch.setattr(convert.formats, "_ENCODE_PART", 7)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("to", TARGETS)
def test_fixture_written_alike_by_an_owner_and_a_keeper(path, to, small_parts):
    data = path.read_bytes()
    assert _write(data, path.name, to, consume=True) == _write(data, path.name, to, consume=False)


_blocks = st.sampled_from(
    [
        "<p>Plain words, <em>emphasis</em> and a <a href='#sec'>link</a>.</p>",
        "<h2 id='sec'>Section</h2>",
        "<p>A claim<sup id='fnref:1'><a href='#fn:1' class='footnote'>1</a></sup> and another<sup id='fnref:2'><a href='#fn:2' class='footnote'>2</a></sup>.</p>",
        "<div class='footnotes'><ol><li id='fn:1'><p>First note. <a href='#fnref:1' class='reversefootnote'>&#8617;</a></p></li><li id='fn:2'><p>Second.</p></li></ol></div>",
        "<ul><li>one</li><li>two</li></ul>",
        "<ul><li>three</li></ul>",
        "<ol start='3'><li>three</li></ol>",
        "<ul><li><input type='checkbox' checked disabled> done</li><li><p><input type='checkbox'> open [x]</p></li></ul>",
        "<pre><code class='language-go'>if a &lt; b {\n\treturn\n}</code></pre>",
        "<blockquote><p>quoted [brackets] and *stars*</p></blockquote>",
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1 | 2</td><td>中文</td></tr></table>",
        "<p>{{ site.title }} and {% raw %}{{ x }}{% endraw %}</p>",
        "{{< figure src=\"a.png\" >}}",
        "<p>line one<br>line two\r\nline three\rfour</p>",
        "text outside any block, then <strong>bold</strong>",
        "<hr>",
        "---\ntitle: looks like front matter\n---",
        "<p>[^1]: not a note, ![not](an image)</p>",
        "<div><p>inside a wrapper</p><div><p>deeper</p><ul><li>x</li></ul></div></div>",
        "<section><h3>In a section</h3><p>text</p></section>",
        "<p>éàü 「中文」 \U0001f600</p>",
        # what a writer looks back at after a block: "word" before it must not reach the <em>
        "word<p>a</p><em>.b</em> and <code>x</code><pre>p</pre><code>y</code>",
    ]
)


@st.composite
def _post(draw: st.DrawFn) -> bytes:
    blocks = draw(st.lists(_blocks, min_size=1, max_size=12))
    wrapped = draw(st.integers(0, len(blocks)))
    depth = draw(st.integers(0, 2))
    inner = "\n".join(blocks[wrapped:])
    for _ in range(depth):
        inner = f"<div class='post'>\n{inner}\n</div>"
    body = "\n".join(blocks[:wrapped]) + "\n" + inner + "\n"
    front = draw(st.sampled_from(["", "---\ntitle: T\n---\n", "---\ntitle: T\ndate: 2024-05-01 10:00:00\nupdated: 2024-05-02\nthumbnail: a.png\n---\n", "+++\ntitle = 'T'\n+++\n"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (front + body).replace("\r\n", "\n").replace("\n", newline).encode()


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    data=_post(),
    to=st.sampled_from(TARGETS),
    profile=st.sampled_from([None, "hugo", "jekyll", "gfm"]),
    newline=st.sampled_from(["keep", "lf", "crlf"]),
    front_matter=st.sampled_from([None, "yaml", "toml"]),
)
@example(data=b"<div><p>a<sup id='fnref:1'><a href='#fn:1' class='footnote'>1</a></sup></p><div class='footnotes'><ol><li id='fn:1'>n</li></ol></div></div>", to="md", profile=None, newline="keep", front_matter=None)
@example(data=b"<div>word<p>a</p><em>.b</em> and <pre>p</pre><code>y</code></div>", to="md", profile=None, newline="keep", front_matter=None)
@example(data=b"---\nx: 1\n---\n<p>{{ a }}</p>\n", to="md", profile=None, newline="crlf", front_matter=None)
@example(data=b"---\ntitle: T\n---\n---\nnot: front matter\n---\n", to="text", profile=None, newline="keep", front_matter="yaml")
@example(data=b"\n<p>{{ site.title }} and {% raw %}{{ x }}{% endraw %}</p>\n", to="md", profile="hugo", newline="keep", front_matter=None)  # Hugo's empty block, lines written a part at a time
def test_generated_post_written_alike_by_an_owner_and_a_keeper(data, to, profile, newline, front_matter, small_parts):
    extra = {"profile": profile} if profile else {}
    if front_matter:
        extra["front_matter_given"] = True  # plain text writes front matter only when asked
    kept = _write(data, "post.html", to, consume=False, newline=newline, front_matter=front_matter, **extra)
    assert _write(data, "post.html", to, consume=True, newline=newline, front_matter=front_matter, **extra) == kept


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.text(alphabet=st.sampled_from(["a", "é", "中", "\r", "\n", " ", "\ue300", "0", "\ue301", "\U0001f600"]), max_size=12), max_size=30),
    prefix=st.binary(max_size=8),
    crlf=st.booleans(),
)
def test_encoding_lines_equals_encoding_the_joined_text(lines, prefix, crlf, small_parts):
    marked, spans = protect("".join(["{{ a }}", "{% b %}"]))  # two template spans, placeholders to put back
    lines = [line.replace("0", marked) for line in lines]
    document = Document({})
    options = WriteOptions(newline="crlf" if crlf else "lf")
    expected = prefix + encode_text(restore("\n".join(lines), spans), document, options)
    copy = list(lines)
    assert encode_lines(copy, document, options, prefix, lambda text: restore(text, spans)) == expected
    assert copy == []  # emptied as it went


# ---- the walks that replace whole-tree lists and joins give what those gave ------------------

_tags = st.sampled_from(["div", "p", "span", "b", "pre", "ul", "li", "a", "svg", "table", "td", "textarea"])
_texts = st.sampled_from(["", "x", " a & b < c ", "\u00a0nbsp", "中文", "\n", "{{ t }}"])


@st.composite
def _tree(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3:
        return draw(_texts)
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        tag = draw(_tags)
        attrs = draw(st.sampled_from(["", ' class="c"', ' href="/a?b=1&amp;c=&quot;2&quot;"', " hidden", ' title="\u00a0<>"']))
        parts.append(f"<{tag}{attrs}>{draw(_tree(depth + 1))}</{tag}>{draw(_texts)}")
        if draw(st.booleans()):
            parts.append("<!-- c -->")
    return draw(_texts) + "".join(parts)


@settings(max_examples=examples(100), deadline=None)
@given(markup=_tree())
def test_bottom_up_walk_is_the_reversed_tree(markup):
    from convert.html import parse_body
    from convert.plaintext.prepare import _bottom_up

    body = parse_body(markup)
    assert list(_bottom_up(body)) == [el for el in reversed(list(body.iter())) if el is not body]


def _sample_by_recursion(el, top=True) -> str:
    """The language sample as a reader of the tree would write it: text, children, tails;
    comments, "copy code" buttons, buttons and form controls give only their tails."""
    interface = ("button", "input", "select", "option", "optgroup", "datalist", "textarea", "keygen", "dialog")
    if not top and (not isinstance(el.tag, str) or "copy-code-btn" in (el.get("class") or "") or el.tag in interface):
        return el.tail or ""
    own = "\n" if el.tag == "br" else el.text or ""
    return own + "".join(_sample_by_recursion(child, False) for child in el) + ("" if top else el.tail or "")


@settings(max_examples=examples(100), deadline=None)
@given(markup=_tree(), button=st.booleans(), size=st.sampled_from([1, 7, 20000]))
def test_language_sample_walk_reads_the_text_in_order(markup, button, size):
    from convert.html import parse_body
    from convert.xhtml.lang import text_sample

    if button:
        markup = f'<p>a<button class="copy-code-btn">Copy</button>b<br>c</p>{markup}'
    body = parse_body(markup)
    assert text_sample(body, size) == _sample_by_recursion(body)[:size]


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markup=_tree())
def test_text_serialized_in_pieces_is_the_whole_serialization(markup, monkeypatch):
    from lxml.html import tostring

    import convert.plaintext
    from convert.html import escape_text, parse_body

    monkeypatch.setattr(convert.plaintext, "_WRAPPER", 1)  # every element with children is cut
    body = parse_body(markup)
    whole = (escape_text(body.text).encode() if body.text else b"") + b"".join(tostring(c, encoding="utf-8", method="html", with_tail=True) for c in body)
    pieces = convert.plaintext._serialized(body, lambda el: el.clear(keep_tail=True))
    assert b"".join(pieces) == whole
    assert all(len(child) == 0 for child in body)  # what was written was let go


@pytest.mark.parametrize("path", POSTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_text_of_a_large_post_is_made_as_that_of_a_small_one(path, monkeypatch):
    """A large tree is walked as it goes and fed to html2text a piece at a time; made so for
    every fixture (the limits set low), the text is what the small-post path makes."""
    import sys

    import convert.plaintext

    data = path.read_bytes()
    small = _write(data, path.name, "text", consume=True)
    monkeypatch.setattr(sys.modules["convert.plaintext.prepare"], "_LISTED", 1)
    monkeypatch.setattr(convert.plaintext, "_PART", 64)
    monkeypatch.setattr(convert.plaintext, "_WRAPPER", 1)
    assert _write(data, path.name, "text", consume=True) == small


# ---- a large body parsed from its pieces, a large chapter written a subtree at a time --------


@pytest.mark.parametrize("path", POSTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_large_body_is_parsed_from_its_pieces_as_a_small_one_whole(path, monkeypatch):
    """Every fixture parsed as a large body is (from pieces a few characters long, each let go
    as the parser reads it) gives the tree the whole-markup parse gives; the markup can be had
    back at any point of the reading, as it was prepared."""
    from lxml.html import tostring

    import convert.html.parse as html

    markup = api.read(path.read_bytes(), path=path.name).body_html()
    whole = html.PreparedBody(markup)
    expected = tostring(whole.parse(), encoding="utf-8")
    monkeypatch.setattr(html, "_FEED", 50)
    monkeypatch.setattr(html, "STREAM_FROM", 0)
    prepared = html.PreparedBody(markup)
    data = prepared.data()
    assert data == whole.data()  # the seams of the pieces change nothing
    reads = []
    original = prepared.read

    def read_and_check(size: int) -> bytes:
        assert prepared.data() == data  # partly read: the rest in pieces, the read part packed
        piece = original(size)
        reads.append(piece)
        return piece

    monkeypatch.setattr(prepared, "read", read_and_check)
    assert tostring(prepared.parse(), encoding="utf-8") == expected
    assert len(reads) > 2 and prepared.markup() == html.unprepared(data)
    assert all(piece == b"" for piece in prepared._pieces)  # each piece was let go once read


def test_a_large_body_that_fails_to_parse_is_given_back_whole(monkeypatch):
    import convert.html.parse as html
    from convert.errors import LimitError
    from convert.limits import MAX_DEPTH

    monkeypatch.setattr(html, "_FEED", 64)
    monkeypatch.setattr(html, "STREAM_FROM", 0)
    markup = "<p>before</p>" + "<div>" * (MAX_DEPTH + 10) + "deep" + "</div>" * (MAX_DEPTH + 10) + "<p>after</p>"
    document = Document({}, body_html=markup)
    with pytest.raises(LimitError):
        document.body  # noqa: B018
    assert document.body_html() == markup  # nothing lost: the markup is back in the document


def _xhtml_tree(markup: str):
    from convert.xhtml import build_xhtml

    document = Document({"title": "t"}, body_html=markup)
    document.hold_code = True
    return build_xhtml(document)


_foreign = st.sampled_from(
    [
        '<svg viewBox="0 0 10 10"><linearGradient id="g"/><path d="M0 0"/></svg>',
        "<math><mi>x</mi><mo>&lt;</mo></math>",
        "<!-- a comment -->",
        "<img src='a.png'>",
        "<div class='empty'></div>",
        "<p>text &amp; tail</p> \u00a0tail < & >",
        "<pre><code class='hljs'><span class='k'>if</span> a &lt; b</code></pre>",
        "<ol><li id='fn:1'>note <a href='#fnref:1'>\u21a9</a></li></ol>",
        "{{ template }}",
        "\r\n",
    ]
)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markup=_tree(), extra=st.lists(_foreign, max_size=6), split=st.integers(0, 6))
def test_xhtml_written_a_subtree_at_a_time_is_the_whole_serialization(markup, extra, split, monkeypatch):
    """The oracle is lxml writing the whole tree at once."""
    from lxml import etree

    import convert.xhtml.pieces as pieces

    monkeypatch.setattr(pieces, "SPLIT_FROM", split)  # elements of a few descendants are cut too
    body = f"<div class='wrapper'>{markup}{''.join(extra)}<section>{markup}</section></div>"
    tree = _xhtml_tree(body)[0]
    whole = etree.tostring(tree, encoding="utf-8")
    written = b"".join(pieces.write_in_pieces(tree, b"<!-- first -->"))
    assert written == b"<!-- first -->" + whole
    assert len(tree) == 0 or (split > 0 and not pieces._larger_than(tree, split))  # let go as written


@pytest.mark.parametrize("path", POSTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_chapter_written_a_subtree_at_a_time_is_written_whole(path, monkeypatch):
    from lxml import etree

    import convert.xhtml.pieces as pieces

    monkeypatch.setattr(pieces, "SPLIT_FROM", 3)
    markup = api.read(path.read_bytes(), path=path.name).body_html()
    tree = _xhtml_tree(markup)[0]
    whole = etree.tostring(tree, encoding="utf-8")
    assert b"".join(pieces.write_in_pieces(tree, b"")) == whole


def test_discarding_in_order_takes_earlier_blocks_out_whole():
    """What a writer may still look at stays as emptying would leave it: the element just
    discarded (emptied, its tail kept). The element discarded before it is gone, so no page of
    the tree stays held by emptied elements."""
    document = Document({}, body_html="<div><p>one</p>\n<p>two <b>x</b></p> tail<!-- c --><p>three</p>after</div>")
    wrapper = document.body[0]
    blocks = [child for child in wrapper if isinstance(child.tag, str)]
    for i, child in enumerate(blocks):
        document.discard(child)
        assert child.getparent() is wrapper and len(child) == 0 and child.text is None and not child.attrib
        if i:
            assert blocks[i - 1].getparent() is None  # taken out whole
    left = [(c.tag if isinstance(c.tag, str) else "comment", c.tail) for c in wrapper]
    assert left == [("comment", None), ("p", "after")]
