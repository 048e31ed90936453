"""Converted posts in real site generators (issue #23): Hugo, Jekyll and Hexo build them, and
each page shows what its source shows.

Every post of ``fixtures/posts`` and every case of ``fixtures/markdown`` is converted with
``--profile hugo|jekyll|hexo`` and built in that generator's site (tests/sites.py: our own
minimal theme, the generator's defaults), one site per generator. A post the generator reads as
written (:func:`tests.sites.reads_as_written`) is built beside its untouched original, the
control: our page must show the control's title, date, categories, tags, blocks of text, links,
images, code and embeds. A post in a shape the generator does not read (another generator's front
matter, a blank line before Jekyll's ``---``, YAML closed by ``...``) would fail the build or show
its front matter as text, so our page is compared with the source itself: its front matter's
title, date and terms, its body as a browser reads it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

import convert
from tests.components import require
from tests.conftest import FIXTURES
from tests.render_engines import difference, source_signature
from tests.sites import SITE_ENGINES, Built, build, embeds, instant, page, page_signature, reads_as_written

#: (a Markdown case read with other options, --no-repair, is left to tests/test_engines.py)
_READ_OTHERWISE = set(json.loads((FIXTURES / "markdown" / "options.json").read_text()))
POSTS = sorted((FIXTURES / "posts").iterdir()) + sorted(p for p in (FIXTURES / "markdown").glob("*.html") if p.stem not in _READ_OTHERWISE)
XFAIL: dict[tuple[str, str], str] = {  # our converter's bugs these tests find, until fixed
}


def name_of(path: Path) -> str:
    return f"{path.parent.name}-{path.stem}"


#: posts whose untouched original is no control: the browser shows them otherwise than we read
#: them, by design (compared with the source, as we read it, instead)
NO_CONTROL = {
    "juejin-style-hooks.md": "our reader repairs lost escapes: '<Counter initial={0}>' in its prose is text, which the browser hides as an unknown tag",
    "template-links.html": "its template code names a post and shortcodes no site has: untouched, it fails every build (Jekyll and Hexo: post_url to no post, Hugo: no 'resource' shortcode)",
}

#: posts whose page is not compared with the source: a Jekyll post (the source engine fmconvert
#: detects), whose live code another generator gets translated or shown as text
#: (convert.templates), not the values a template run gives (tests/render_engines.run_templates).
#: Their Markdown is written by hand (fixtures/markdown/*.md, tests/test_markdown.py), and
#: tests/test_sites_templates.py compares such posts with the untouched post in its own generator.
NOT_COMPARED = {
    "template-links.html": "Jekyll code (post_url, relative_url, site.baseurl) beside Hugo shortcodes Liquid reads as broken variables",
}

#: posts left out of one generator's site: for its own generator a post's live code is kept as
#: written, and this post's fails there as the untouched post does (nothing to convert wrongly)
NOT_BUILT = {
    ("jekyll", "template-links.html"): "Liquid: post_url names a post no site has (an exception), and {{< ... >}}, {{% ... %}}, {{ a > b }} are syntax warnings",
}


def native(engine: str, path: Path) -> bool:
    return path.name not in NO_CONTROL and reads_as_written(engine, path.read_bytes())


def cases(is_native: bool) -> list:
    return [
        pytest.param(engine, path, id=f"{engine}-{name_of(path)}", marks=[pytest.mark.xfail(strict=True, reason=XFAIL[engine, path.name])] if (engine, path.name) in XFAIL else [])
        for engine in SITE_ENGINES
        for path in POSTS
        if native(engine, path) == is_native and path.name not in NOT_COMPARED and (engine, path.name) not in NOT_BUILT
    ]


def ours(path: Path, engine: str) -> bytes:
    return convert.write(convert.read_file(path), "markdown", profile=engine)


@pytest.fixture(scope="module")
def site():
    """Each generator's site, built once: every post converted, and the controls of native posts."""
    built: dict[str, Built] = {}

    def get(engine: str) -> Built:
        require(engine)
        if engine not in built:
            posts: dict[str, bytes] = {}
            for path in POSTS:
                if (engine, path.name) in NOT_BUILT:
                    continue
                posts[name_of(path) + ".md"] = ours(path, engine)
                if native(engine, path):
                    posts[name_of(path) + "-control" + path.suffix] = path.read_bytes()
            built[engine] = build(engine, posts)
        return built[engine]

    return get


@pytest.mark.parametrize("engine", SITE_ENGINES)
def test_the_site_builds_cleanly(site, engine):
    built = site(engine)
    assert (built.returncode, built.errors, built.warnings) == (0, [], []), built.output[-3000:]
    assert [name for name, found in built.pages.items() if found is None] == []


@pytest.mark.parametrize(("engine", "path"), cases(True))
def test_our_page_shows_what_the_untouched_post_shows(site, engine, path):
    built = site(engine)
    mine, control = page(built, name_of(path) + ".md"), page(built, name_of(path) + "-control" + path.suffix)
    control_title = control.title
    if engine == "jekyll" and "title" not in convert.read_file(path).metadata:
        control_title = control_title.removesuffix(" Control")  # Jekyll's title from the file's name
    assert (mine.title, mine.categories, mine.tags) == (control_title, control.categories, control.tags)
    if engine != "hexo" or "date" in convert.read_file(path).metadata:  # (Hexo dates a post without one by its file)
        assert instant(mine.date) == instant(control.date)
    assert control.content.strip(), f"the control of {path.name} is empty in {engine}"
    assert difference(page_signature(control), page_signature(mine)) is None
    assert embeds(mine) == embeds(control)


def terms(value: object) -> list[str]:
    if value is None:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]


def source_embeds(path: Path) -> list[str]:
    body = convert.read_file(path).body
    return [el.get("src") or "" for el in body.iter("iframe", "video", "audio", "source", "embed", "object")]


def source_date(value: object) -> dt.datetime | None:
    from convert.dates import post_date

    if isinstance(value, str):
        value = post_date(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return None


@pytest.mark.parametrize(("engine", "path"), cases(False))
def test_our_page_shows_what_the_source_shows(site, engine, path):
    mine = page(site(engine), name_of(path) + ".md")
    meta = convert.read_file(path).metadata
    categories = terms(meta.get("categories"))
    if engine == "jekyll" and isinstance(meta.get("categories"), str):
        categories = meta["categories"].split()  # Jekyll's own reading of a string
    # the title as a browser shows it (Hexo's brace escapes, &#123;, are entities in it)
    title = html.unescape(str(meta["title"])) if "title" in meta else Path(name_of(path)).stem.replace("-", " ").title() if engine == "jekyll" else ""
    assert (mine.title, mine.categories, mine.tags) == (title, categories, terms(meta.get("tags")))
    if meta.get("date") is not None:
        assert instant(mine.date) == source_date(meta["date"])
    expected, _ = source_signature(str(path))
    assert difference(expected, page_signature(mine)) is None
    assert embeds(mine) == source_embeds(path)
