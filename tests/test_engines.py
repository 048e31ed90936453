"""Our Markdown in the engines blogs publish with, compared with the source document.

Every fixture (posts, Markdown cases, engine cases) is converted to Markdown with the profile of
each engine's site generator, rendered by the real engine (markdown-it-py, cmark-gfm, Hexo's
marked, Jekyll's kramdown; see tests/render_engines.py), and the rendered document must be the
source's: the same blocks of text (typography included), link targets, images and code. A page
written for one generator (``hexo-``, ``hugo-``, ``jekyll-`` fixtures, with that generator's
template code) is checked in the engines that read plain Markdown and in its own generator's; its
template code is run first, as the generator runs it. The untouched HTML body, pasted into the
same engine, is the control: converting must never be worse than not converting.
"""

from __future__ import annotations

import pytest

import convert
from convert.front.split import split_front_matter
from tests.components import require
from tests.conftest import FIXTURES
from tests.render_engines import COMPONENT, ENGINES, PROFILE, difference, run_templates, signature, source_signature
from tests.test_markdown import TASK_STATES, checkbox_states

CASES = sorted((FIXTURES / "posts").iterdir()) + sorted((FIXTURES / "markdown").glob("*.html")) + sorted((FIXTURES / "engines").glob("*.html"))
GENERATORS = {"marked": "hexo", "kramdown": "jekyll"}


def own_generator(path) -> str | None:
    """The generator a page's template code is written for: its name's prefix, else the source
    engine fmconvert detects (convert.templates.engines; fixtures/markdown/template-links.html
    is a Jekyll post), or None."""
    named = next((g for g in ("hexo", "hugo", "jekyll") if path.name.startswith(g + "-")), None)
    if named is not None:
        return named
    from convert.templates.engines import detect

    doc = convert.read_file(path)
    engine = detect(doc.body_html(), doc.metadata, str(path))
    return engine if engine in ("hexo", "hugo", "jekyll") else None


def applies(path, engine: str) -> bool:
    """A page written for one generator is checked in that generator's engine only: for another
    engine its template code is translated or shown as text (tests/test_templates.py and
    tests/test_sites_templates.py check those in the real generators)."""
    own = own_generator(path)
    return own is None or GENERATORS.get(engine) == own


def markdown_body(path, profile: str) -> str:
    md = convert.write(convert.read_file(path), "markdown", profile=profile).decode("utf-8")
    return split_front_matter(md.lstrip("\ufeff").replace("\r\n", "\n")).body


@pytest.fixture(scope="module", params=list(ENGINES))
def engine(request):
    require(*COMPONENT[request.param])
    return request.param


def test_every_fixture_renders_as_its_source(engine):
    cases = [p for p in CASES if applies(p, engine)]
    sources = [source_signature(str(p)) for p in cases]
    ours = [run_templates(markdown_body(p, PROFILE[engine]), spans) for p, (_, spans) in zip(cases, sources, strict=True)]
    rendered = ENGINES[engine](ours)
    failures = [f"{p.name}: {d}" for p, (sig, _), html in zip(cases, sources, rendered, strict=True) if (d := difference(sig, signature(html)))]
    assert failures == [], f"{engine} with --profile {PROFILE[engine]}:\n" + "\n".join(failures)


def test_never_worse_than_the_untouched_html(engine):
    cases = [p for p in CASES if applies(p, engine)]
    sources = [source_signature(str(p)) for p in cases]
    untouched = []
    for p, (_, spans) in zip(cases, sources, strict=True):
        doc = convert.read_file(p)
        doc.body  # noqa: B018
        untouched.append(run_templates(doc.body_html(), spans))
    control = ENGINES[engine](untouched)
    ours = ENGINES[engine]([run_templates(markdown_body(p, PROFILE[engine]), spans) for p, (_, spans) in zip(cases, sources, strict=True)])
    kept_control = sum(difference(sig, signature(h)) is None for (sig, _), h in zip(sources, control, strict=True))
    kept_ours = sum(difference(sig, signature(h)) is None for (sig, _), h in zip(sources, ours, strict=True))
    assert kept_ours >= kept_control


def test_task_lists_keep_their_boxes_in_every_engine(engine):
    """Each engine reads our ``- [x]``/``1. [ ]`` as a ticked or empty box, and the items that
    only start with ``\\[x]`` as text (fixtures/markdown/task-lists.html, every engine's shapes)."""
    markdown = markdown_body(FIXTURES / "markdown" / "task-lists.html", PROFILE[engine])
    assert checkbox_states(ENGINES[engine]([markdown])[0]) == TASK_STATES


@pytest.mark.parametrize("path", [p for p in CASES if p.parent.name == "engines"], ids=lambda p: p.name)
@pytest.mark.parametrize("profile", ["gfm", "commonmark", "hexo", "hugo", "jekyll"])
def test_template_code_is_kept_verbatim_for_its_own_generator(path, profile):
    """Live template code stays as written when the post is published with its own generator
    (for another, it is translated or shown as text: tests/test_templates.py); no placeholder
    ever leaks into any output."""
    doc = convert.read_file(path)
    doc.body  # noqa: B018
    spans = doc.templates
    md = convert.write(convert.read_file(path), "markdown", profile=profile).decode()
    if profile == own_generator(path):
        for span in spans:
            assert md.count(span) >= 1, f"{span!r} is not in the Markdown as written"
    assert "\ue300" not in md and "%EE%8C%80" not in md
    for to in ("html", "text", "json"):
        out = convert.write(convert.read_file(path), to).decode()
        assert "\ue300" not in out and "%EE%8C%80" not in out


def engine_of(profile: str) -> str:
    """The source engine of our own Markdown for ``profile``: its generator's, or none (our
    Markdown for GitHub holds no live template code: what looked like it is text)."""
    return profile if profile in ("hexo", "hugo", "jekyll") else "none"


@pytest.mark.parametrize("profile", ["gfm", "hexo", "jekyll"])
@pytest.mark.parametrize("path", [p for p in CASES if p.parent.name == "engines"], ids=lambda p: p.name)
def test_markdown_is_a_fixed_point(path, profile):
    first = convert.write(convert.read_file(path), "markdown", profile=profile)
    again = convert.write(convert.read(first, "markdown"), "markdown", profile=profile, source_engine=engine_of(profile))
    assert again == first


# ---- real-shaped pages, generated ---------------------------------------------------------------

_QUIRKS = [
    "<p>text with\n\nblank lines   and   runs</p>",
    "<ul>stray {% for x in xs %}<li>item {{ x | upcase }}</li>{% endfor %} more</ul>",
    "<p>编辑 | 张三 责编 | 李四</p>",
    "<p>line<br>&nbsp;</p>",
    '<p><a href="https://example.com/a b">spaced</a> and <a href="{{ post.url | relative_url }}">templated</a></p>',
    "<p>see www.example.com or https://example.org/x</p>",
    '<p>{{< figure src="/a.png" title="A" >}}</p>',
    "<pre><code>a | b\n  {{ raw }}</code></pre>",
    "<p>\"quotes\" -- dashes... 'single'</p>",
    '<p><img src="rel/a.png" alt="a relative image"></p>',
]


def _page(seed: int) -> str:
    import random
    import sys

    sys.path.insert(0, str(FIXTURES.parent / "bench"))
    from corpus import make_post

    rng = random.Random(seed)
    post = make_post(seed, rng.randrange(2_000, 12_000))
    head, sep, body = post.partition("<div>")
    parts = body.split("\n")
    # Between blocks, never inside a code block (a <pre> in a <pre> is left out: see the notes).
    places = [i for i in range(len(parts) + 1) if sum(p.count("<pre") - p.count("</pre>") for p in parts[:i]) == 0]
    for _ in range(rng.randrange(1, 5)):
        parts.insert(rng.choice(places), rng.choice(_QUIRKS))
        places = [i for i in range(len(parts) + 1) if sum(p.count("<pre") - p.count("</pre>") for p in parts[:i]) == 0]
    return head + sep + "\n".join(parts)


@pytest.mark.parametrize("profile", ["gfm", "hexo", "jekyll"])
def test_generated_pages_are_fixed_points(profile):
    for seed in range(40):
        page = _page(seed).encode()
        first = convert.write(convert.read(page, "html", path="p.html"), "markdown", profile=profile)
        ours = engine_of(profile)
        again = convert.write(convert.read(first, "markdown", path="p.md"), "markdown", profile=profile, source_engine=ours)
        assert again == first, f"seed {seed}: -f md -t md changed the Markdown"
        html = convert.write(convert.read(first, "markdown", path="p.md"), "html", profile=profile, source_engine=ours)
        through_html = convert.write(convert.read(html, "html", path="p.html"), "markdown", profile=profile, source_engine=ours)
        assert through_html == first, f"seed {seed}: md -> html -> md changed the Markdown"


def test_profiles_map_front_matter_and_come_from_the_configuration(tmp_path):
    import datetime as dt

    post = tmp_path / "post.html"
    post.write_text(
        "---\ntitle: Notes\ndate: Wed, 24 Aug 2022 00:00:00 GMT\nupdated: 2013/7/13 20:46:25\n"
        "headimg: https://img.example.com/a.jpg\npermalink: /old/\ncategories: life notes\nextra: kept\n---\n"
        '<p>"Straight" -- quotes...</p>\n',
        encoding="utf-8",
    )
    from tests.conftest import run_cli

    hugo = run_cli("convert", str(post), "-t", "md", "--profile", "hugo")
    assert hugo.returncode == 0, hugo.stderr
    meta = convert.read(hugo.stdout, "markdown").metadata
    assert meta["date"] == dt.datetime(2022, 8, 24, tzinfo=dt.timezone.utc)
    assert meta["lastmod"] == dt.datetime(2013, 7, 13, 20, 46, 25, tzinfo=dt.timezone.utc) and "updated" not in meta
    assert meta["images"] == ["https://img.example.com/a.jpg"] and meta["aliases"] == ["/old/"] and meta["extra"] == "kept"
    assert b'\\"Straight\\" -\\- quotes..\\.' in hugo.stdout
    (tmp_path / ".fmconvert.toml").write_text('profile = "jekyll"\ntimezone = "+08:00"\n[front-matter.jekyll]\nextra = "kept_as"\n')
    jekyll = run_cli("convert", str(post), "-t", "md")
    meta = convert.read(jekyll.stdout, "markdown").metadata
    assert meta["date"] == dt.datetime(2022, 8, 24, tzinfo=dt.timezone.utc)  # RFC 2822 names its zone
    assert meta["categories"] == ["life", "notes"] and meta["kept_as"] == "kept" and "extra" not in meta
    plain = run_cli("convert", str(post), "-t", "md", "--profile", "gfm")
    assert b'"Straight" -- quotes...' in plain.stdout and b"Wed, 24 Aug 2022" in plain.stdout
    hexo = run_cli("convert", str(post), "-t", "html", "--profile", "hexo")
    assert hexo.stdout == post.read_bytes()  # Hexo: front matter and body as written
    bad = run_cli("convert", str(post), "-t", "md", "--profile", "nope")
    assert bad.returncode == 2


@pytest.mark.parametrize(
    "name, body",
    [("en.html", "<p>plain</p>\nSee [the docs](https://example.com) and *this*.\n"), ("zh.htm", "见 [文档](https://example.cn) 与 **这里**。\n")],
)
def test_html_files_are_html_whatever_the_body_looks_like(tmp_path, name, body):
    path = tmp_path / name
    path.write_text("---\ntitle: t\n---\n" + body, encoding="utf-8")
    doc = convert.read_file(path)
    assert doc.source.format == "html" and not list(doc.body.iter("a"))
    md = convert.write(convert.read_file(path), "markdown").decode()
    rendered = ENGINES["markdown-it"]([split_front_matter(md).body])[0]
    assert "<a " not in rendered and "](" in signature(rendered)["blocks"][-1][1]  # shown as written
    sniffed = tmp_path / (name.rsplit(".", 1)[0] + ".md")
    sniffed.write_text("---\ntitle: t\n---\n" + body.replace("<p>plain</p>\n", ""), encoding="utf-8")
    assert convert.read_file(sniffed).source.format == "markdown"


def test_template_links_in_an_epub_become_text_and_the_book_is_valid(tmp_path, epubcheck):
    import zipfile

    for name in ("jekyll-liquid.html", "hugo-shortcodes.html", "hexo-tags-zh.html"):
        out = tmp_path / (name + ".epub")
        data = convert.write(convert.read_file(FIXTURES / "engines" / name), "epub", no_download_images=True)
        out.write_bytes(data)
        chapter = zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml").decode()
        assert "{{" in chapter or "{%" in chapter  # the template code is there, as text
        assert 'href="{{' not in chapter and 'href="%7B' not in chapter
        check = epubcheck(out)
        assert check.valid and [m.message for m in check.messages] == [], name


def test_lost_tags_parsed_as_a_browser_does_render_as_the_browser_shows_them(engine):
    """With --no-repair a lost '<' is a tag, as in a browser (``<PID,Partition,SeqNumber>``,
    ``Map<K, V>``): the browser hides the tag and shows what it holds. Each engine must show the
    same of our Markdown: a tag whose name is not one to CommonMark is unwrapped, never written
    as a tag the engines would show as text. (Our reader repairs the HTML it reads from
    Markdown, so markdown-it is run alone here.)"""
    from convert.readers.markdown import markdown_to_html

    path = FIXTURES / "markdown" / "lost-tags-no-repair.html"
    md = convert.write(convert.read_file(path, repair=False), "markdown", profile=PROFILE[engine]).decode()
    render = (lambda texts: [markdown_to_html(t) for t in texts]) if engine == "markdown-it" else ENGINES[engine]
    assert difference(signature(path.read_text()), signature(render([md])[0])) is None
