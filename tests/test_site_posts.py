"""Generated real-shaped posts (tests/site_posts.py) built by Hugo, Jekyll and Hexo, one site of
many posts per generator: every build exits 0 without an error or warning line; every page of
ours shows what its control shows (the untouched HTML in the same site, under plain YAML the
generator reads): title, date, terms, blocks of text, links, images, code and embeds; every image
of the page resolves to a file of the built site (page bundles, asset folders, static folders).
"""

from __future__ import annotations

import pytest

import convert
from tests.components import require
from tests.render_engines import difference
from tests.site_posts import make_post, site_files
from tests.sites import SITE_ENGINES, Built, Page, build, embeds, instant, page, page_signature

COUNT = 24  # posts per site: every front-matter shape twice, each kind of body eight times


@pytest.fixture(scope="module")
def site():
    built: dict[str, tuple[Built, list]] = {}

    def get(engine: str) -> tuple[Built, list]:
        require(engine)
        if engine not in built:
            posts, files, generated = {}, site_files(engine), []
            for seed in range(COUNT):
                post = make_post(seed, engine)
                posts[post.name] = convert.write(convert.read(post.source, "html", path=post.name.replace(".md", ".html")), "markdown", profile=engine)
                posts[post.control_name] = post.control
                files.update(post.files)
                generated.append(post)
            built[engine] = (build(engine, posts, site_files=files), generated)
        return built[engine]

    return get


def local_images(page: Page) -> list[str]:
    from lxml import html as lxml_html

    body = lxml_html.fragment_fromstring(page.content or "<p></p>", create_parent="div")
    return [img.get("src") or "" for img in body.iter("img") if "example.com" not in (img.get("src") or "")]


@pytest.mark.parametrize("engine", SITE_ENGINES)
def test_one_site_of_generated_posts_builds_cleanly(site, engine):
    built, generated = site(engine)
    assert (built.returncode, built.errors, built.warnings) == (0, [], []), built.output[-3000:]
    assert [name for name, found in built.pages.items() if found is None] == []
    assert len(generated) == COUNT


@pytest.mark.parametrize("engine", SITE_ENGINES)
@pytest.mark.parametrize("seed", range(COUNT))
def test_each_generated_page_shows_what_its_control_shows(site, engine, seed):
    built, generated = site(engine)
    post = generated[seed]
    mine, control = page(built, post.name), page(built, post.control_name)
    control_title = control.title.removesuffix(" Control") if engine == "jekyll" and not post.title else control.title
    assert (mine.title, mine.categories, mine.tags) == (control_title, control.categories, control.tags)
    if post.title:
        assert mine.title == post.title
    if post.date is not None:
        assert instant(mine.date) == instant(control.date) == post.date
    elif engine != "hexo":  # (Hexo dates a post without a date it reads by its file)
        assert instant(mine.date) == instant(control.date)
    assert difference(page_signature(control), page_signature(mine)) is None
    assert embeds(mine) == embeds(control)
    for shown in (mine, control):
        sources = local_images(shown)
        assert len(sources) >= post.images
        assert [src for src in sources if not built.resolves(shown, src)] == [], f"images of {shown.path} that name no file of the site"
