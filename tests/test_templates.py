"""Template code and site generators (#23): posts holding template code, converted for each
generator's profile, against Markdown written by hand (fixtures/templates: ``case.html`` or
``case.md`` beside ``case.<profile>.md``; how a case is read in ``options.json``); the source
engine's detection; the tag table users extend; bad input. Real builds of the same posts are in
tests/test_sites_templates.py."""

from __future__ import annotations

import json
import re

import pytest

import convert
from convert.templates.engines import detect
from tests.conftest import FIXTURES, run_cli

FIX = FIXTURES / "templates"
PROFILES = ("gfm", "hexo", "hugo", "jekyll")
INPUTS = sorted(p for p in FIX.iterdir() if p.suffix in (".html", ".md") and "." not in p.stem and p.name != "other-post.md")
OPTIONS = json.loads((FIX / "options.json").read_text())


def convert_case(path, profile: str, **extra) -> str:
    options = {**OPTIONS.get(path.stem, {}), **extra}
    return convert.write(convert.read_file(path), "markdown", profile=profile, **options).decode()


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
@pytest.mark.parametrize("profile", PROFILES)
def test_each_generator_gets_the_markdown_written_by_hand(path, profile):
    expected = (FIX / f"{path.stem}.{profile}.md").read_text(encoding="utf-8")
    assert convert_case(path, profile) == expected


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_the_api_and_the_command_line_agree(path, tmp_path):
    """The command line (which consumes the tree as it writes, and gives the pass before
    anything parses the body) writes what the library writes."""
    options = OPTIONS.get(path.stem, {})
    args = [a for k, v in options.items() for a in (f"--{k.replace('_', '-')}", v)]
    done = run_cli("convert", str(path), "-t", "md", "--profile", "jekyll", "--strip", "script", *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == (FIX / f"{path.stem}.jekyll.md").read_text(encoding="utf-8")


# ---- which engine a post is written for ---------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "extra", "engine"),
    [
        ('<p>{{< figure src="/a.png" >}}</p>', {}, "hugo"),
        ("<p>{{% notice tip %}}x{{% /notice %}}</p>", {}, "hugo"),
        ("<p>{% asset_img a.png %} and {{ page.title }}</p>", {}, "hexo"),
        ("<p>{{ page.title }}</p>", {"frontmatter_style": ";;;"}, "hexo"),
        ('<a href="{{ "/x" | relative_url }}">x</a>', {}, "jekyll"),
        ("<p>{{ page.title }}</p>", {"path": "site/_posts/2020-01-02-hello.html"}, "jekyll"),
        ('<p>[caption id="attachment_3" align="x"]<img src="a.png"> A[/caption]</p>', {}, "wordpress"),
        ("<p>[caption]x[/caption]</p>", {"metadata": {"wp_id": 3}}, "wordpress"),
        # Template code a page shows (a tutorial), and pages of no engine: everything is text.
        ("<p>Vue shows {{ message }}; Jinja loops with {% for x in y %}.</p>", {}, "none"),
        ("<pre><code>{{% notice tip %}}\n{% highlight ruby %}</code></pre><p><code>{{< x >}}</code></p>", {}, "none"),
        ("<p>Wrap it in {% raw %} and {% endraw %}.</p>", {}, "none"),
        ("<p>See [1] and [caption].</p>", {}, "none"),
    ],
)
def test_auto_names_the_engine_the_post_is_written_for(markup, extra, engine):
    assert detect(markup, **extra) == engine


def test_in_markdown_code_spans_and_fences_say_nothing_but_raw_says_jekyll():
    md = "Use `{{< x >}}`.\n\n```\n{% asset_img a.png %}\n```\n"
    assert detect(md, language="markdown") == "none"
    assert detect(md + "\n{% raw %}{{ x }}{% endraw %}\n", language="markdown") == "jekyll"


# ---- what becomes of live code another engine cannot run ------------------------------------------

UNKNOWN = FIX / "unknown-tags.html"


@pytest.mark.parametrize(
    ("policy", "profile", "lines"),
    [
        ("keep", "hugo", ["Before {% include footer.html %} after.", "Title: {{ page.title | upcase }}, base /x."]),
        ("html-comment", "hugo", ["Before <!-- {% include footer.html %} --> after.", "Title: <!-- {{ page.title | upcase }} -->, base /x."]),
        # Liquid would run code in a comment: a comment for Jekyll has it escaped as text is
        ("html-comment", "hexo", ["Before <!-- &#123;% include footer.html %} --> after.", "Title: <!-- &#123;{ page.title | upcase }} -->, base /x."]),
    ],
)
def test_unknown_tags_kept_live_or_made_comments(policy, profile, lines):
    md = convert_case(UNKNOWN, profile, unknown_tags=policy)
    assert md.split("---\n", 2)[2].strip().split("\n\n") == lines


def test_unknown_tags_fail_names_the_post_and_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out.md"
    done = run_cli("convert", str(UNKNOWN), "-o", str(out), "--profile", "hugo", "--source-engine", "jekyll", "--unknown-tags", "fail")
    assert done.returncode == 1 and not out.exists()
    message = done.stderr.decode().strip()
    assert message == f"fmconvert: {UNKNOWN}:4: template code '{{% include footer.html %}}' has no hugo equivalent (--unknown-tags fail)"
    # the same code for its own generator is kept, whatever the policy
    kept = run_cli("convert", str(UNKNOWN), "-t", "md", "--profile", "jekyll", "--source-engine", "jekyll", "--unknown-tags", "fail")
    assert kept.returncode == 0 and b"Before {% include footer.html %} after." in kept.stdout


@pytest.mark.parametrize(
    ("body", "engine", "line", "message"),
    [
        ("<p>a</p>\n\n{% codeblock lang:js %}\nx = 1\n", "auto", 6, "'{% codeblock lang:js %}' is never closed (no '{% endcodeblock %}')"),
        ('<p>a</p>\n<p>{{< figure src="a.png" </p>\n', "hugo", 5, "shortcode '{{< figure src=\"a.png\" </p>' is never closed by '>}}'"),
        ("<p>{{ page.title }</p>\n", "jekyll", 4, "'{{ page.title }' is not closed by '}}'"),
        ("<p>x</p>\n<p>{% endblockquote %}</p>\n", "hexo", 5, "'{% endblockquote %}' closes no tag"),
    ],
)
def test_template_code_its_engine_would_refuse_is_an_error_naming_the_line(tmp_path, body, engine, line, message):
    post = tmp_path / "post.html"
    post.write_text("---\ntitle: t\n---\n" + body, encoding="utf-8")
    out = tmp_path / "post.md"
    done = run_cli("convert", str(post), "-o", str(out), "--profile", "gfm", "--source-engine", engine)
    assert (done.returncode, done.stderr.decode().strip()) == (1, f"fmconvert: {post}:{line}: {message}")
    assert not out.exists()


def test_shown_text_is_never_an_error():
    """The same unbalanced delimiters in a post of no engine (as a published page writes them)
    are text, and stay text."""
    doc = convert.read(b"---\ntitle: t\n---\n<p>{{&lt; figure {% if x {{ x }</p>\n", "html", path="p.html")
    md = convert.write(doc, "markdown", profile="hugo").decode()
    assert md.endswith("\n{{&lt; figure {% if x {{ x }\n")


# ---- the tag table ------------------------------------------------------------------------------

def note_post(tmp_path):
    post = tmp_path / "note.html"
    post.write_text("---\ntitle: t\n---\n<p>{% asset_path a.png %}</p>\n{% note warning %}\n<p>Careful.</p>\n{% endnote %}\n", encoding="utf-8")
    return post


TABLE = '[note]\nhexo = "{% note {class} %}{inner}{% endnote %}"\nhugo = "{{% notice {class} %}}{inner}{{% /notice %}}"\nwrite = ["hugo"]\nhtml = \'<div class="note {class}">{inner}</div>\'\n'


def test_a_users_table_translates_their_own_tags(tmp_path):
    post = note_post(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.fmconvert.tags." + TABLE[1:], encoding="utf-8")
    hugo = run_cli("convert", str(post), "-t", "md", "--profile", "hugo", "-v")
    assert hugo.returncode == 0, hugo.stderr
    assert hugo.stdout.decode().split("---\n", 2)[2] == "\na.png\n\n{{% notice warning %}}\n\nCareful.\n\n{{% /notice %}}\n"
    assert b"template code (hexo): 2 translated" in hugo.stderr
    jekyll = run_cli("convert", str(post), "-t", "md", "--profile", "jekyll")  # (the writer shows a <div>'s content)
    assert jekyll.stdout.decode().split("---\n", 2)[2] == "\na.png\n\nCareful.\n"


def test_a_tags_file_is_read_too(tmp_path):
    post = note_post(tmp_path)
    (tmp_path / "more.toml").write_text(TABLE, encoding="utf-8")
    done = run_cli("convert", str(post), "-t", "md", "--profile", "hugo", "--tags", str(tmp_path / "more.toml"))
    assert done.returncode == 0 and b"{{% notice warning %}}" in done.stdout
    plain = run_cli("convert", str(post), "-t", "md", "--profile", "hugo")  # without it: shown as written
    assert b"{% note warning %}" in plain.stdout and b"notice" not in plain.stdout


@pytest.mark.parametrize(
    ("file", "text", "line", "message"),
    [
        ("more.toml", '[note]\nhexo = "{% note %}"\ncolour = "red"\n', 3, "unknown key 'colour' in [note] (one of function, hexo, html, hugo, jekyll, wordpress, write)"),
        ("more.toml", '[note]\nhexo = "{% note\n', 2, "malformed tag table: Illegal character '\\n'"),
        ("more.toml", '[note]\n\nhugo = "{{< >}}"\n', 3, "[note] hugo: '{{< >}}' has no tag name"),
        ("more.toml", '[note]\nhtml = "<b></b>"\n', 1, "[note] names no engine's pattern (hexo, jekyll, hugo, wordpress)"),
        ("more.toml", '[note]\nhexo = "{% note %}"\nfunction = "eval"\n', 3, "[note] function 'eval' is not one of asset_link, code, figure, hexo_asset_img, hexo_blockquote, hexo_code, hexo_img, literal, post_link, wp_caption, wp_embed, wp_gallery, wp_media, youtube"),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.fmconvert.tags.note]\nhexo = "{% note %}"\nwrite = ["hexo", "mkdocs"]\n', 6, "[note] write must list engines (hexo, jekyll, hugo, wordpress)"),
    ],
)
def test_a_tag_table_that_cannot_be_used_is_a_usage_error_naming_its_line(tmp_path, file, text, line, message):
    post = note_post(tmp_path)
    (tmp_path / file).write_text(text, encoding="utf-8")
    args = ["--tags", str(tmp_path / file)] if file != "pyproject.toml" else []
    done = run_cli("convert", str(post), "-t", "md", *args)
    assert (done.returncode, done.stderr.decode().strip()) == (2, f"fmconvert: {tmp_path / file}:{line}: {message}")
    batch = run_cli("batch", str(tmp_path), "-o", str(tmp_path / "out"), "-t", "md", *args)
    assert batch.returncode == 2 and not (tmp_path / "out").exists()


# ---- WordPress, post links, batch, HTML -----------------------------------------------------------


def test_wordpress_shortcodes_only_in_a_wordpress_export_or_when_asked():
    page = b"---\ntitle: t\n---\n<p>[audio src=\"a.mp3\"]</p>\n<p>[1] [gallery]</p>\n"
    plain = convert.write(convert.read(page, "html", path="p.html"), "markdown").decode()
    assert plain.endswith('\n[audio src="a.mp3"]\n\n[1] [gallery]\n')
    asked = convert.write(convert.read(page, "html", path="p.html"), "markdown", source_engine="wordpress").decode()
    assert asked.endswith('\n<audio controls src="a.mp3"></audio>\n\n[1]\n')


def test_an_unresolved_post_link_is_reported(tmp_path):
    post = tmp_path / "a.html"
    post.write_text("---\ntitle: t\n---\n<p>{% post_link missing-post Missing %} and {% post_link b %}</p>\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Bee\n---\nb\n", encoding="utf-8")
    done = run_cli("convert", str(post), "-t", "md")
    assert done.stdout.decode().endswith("\n[Missing](../missing-post/) and [Bee](../b/)\n")
    assert done.stderr.decode().strip() == f"fmconvert: warning: {post}: post link to 'missing-post': no post 'missing-post' beside this one (written as ../missing-post/)"


def test_batch_counts_what_became_of_template_code(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("hexo-live-tags.html", "unknown-tags.html", "vue-tutorial.html", "other-post.md"):
        (src / name).write_bytes((FIX / name).read_bytes())
    done = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "-t", "md", "--profile", "hugo", "--source-engine", "auto", "-v")
    assert done.returncode == 0, done.stderr
    err = done.stderr.decode()
    # hexo-live-tags: codeblock, blockquote, two post links, img; unknown-tags (Jekyll's, by its
    # site.baseurl): site.baseurl, and two tags shown as text; vue-tutorial: no engine's
    assert re.search(r"4 converted, 0 unchanged, 0 failed, template code: 6 translated, 2 shown as text in ", err), err
    assert "hexo-live-tags.html: template code (hexo): 5 translated\n" in err
    assert "unknown-tags.html: template code (jekyll): 1 translated, 2 shown as text\n" in err
    assert "vue-tutorial" not in err


def test_html_for_a_generator_is_escaped_as_markdown_is():
    doc = convert.read((FIX / "vue-tutorial.html").read_bytes(), "html", path="v.html")
    html = convert.write(doc, "html", profile="jekyll").decode()
    assert "<code>{% raw %}{{ message }}{% endraw %}</code>" in html
    assert 'alt="The {% raw %}{{ mustache }}{% endraw %} syntax"' in html
    same = convert.write(convert.read((FIX / "vue-tutorial.html").read_bytes(), "html", path="v.html"), "html")
    assert same == (FIX / "vue-tutorial.html").read_bytes()  # no generator: as written
