"""The Markdown writer and reader: fixture-driven expectations, round trips, idempotence."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import convert
from convert.readers.markdown import markdown_to_html
from tests.conftest import FIXTURES, examples, run_cli

CASES = sorted(p.stem for p in (FIXTURES / "markdown").glob("*.html"))
#: how a case is read, when not as by default (``{"repair": false}``: as with --no-repair)
READ_OPTIONS = json.loads((FIXTURES / "markdown" / "options.json").read_text())


def visible_text(html: str) -> str:
    """The characters a reader sees, in order, whitespace left out (element boundaries are
    whitespace to a browser but not to text_content); style, script, buttons, form controls,
    dialogs and copy buttons are not content (a form's and a label's own text is). Footnote marks are left out: each generator draws them its own way ("1", "[1]",
    "↩", "↩︎")."""
    tree = lxml_html.document_fromstring("<html><body>" + html + "</body></html>")
    interface = "//button|//input|//select|//option|//datalist|//textarea|//dialog"
    for el in tree.xpath(f"//style|//script|//*[contains(@class,'copy-code-btn')]|//svg|{interface}"):
        el.drop_tree()
    marks = "footnote-ref footnote footnote-backref footnote-back reversefootnote".split()
    for el in tree.xpath("//*[@class]"):
        if set(el.get("class").split()) & set(marks):
            el.drop_tree()
    return re.sub(r"\s+", "", tree.text_content())


def to_markdown(path: Path) -> str:
    return convert.write(convert.read_file(path, "html", **READ_OPTIONS.get(path.stem, {})), "markdown").decode()


@pytest.mark.parametrize("name", CASES)
def test_writer_matches_expected_markdown(name):
    expected = (FIXTURES / "markdown" / f"{name}.md").read_text()
    assert to_markdown(FIXTURES / "markdown" / f"{name}.html") == expected


@pytest.mark.parametrize("name", CASES)
def test_expected_markdown_renders_back_to_the_same_text(name):
    from tests.render_engines import run_templates  # template code run first, as its generator does

    source = run_templates((FIXTURES / "markdown" / f"{name}.html").read_text(), [])
    rendered = markdown_to_html(run_templates((FIXTURES / "markdown" / f"{name}.md").read_text(), []))
    assert visible_text(rendered) == visible_text(source.replace("&#123;", "{").replace("&#125;", "}"))


PAGES = sorted((FIXTURES / "markdown" / "pages").glob("*.html"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_give_the_expected_markdown_and_are_fixed_points(page):
    """Whole pages (front matter, BOM, line ends): the Markdown is the expected file, byte for
    byte, and -t md on it or md -> html -> md gives the same file."""
    markdown = convert.write(convert.read_file(page, "html"), "markdown")
    assert markdown == page.with_suffix(".md").read_bytes()
    assert convert.write(convert.read(markdown, "markdown", path="page.md"), "markdown") == markdown
    html = convert.write(convert.read(markdown, "markdown", path="page.md"), "html")
    assert convert.write(convert.read(html, "html", path="page.html"), "markdown") == markdown


def test_markdown_through_html_is_the_same_file(post):
    """md -> html -> md gives the file -t md gives: the BOM and the blank lines before the front
    matter are the file's in both (a Markdown page kept its BOM through -t md, lost it through
    HTML)."""
    markdown = convert.write(convert.read_file(post), "markdown")
    html = convert.write(convert.read(markdown, "markdown", path="post.md"), "html")
    assert convert.write(convert.read(html, "html", path="post.html"), "markdown") == markdown


def test_markdown_output_is_idempotent(post):
    first = convert.write(convert.read_file(post), "markdown")
    second = convert.write(convert.read(first, "markdown"), "markdown")
    assert second == first


def test_text_headings_links_and_images_survive(post):
    doc = convert.read_file(post)
    md = convert.write(doc, "markdown")
    back = convert.read(md, "markdown")
    assert visible_text(back.body_html()) == visible_text(doc.body_html())
    for tag in ("h1", "h2", "h3"):
        assert [h.text_content().strip() for h in back.body.iter(tag)] == [h.text_content().strip() for h in doc.body.iter(tag)]
    assert [a.get("href") for a in back.body.iter("a")] == [a.get("href") for a in doc.body.iter("a")]
    assert [(i.get("src"), i.get("alt") or "") for i in back.body.iter("img")] == [(i.get("src"), i.get("alt") or "") for i in doc.body.iter("img")]
    assert convert.model.same_value(back.metadata, convert.writers.markdown.unescape_hexo_braces(doc.metadata))


def test_markdown_output_shape(post):
    doc = convert.read_file(post)
    md = convert.write(doc, "markdown").decode("utf-8-sig").replace("\r\n", "\n")
    assert md.endswith("\n") and not md.endswith("\n\n")
    if doc.source.frontmatter is not None:  # the block is reproduced as written; check the body
        md = md.lstrip("\n").split("\n" + doc.source.frontmatter.close_fence + "\n", 1)[1]
    assert "\n\n\n" not in md
    assert not [line for line in md.split("\n") if line != line.rstrip()]  # a no-break space too


def test_hexo_title_braces_and_sniffed_md_with_html_body():
    result = run_cli("convert", "fixtures/posts/juejin-style-hooks.md", "-t", "md")
    assert result.returncode == 0, result.stderr
    md = result.stdout.decode()
    assert "title: React 状态管理里的 {useReducer} 小技巧" in md
    assert "复制代码" not in md and "markdown-body{" not in md
    assert "```java\nMap<String, Integer> counts = new HashMap<>();\nfor (int i = 0; i <= 10; i++) {\n" in md
    assert "比如下面这个 \\<Counter initial={0}> 组件" in md


def test_strip_selector_drops_boilerplate():
    result = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html", "-t", "md", "--strip", ".article--copyright", "--strip", "//div[@class='support-author']")
    md = result.stdout.decode()
    assert "题图来自" not in md and "赞赏" not in md
    assert "茶馆的第二次生命，靠的不是怀旧" in md


def test_plain_image_style_warns_about_lost_referrer_policy():
    result = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html", "-t", "md", "--image-style", "markdown")
    assert "![](https://img.teahouse.example.cn/uploads/2023/05/cover-tea.jpg)" in result.stdout.decode()
    assert "drops referrerpolicy" in result.stderr.decode()


def test_real_markdown_file_is_read_as_markdown():
    doc = convert.read_file("fixtures/posts/jekyll-crlf-bom.md")
    assert doc.source.format == "markdown"
    assert [li.text_content() for li in doc.body.iter("li")] == ["first item", "second item"]
    assert doc.body.find(".//em").text == "timestamp"


# Inline soup: text full of Markdown's special characters, mixed with links, emphasis at any
# depth, code, images and breaks, inside every kind of block. Whatever it has to escape or fall
# back to HTML for, the writer must keep every character, link and image.
_SPECIAL = st.sampled_from([*"ab []()!:^\\*_`<>&#-1.x~|+=\"'", "[ ]", "[x] ", "\n", "。", "字", "“", "**"])
_TEXT = st.lists(_SPECIAL, min_size=1, max_size=8).map("".join).map(html.escape)
_INLINE = st.recursive(
    _TEXT | st.just("<br>") | _TEXT.map(lambda t: f"<code>{t}</code>") | _TEXT.map(lambda t: f'<img src="i.png" alt="{t}">'),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("".join),
        inner.map(lambda t: f"<em>{t}</em>"),
        inner.map(lambda t: f"<strong>{t}</strong>"),
        _TEXT.map(lambda t: f'<a href="u">{t}</a>'),
    ),
    max_leaves=8,
)
_BLOCKS = ["<p>{}</p>", "<h2>{}</h2>", "<blockquote><p>{}</p></blockquote>", "<ul><li>{}</li></ul>", "<ol><li>{}</li></ol>", "<table><tr><th>{}</th></tr><tr><td>x</td></tr></table>"]


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_INLINE, st.sampled_from(_BLOCKS))
@example("<code>\\|</code>", _BLOCKS[-1])  # found by a CI run: a backslash before '|' in a cell's code
def test_inline_soup_keeps_every_character_link_and_image(inline, block):
    doc = convert.Document(body_html=block.format(inline))
    back = convert.read(convert.write(doc, "markdown"), "markdown").body
    assert re.sub(r"\s+", "", back.text_content()) == re.sub(r"\s+", "", doc.body.text_content())
    assert len(back.xpath(".//a")) == len(doc.body.xpath(".//a"))
    alts = [" ".join(i.get("alt").split()) for i in doc.body.iter("img")]
    assert [" ".join(i.get("alt").split()) for i in back.iter("img")] == alts


# Block soup: the inline soup inside paragraphs, headings, code, rules, nested lists (tight and
# loose, ordered from 9) and quotes. Nothing is lost, the block structure comes back, and writing
# our own Markdown again changes nothing.
_LEAF = st.one_of(
    _INLINE.map(lambda s: f"<p>{s}</p>"),
    _TEXT.map(lambda s: f"<h3>{s}</h3>"),
    _TEXT.map(lambda s: f'<pre><code class="language-js">{s}</code></pre>'),
    st.just("<hr>"),
    _INLINE,
)
_TREE = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map("".join),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: '<ol start="9">' + "".join(f"<li>{i}</li>" for i in items) + "</ol>"),
        inner.map(lambda s: f"<blockquote>{s}</blockquote>"),
    ),
    max_leaves=6,
)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TREE)
@example("<p><em>a <em> a</em></em></p>")  # a space outside the inner delimiters met the text's (CI found it)
@example("<p><em>a </em> b <strong> c</strong></p>")
def test_block_soup_keeps_content_and_structure_and_is_idempotent(body):
    doc = convert.Document(body_html=body)
    markdown = convert.write(doc, "markdown")
    back = convert.read(markdown, "markdown").body
    assert re.sub(r"\s+", "", back.text_content()) == re.sub(r"\s+", "", doc.body.text_content())
    for path in (".//a", ".//img", ".//ul", ".//ol", ".//li", ".//blockquote", ".//pre", ".//hr", ".//h3[normalize-space()]"):
        assert len(back.xpath(path)) == len(doc.body.xpath(path)), path
    assert convert.write(convert.read(markdown, "markdown"), "markdown") == markdown


def test_template_links_keep_their_code_and_read_as_links_before_the_template_run():
    """Links and images to template code, written for the generator whose code it is (the post's
    source engine, convert.templates): the code byte for byte, and links to a CommonMark engine
    that never runs it (a preview, GitHub); Hugo's shortcodes in Hugo's own form with its
    profile. For a target that runs no templates (gfm, fixtures/markdown/template-links.md) the
    code is translated or shown as text (an address percent-encoded)."""
    path = FIXTURES / "markdown" / "template-links.html"
    liquid = ["{{ post.url | relative_url }}", "{% post_url 2020-01-01-x %}", '{{< relref "/docs" >}}', '{{% ref "faq" %}}', "{{ a > b }}", '{{< resource "logo.png" >}}']
    # (a fresh document each time: the template pass a document is parsed with is its own)
    jekyll = convert.write(convert.read_file(path, "html"), "markdown", profile="jekyll", source_engine="jekyll").decode()
    assert [span for span in liquid if span not in jekyll] == []  # Liquid reads each of them
    untouched = lxml_html.fromstring(markdown_to_html(jekyll))
    assert [html.unescape(a.get("href")) for a in untouched.iter("a")] == [
        "%7B%7B%20post.url%20%7C%20relative_url%20%7D%7D",
        "%7B%25%20post_url%202020-01-01-x%20%25%7D",
        "%7B%7B%20site.baseurl%20%7D%7D/about%20me/",
        '{{< relref "/docs" >}}',
        "%7B%7B%25%20ref%20%22faq%22%20%25%7D%7D",
        "{{ a > b }}",
    ]
    hugo = convert.write(convert.read_file(path, "html"), "markdown", profile="hugo", source_engine="hugo").decode()
    assert '[the docs]({{< relref "/docs" >}})' in hugo and '![logo]({{< resource "logo.png" >}})' in hugo
    assert "[compare](%7B%7B%20a%20%3E%20b%20%7D%7D)" in hugo  # not a shortcode: Hugo shows it, an address as text
    assert convert.write(convert.read(hugo.encode(), "markdown"), "markdown", profile="hugo", source_engine="hugo").decode() == hugo


def test_strikethrough_reads_as_del_so_html_del_round_trips():
    doc = convert.read(b"<p>price <del>20</del> 15</p>", "html")
    markdown = convert.write(doc, "markdown")
    assert markdown == b"price ~~20~~ 15\n"
    assert convert.read(markdown, "markdown").body_html().strip() == "<p>price <del>20</del> 15</p>"


def test_footnotes_round_trip_through_html():
    """Markdown footnotes come back as footnotes after HTML, whoever wrote the HTML."""
    markdown = (FIXTURES / "markdown" / "footnotes-markdown-it.md").read_bytes()
    assert convert.write(convert.read(markdown, "markdown"), "markdown") == markdown


def test_a_note_nobody_refers_to_keeps_the_notes_as_html_lists():
    """Markdown drops a footnote definition without a reference: its text would be lost, so the
    section is written as the list it is."""
    html = (
        '<p>One<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>'
        '<section class="footnotes"><ol><li id="fn1"><p>first</p></li><li id="fn2"><p>orphan</p></li></ol></section>'
    )
    markdown = convert.write(convert.read(html.encode(), "html"), "markdown").decode()
    assert "[^" not in markdown and "orphan" in markdown and "first" in markdown


def test_verify_catches_a_writer_that_loses_text(monkeypatch, tmp_path):
    """--verify reads the Markdown back: a writer bug that drops text (simulated here) fails the
    document instead of writing it, and the output file is left as it was."""
    from convert.errors import ConvertError
    from convert.markdown import render
    from convert.markdown.escape import escape_inline

    post = FIXTURES / "posts" / "english-link-post.html"
    doc = convert.read_file(post)
    assert convert.write(doc, "markdown", verify=True) == convert.write(doc, "markdown")

    with monkeypatch.context() as patch:  # a writer that drops every "e"
        patch.setattr(render.MarkdownRenderer, "text", lambda self, text: escape_inline(text.replace("e", "")))
        with pytest.raises(ConvertError, match=r"would lose content \(text differs"):
            convert.write(convert.read_file(post), "markdown", verify=True)

    probe = (  # the real command, with a writer that drops links
        "import sys\n"
        "from convert.markdown import render\n"
        "render.MarkdownRenderer.inline_a = lambda self, el: self.inline_content(el)\n"
        "from convert.cli import main\n"
        "sys.argv = ['fmconvert', *sys.argv[1:]]\n"
        "main()\n"
    )
    out = tmp_path / "post.md"
    out.write_text("keep me")
    result = subprocess.run([sys.executable, "-c", probe, "convert", str(post), "-o", str(out), "--verify"], capture_output=True)
    assert result.returncode == 1
    assert "would lose content (link https://" in result.stderr.decode() and result.stderr.decode().count("\n") == 1
    assert out.read_text() == "keep me"


def test_verify_does_not_count_what_the_writer_leaves_out_as_lost():
    """Buttons, form controls (a select's options, a textarea's text) and dialogs are left out
    by the writer, and --verify knows it: it compares what is content on both sides."""
    source = FIXTURES / "markdown" / "cjk-interface.html"
    written = convert.write(convert.read_file(source), "markdown", verify=True).decode()
    assert written == (FIXTURES / "markdown" / "cjk-interface.md").read_text()
    result = run_cli("convert", str(FIXTURES / "text" / "zh-interface.html"), "-t", "md", "--verify", "-v")
    assert result.returncode == 0, result.stderr
    assert "按排序的书架在二楼。" in result.stdout.decode() and "<button>" in result.stderr.decode()


#: The task boxes of fixtures/markdown/task-lists.html in order, ticked or not (written by hand):
#: markdown-it's two, cmark-gfm's tight two and loose three, marked's tight two and loose two,
#: kramdown's three, the one in a <label>. The items that only start with "[x]", the checkbox in
#: the middle of a sentence, the text field and the hidden switch have none.
TASK_STATES = [True, False, True, False, True, False, True, True, False, True, False, True, False, False, True]


def checkbox_states(markup: str) -> list[bool]:
    """Whether each checkbox in a list item of ``markup`` is ticked, in order."""
    tree = lxml_html.fromstring(f"<div>{markup}</div>")
    return [box.get("checked") is not None for box in tree.xpath("//li//input[@type='checkbox']")]


def test_task_lists_keep_their_boxes_through_markdown_and_back():
    """``- [x]``/``- [ ]`` read by our reader give the boxes back (items that only start with
    ``\\[x]`` give none), and md -> md and md -> html -> md are fixed points."""
    source = FIXTURES / "markdown" / "task-lists.html"
    written = (FIXTURES / "markdown" / "task-lists.md").read_text()
    assert convert.write(convert.read_file(source), "markdown", verify=True).decode() == written
    back = convert.read(written.encode(), "markdown")
    assert checkbox_states(back.body_html()) == TASK_STATES
    assert convert.write(back, "markdown").decode() == written
    html = convert.write(convert.read(written.encode(), "markdown"), "html")
    assert checkbox_states(html.decode()) == TASK_STATES
    assert convert.write(convert.read(html, "html", path="tasks.html"), "markdown").decode() == written


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ('<input type="checkbox" checked> <a href="https://example.org/">site</a> up', "- [x] [site](https://example.org/) up"),
        ('<input type="checkbox">[x] and more', "- [ ] \\[x\\] and more"),
        ('<input type="checkbox"> the old mark was [X], now a box\n<br>[x] on the next line', "- [ ] the old mark was [X\\], now a box\\\n  \\[x] on the next line"),
        ('<input type="checkbox" checked> the old mark was [x]', "- [x] the old mark was [x]"),
        ('<input type="checkbox" checked>\n<p>- not a list</p>', "- [x] \\- not a list"),
        ('<!-- box --> <input type="checkbox" checked=false> ticked all the same', "- [x] ticked all the same"),
        ('<p>Done:</p><input type="checkbox" checked>', "- Done:"),
        ('<span></span><input type="checkbox" checked> after a span', "- after a span"),
        # the box is not first: a no-break space opens the item, written as a reference (engines trim a raw one)
        ('&nbsp;<input type="checkbox" checked> after a no-break space', "- &nbsp; after a no-break space"),
    ],
)
def test_only_a_checkbox_first_in_its_item_is_a_task(item, expected):
    """The box counts where an engine puts it (first, white space and comments aside; a ticked
    box is one with ``checked``, whatever its value); what follows it is escaped as a line start,
    and an open box's first line has no "[x]" (cmark-gfm would tick the box: it looks for one
    anywhere in the line)."""
    assert convert.write(convert.read(f"<ul><li>{item}</li></ul>".encode(), "html"), "markdown").decode() == expected + "\n"


# Task soup: items whose box comes first (as each engine puts it: before the text, in the first
# paragraph, before a paragraph, before other blocks, alone) beside items without one, the inline
# and block soups after the box. Every box comes back ticked or not, in order, with the text.
_TASK_SHAPES = ["{box} {inline}", "<p>{box} {inline}</p>", "{box}\n<p>{inline}</p>", "{box}{tree}", "{box}", "{inline}"]


@st.composite
def _task_list(draw: st.DrawFn) -> tuple[str, list[bool]]:
    items, states = [], []
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from(_TASK_SHAPES))
        checked = draw(st.booleans())
        box = f'<input type="checkbox"{" checked" if checked else ""} disabled>'
        if "{box}" in shape:
            states.append(checked)
        items.append("<li>" + shape.format(box=box, inline=draw(_INLINE), tree=draw(_TREE)) + "</li>")
    tag = draw(st.sampled_from(["ul", "ol"]))
    return f"<{tag}>{''.join(items)}</{tag}>", states


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_task_list())
def test_task_soup_keeps_every_box_and_is_idempotent(case):
    body, states = case
    doc = convert.Document(body_html=body)
    markdown = convert.write(doc, "markdown")
    back = convert.read(markdown, "markdown")
    assert checkbox_states(back.body_html()) == states
    assert re.sub(r"\s+", "", back.body.text_content()) == re.sub(r"\s+", "", doc.body.text_content())
    assert convert.write(convert.read(markdown, "markdown"), "markdown") == markdown


def test_an_image_kept_as_html_has_its_attributes_escaped():
    # referrerpolicy keeps the <img> as HTML: &, <, > and both quotes in a value are references
    doc = convert.Document(body_html='<p><img src="a.png?x=1&amp;y=2" alt="Tom &amp; &quot;Jerry&quot; &lt;3 it&#39;s" referrerpolicy="no-referrer"></p>')
    assert convert.write(doc, "markdown").decode() == (
        '<p><img src="a.png?x=1&amp;y=2" alt="Tom &amp; &quot;Jerry&quot; &lt;3 it&#x27;s" referrerpolicy="no-referrer"></p>\n'
    )
