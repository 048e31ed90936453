"""Converted posts beside untouched posts in real site generators: Hugo, Jekyll, Hexo.

    python bench/sites.py [--generated 100] [--engines hugo,jekyll,hexo]

For each generator, two sites are built (tests/sites.py: our minimal theme, the generator's
defaults, offline): one of the posts converted by ``fmconvert --profile <generator>``, one of the
same posts untouched, as a blog has them. The posts are the fixtures (fixtures/posts and
fixtures/markdown) and ``--generated`` real-shaped posts (tests/site_posts.py: long Chinese
posts, code in many languages, tables, footnotes, local images, embedded video; front matter in
every language and quirk). When a build fails, the posts its errors name are left out and the
site built again, as a user would have to (counted). A page shows what its source shows when
its title, terms and date are the source's and its text, links, images, code and embeds are what
a browser shows of the source (tests/render_engines.signature; a highlighter's table read as the
code it shows, in the source and the page alike). Local images must name a file of the built
site (the generated posts': the fixtures come without image files). Prints a Markdown table for
the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convert  # noqa: E402
from tests.render_engines import difference  # noqa: E402
from tests.site_posts import make_post  # noqa: E402
from tests.sites import SITE_ENGINES, Built, Page, available, body_signature, build, embeds, page_signature  # noqa: E402
from tests.test_sites import POSTS, source_date, source_embeds, terms  # noqa: E402


@dataclass
class Case:
    name: str  # the converted post's file name; the untouched one has the source's suffix
    source: Path  # the post as a blog has it (a file: read by source_signature)
    title: str
    date: dt.datetime | None
    categories: list[str]
    tags: list[str]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def untouched_name(self) -> str:
        return str(Path(self.name).with_suffix(self.source.suffix))


def fixture_cases(engine: str) -> list[Case]:
    cases = []
    for path in POSTS:
        meta = convert.read_file(path).metadata
        name = f"{path.parent.name}-{path.stem}.md"
        categories = terms(meta.get("categories"))
        if engine == "jekyll" and isinstance(meta.get("categories"), str):
            categories = meta["categories"].split()  # Jekyll's own reading of a string
        title = html.unescape(str(meta["title"])) if "title" in meta else Path(name).stem.replace("-", " ").title() if engine == "jekyll" else ""
        cases.append(Case(name, path, title, source_date(meta.get("date")), categories, terms(meta.get("tags"))))
    return cases


def generated_cases(engine: str, count: int, folder: Path) -> list[Case]:
    cases = []
    for seed in range(count):
        post = make_post(seed, engine, bundles=engine != "hexo")  # (Hexo renders no .html post in an asset-folder site)
        source = folder / engine / post.name.replace(".md", ".html")
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(post.source)
        title = post.title or (Path(post.name).stem.replace("-", " ").title() if engine == "jekyll" else "")
        if post.name.endswith("/index.md"):
            title = post.title
        cases.append(Case(post.name, source, title, post.date, post.categories, post.tags, post.files))
    return cases


def build_until_it_passes(engine: str, posts: dict[str, bytes], files: dict[str, bytes]) -> tuple[Built, Built, list[str]]:
    """The first build, the last, and the posts left out so that it passes (those its errors name)."""
    first = last = build(engine, posts, site_files=files)
    left_out: list[str] = []
    for _ in range(60):  # (Jekyll names one failing post a build)
        if last.returncode == 0:
            break
        errors = " ".join(last.errors)
        named = [name for name in posts if re.search(rf"\b{re.escape(name.split('/')[0] if '/' in name else Path(name).stem)}\b", errors)]
        if not named:
            break
        for name in named:
            posts.pop(name)
        left_out += named
        last = build(engine, posts, site_files=files)
    return first, last, left_out


def local_images(page: Page) -> list[str]:
    from lxml import html as lxml_html

    body = lxml_html.fragment_fromstring(page.content or "<p></p>", create_parent="div")
    return [src for img in body.iter("img") if urlsplit(src := img.get("src") or "").netloc in ("", "127.0.0.1")]


def shows(engine: str, page: Page | None, case: Case, expected: dict[str, list]) -> bool:
    if page is None:
        return False
    if (page.title, page.categories, page.tags) != (case.title, case.categories, case.tags):
        return False
    if case.date is not None and (not page.date or dt.datetime.fromisoformat(page.date.replace("Z", "+00:00")) != case.date):
        return False
    return difference(expected, page_signature(page)) is None and embeds(page) == source_embeds(case.source)


def side(engine: str, cases: list[Case], converted: bool) -> dict[str, object]:
    posts: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    for case in cases:
        if converted:
            posts[case.name] = convert.write(convert.read_file(case.source), "markdown", profile=engine)
        else:
            posts[case.untouched_name] = case.source.read_bytes()
        files.update(case.files)
    first, last, left_out = build_until_it_passes(engine, posts, files)
    built = shown = images = resolved = 0
    for case in cases:
        page = last.pages.get(case.name if converted else case.untouched_name)
        built += page is not None
        shown += shows(engine, page, case, body_signature(convert.read_file(case.source).body))
        if page is not None and case.files:  # (the fixtures come without their local images)
            sources = local_images(page)
            images += len(sources)
            resolved += sum(last.resolves(page, src) for src in sources)
    return {"built": built, "shown": shown, "errors": len(first.errors), "warnings": len(first.warnings), "left_out": len(left_out), "images": images, "resolved": resolved, "seconds": last.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=100)
    parser.add_argument("--engines", default=",".join(SITE_ENGINES))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fmsites-"))
    rows = []
    for engine in args.engines.split(","):
        missing = available(engine)
        if missing:
            print(f"{engine}: not installed ({missing})", file=sys.stderr)
            continue
        cases = fixture_cases(engine) + generated_cases(engine, args.generated, folder)
        ours, untouched = side(engine, cases, True), side(engine, cases, False)
        rows.append((engine, len(cases), ours, untouched))
        print(f"{engine}: done ({ours['seconds']:.1f} s and {untouched['seconds']:.1f} s a build)", file=sys.stderr)
    fixtures = len(POSTS)
    print(f"\n{fixtures} fixtures and {args.generated} generated posts a generator; each cell: fmconvert / untouched\n")
    print("| generator | pages built | pages showing the source | error, warning lines (first build) | posts left out until it builds | local images resolved |")
    print("|---|---|---|---|---|---|")
    names = {"hugo": "Hugo 0.168", "jekyll": "Jekyll 4.3.1", "hexo": "Hexo 8.1.2"}
    for engine, total, ours, untouched in rows:

        def pair(key: str, o: dict = ours, u: dict = untouched) -> str:
            return f"{o[key]} / {u[key]}"

        shown = f"**{ours['shown']}/{total}** ({100 * ours['shown'] / total:.0f}%) / {untouched['shown']}/{total} ({100 * untouched['shown'] / total:.0f}%)"
        images = f"{ours['resolved']}/{ours['images']} / {untouched['resolved']}/{untouched['images']}"
        errors = f"{ours['errors']}, {ours['warnings']} / {untouched['errors']}, {untouched['warnings']}"
        print(f"| {names.get(engine, engine)} | {pair('built')} | {shown} | {errors} | {pair('left_out')} | {images} |")
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
