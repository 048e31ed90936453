"""Highlighted code held out of the tree (convert.html.held): whatever the page, every writer
writes exactly what it writes from the whole tree; the tree is smaller, and nothing is lost.

The oracle is fmconvert itself with nothing held (the body parsed before any writer asks): the
property says holding changes memory, never output. The fixtures (highlighter shapes written by
hand, expected Markdown and text beside them, written by hand) say the output is right.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from convert import api
from convert.formats import WriteOptions
from tests.conftest import examples

FIXTURES = Path(__file__).parent.parent / "fixtures" / "held"
TARGETS = ("md", "html", "xhtml", "text", "json")


def _outputs(data: bytes, to: str, *, hold: bool, consume: bool = True) -> bytes:
    document = api.read(data, "html", path="post.html")
    document.hold_code = hold
    assert document.body is not None  # the tree is built now: with held code, or whole
    options = WriteOptions(extra={"no_download_images": True, "with_text": True, "consume_body": consume})
    out = api.write(document, to, options=options)
    if to == "epub":
        with zipfile.ZipFile(io.BytesIO(out)) as z:
            return b"\0".join(z.read(n) for n in sorted(z.namelist()))
    return out


def _held(data: bytes) -> int:
    document = api.read(data, "html")
    document.hold_code = True
    assert document.body is not None
    return len(document.held or ())


@pytest.fixture()
def hold_everything(monkeypatch):
    """Every eligible block is held, however small (the property needs them small)."""
    import convert.html.held

    monkeypatch.setattr(convert.html.held, "MIN_TAGS", 0)


# ---- fixtures: hand-written highlighter output, hand-written expected output ------------------


@pytest.mark.parametrize("expected", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".md", ".txt")))
def test_fixture_output(expected, hold_everything):
    path = FIXTURES / expected
    data = path.with_suffix(".html").read_bytes()
    assert _held(data) > 0, "the fixture's code was not held: it no longer tests holding"
    out = _outputs(data, "md" if path.suffix == ".md" else "text", hold=True)
    assert out.decode() == path.read_text(encoding="utf-8")


def test_every_fixture_has_an_expected_output():
    for html in FIXTURES.glob("*.html"):
        assert html.with_suffix(".md").exists() or html.with_suffix(".txt").exists(), html.name


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.html")))
@pytest.mark.parametrize("to", [*TARGETS, "epub"])
def test_fixture_held_equals_whole(name, to, hold_everything, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = (FIXTURES / f"{name}.html").read_bytes()
    assert _outputs(data, to, hold=True) == _outputs(data, to, hold=False)


def test_large_block_is_held_by_default_and_markup_survives_a_writer():
    """A block of highlighted code is held without any switch; after a writer built the tree,
    the document's markup still has every span (a library user writing several formats)."""
    spans = "".join(f'<span class="hljs-keyword">let</span> v{i} = <span class="hljs-number">{i}</span>;\n' for i in range(40))
    data = f'---\ntitle: t\n---\n<pre><code class="hljs language-js">{spans}</code></pre>\n'.encode()
    document = api.read(data, "html")
    md = api.write(document, "md")
    assert document.held is not None and len(document.held) == 1
    assert b"```js\nlet v0 = 0;\n" in md
    assert document.body_html().count('<span class="hljs-keyword">let</span>') == 40
    xhtml = api.write(document, "xhtml").decode()
    assert xhtml.count('<span class="hljs-number">') == 40
    # A tree the caller builds after a writer that never built one (JSON) is whole.
    untouched = api.read(data, "html")
    api.write(untouched, "json")
    assert untouched.body.find(".//pre/code/span") is not None and untouched.held is None


def test_lint_reads_the_whole_tree(tmp_path):
    """lint never holds code: its line numbers are the file's own, below a large code block."""
    from conftest import run_cli

    spans = "".join('<span class="k">x</span>\n' for _ in range(40))
    post = tmp_path / "p.html"
    post.write_text(f"---\ntitle: t\n---\n<pre><code>{spans}</code></pre>\n<img src=\"a.png\">\n", encoding="utf-8")
    result = run_cli("lint", str(post))
    assert f"{post}:45:" in result.stdout.decode(), result.stdout


# ---- the property: any highlighter shape, in any context ---------------------------------------

_CODE_CHARS = st.sampled_from([*"abcxyz019 _(){};=+-*/.,'\"\t\n", "&lt;", "&gt;", "&amp;", "&#123;", "&#x1F600;", "&nbsp;", "é", "中文", "{{ page.title }}", "{% raw %}", "\u00a0", " \n\n "])
_token_text = st.lists(_CODE_CHARS, max_size=6).map("".join)
_CLASSES = st.sampled_from(
    [
        'class="k"', 'class="hljs-keyword"', 'style="color:#D73A49"', 'class="line"', "", 'class="copy-code-btn"', 'class="copy-code"',
        'data-x="a&gt;b"', 'id="L1"', 'onclick="x()"', 'class="x" aria-hidden="true"', 'style="display:none"', "hidden",
        'class="line-numbers-rows" aria-hidden="true"',
    ]
)


@st.composite
def _code(draw):
    """The inner markup of a highlighted block: text, spans (nested, unclosed, upper case) and
    line breaks."""
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["span", "span", "text", "br", "nested", "open", "close"]))
        text = draw(_token_text)
        attrs = draw(_CLASSES)
        tag = draw(st.sampled_from(["span", "span", "SPAN"]))
        if kind == "span":
            parts.append(f"<{tag} {attrs}>{text}</{tag}>")
        elif kind == "nested":
            parts.append(f'<span class="line"><{tag} {attrs}>{text}</{tag}>{draw(_token_text)}</span>')
        elif kind == "br":
            parts.append(draw(st.sampled_from(["<br>", "<br/>", "<BR>", "<br />"])))
        elif kind == "open":
            parts.append(f"<span {attrs}>{text}")
        elif kind == "close":
            parts.append(f"{text}</span>")
        else:
            parts.append(text)
    return draw(st.sampled_from(["", "\n", "\n\n"])) + "".join(parts)


@st.composite
def _block(draw):
    inner = draw(_code())
    shape = draw(st.sampled_from(["hljs", "plain", "pygments", "shiki", "hexo", "pre-attrs"]))
    if shape == "hljs":
        return f'<pre><code class="hljs language-js">{inner}</code></pre>'
    if shape == "plain":
        return f"<pre>{inner}</pre>"
    if shape == "pygments":
        return f'<div class="highlight"><pre><span></span>{inner}</pre></div>'
    if shape == "shiki":
        return f'<pre class="shiki" style="background-color:#fff" tabindex="0"><code>{inner}</code></pre>'
    if shape == "hexo":
        return f'<figure class="highlight js"><table><tr><td class="gutter"><pre><span class="line">1</span><br></pre></td><td class="code"><pre>{inner}</pre></td></tr></table></figure>'
    return f'<PRE id="code-1" lang="py"><code class="language-py" data-lang="py">{inner}</code></PRE>'


_CONTEXTS = [
    "{}",
    "<p>before</p>\n{}\n<p>after</p>",
    "<ul><li>item {}</li></ul>",
    "<blockquote>{}</blockquote>",
    "<p>inline {} text</p>",
    '<a href="https://example.com/">{}</a>',
    "<h2>{}</h2>",
    "<table><tr><td>{}</td></tr></table>",
    "<table>{}</table>",
    "<details><summary>s</summary>{}</details>",
    "<textarea>{}</textarea>",
    "<svg>{}</svg>",
    "<!-- {} -->",
    "<script>var s = '{}';</script>",
    "<div>{}{}</div>",
]


@st.composite
def _post(draw):
    context = draw(st.sampled_from(_CONTEXTS))
    blocks = [draw(_block()) for _ in range(context.count("{}"))]
    body = context.format(*blocks)
    return f"---\ntitle: code\n---\n<p>Intro {draw(_token_text)}</p>\n{body}\n".encode()


@settings(max_examples=int(os.environ.get("FMCONVERT_HELD_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=_post(), to=st.sampled_from(TARGETS))
@example(data=b'---\ntitle: t\n---\n<pre>\n\n<span class="k">a</span><br>b</pre>\n', to="html")
@example(data=b'---\ntitle: t\n---\n<textarea><pre><span>x</span></pre></textarea>\n', to="md")
@example(data=b'---\ntitle: t\n---\n<p><pre><code><span class="k">{{ x }}</span></code></pre></p>\n', to="xhtml")
@example(data=b'---\ntitle: t\n---\n<h2><pre><span class="copy-code-btn">copy</span>x<br>y</pre></h2>\n', to="text")
def test_held_equals_whole(data, to, hold_everything):
    assert _outputs(data, to, hold=True) == _outputs(data, to, hold=False)
    if to in ("json", "text"):  # a library caller's document: the writer works on a copy
        assert _outputs(data, to, hold=True, consume=False) == _outputs(data, to, hold=False, consume=False)


@settings(max_examples=int(os.environ.get("FMCONVERT_HELD_EXAMPLES", "120")) // 8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=_post())
def test_held_equals_whole_epub(data, hold_everything, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _outputs(data, "epub", hold=True) == _outputs(data, "epub", hold=False)


@given(inner=_code())
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_plain_blocks_are_held(inner, hold_everything):
    """A block of spans, breaks and text in plain context is held (hidden spans and "copy code"
    buttons included: plain text reads them away itself), so the property above tests holding."""
    if "<" in inner.replace("<span", "").replace("</span", "").replace("<SPAN", "").replace("</SPAN", "").replace("<br", "").replace("<BR", ""):
        return
    data = f'---\ntitle: t\n---\n<pre><code class="language-js">{inner}</code></pre>\n'.encode()
    assert _held(data) == 1


def _mutated_posts():
    from tests.test_hostile import mutated

    return mutated()


@settings(max_examples=int(os.environ.get("FMCONVERT_HELD_EXAMPLES", "120")) // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=_mutated_posts(), to=st.sampled_from(TARGETS))
def test_held_equals_whole_on_mutated_posts(data, to, hold_everything):
    """The fixtures with bytes flipped, cut and spliced (broken tags, stray quotes, lost ends):
    holding still changes nothing that any writer writes."""
    from convert.errors import ConvertError

    try:
        held = _outputs(data, to, hold=True)
    except ConvertError as err:
        with pytest.raises(ConvertError) as again:
            _outputs(data, to, hold=False)
        assert str(again.value) == str(err)
        return
    assert held == _outputs(data, to, hold=False)
