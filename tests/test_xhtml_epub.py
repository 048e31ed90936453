"""XHTML and EPUB: well-formed always, safe to read, round trips, and EPUBs that pass the real
EPUBCheck with their images fetched from a local HTTP server."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import convert
from tests.conftest import FIXTURES, POSTS, run_cli
from tests.imageserver import ImageServer


def strict(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=False))


def xhtml_of(html: str) -> etree._Element:
    return strict(convert.write(convert.read(html.encode(), "html"), "xhtml"))


NS = {"x": "http://www.w3.org/1999/xhtml", "svg": "http://www.w3.org/2000/svg"}


def test_every_fixture_gives_a_complete_xhtml_document(post):
    data = convert.write(convert.read_file(post), "xhtml")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n')
    root = strict(data)
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    assert root.get("lang") and root.get("{http://www.w3.org/XML/1998/namespace}lang") == root.get("lang")
    assert root.find("x:head/x:title", NS).text
    assert root.find("x:body/x:section", NS) is not None
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert not root.xpath("//x:script|//x:style|//x:iframe|//@*[starts-with(name(), 'on')]", namespaces=NS)
    assert all(img.get("alt") is not None for img in root.iter("{http://www.w3.org/1999/xhtml}img"))


def test_language_and_title():
    zh = strict(convert.write(convert.read_file("fixtures/posts/hexo-cjk-tea.html"), "xhtml"))
    assert zh.get("lang") == "zh" and zh.find("x:head/x:title", NS).text == "城市茶馆的第二次生命"
    en = strict(convert.write(convert.read_file("fixtures/posts/english-link-post.html"), "xhtml"))
    assert en.get("lang") == "en"
    braces = strict(convert.write(convert.read_file("fixtures/posts/juejin-style-hooks.md"), "xhtml"))
    assert braces.find("x:head/x:title", NS).text == "React 状态管理里的 {useReducer} 小技巧"


def test_language_tags_at_the_edges():
    def lang(front: str) -> str:
        return xhtml_of(f"---\n{front}\n---\n<p>城市茶馆的第二次生命，从一壶茶开始。</p>").get("lang")

    assert lang("lang: pt_BR") == "pt-BR"
    assert lang("language: ' en-x-twain '") == "en-x-twain"  # one-letter subtags are tags
    assert lang("locale: de-abcdefghi") == "zh"  # a 9-character subtag is not: the text's script decides
    code = xhtml_of('<pre lang="en-x-twain"><code lang="de-abcdefghi">x = 1</code></pre><pre><code lang="pt_BR">y</code></pre>')
    assert [el.get("lang") for el in code.iter("{*}pre", "{*}code")] == ["en-x-twain", None, None, None]


def test_html_xhtml_html_keeps_metadata_and_body(post):
    doc = convert.read_file(post)
    back = convert.read(convert.write(doc, "xhtml"), "xhtml")
    assert convert.model.same_value(back.metadata, doc.metadata)
    strip = re.compile(r"\s+")
    # Scripts, styles, buttons (a "copy code" one too) and form controls are not EPUB content; an
    # iframe becomes a link to its source; everything else a reader sees remains.
    interface = ".//button|.//input|.//select|.//textarea|.//dialog|.//*[contains(@class, 'copy-code-btn')]"
    for el in doc.body.xpath(f".//style|.//script|.//svg|{interface}"):
        el.drop_tree()
    for el in doc.body.xpath(".//iframe"):
        el.tail = el.get("src") + (el.tail or "")
        el.drop_tree()
    assert strip.sub("", back.body.text_content()) == strip.sub("", doc.body.text_content())
    assert [h.text_content().strip() for h in back.body.iter("h2")] == [h.text_content().strip() for h in doc.body.iter("h2")]
    assert [i.get("src") for i in back.body.iter("img")] == [i.get("src") or i.get("data-src") for i in doc.body.iter("img") if (i.get("src") or i.get("data-src"))]


BROKEN = {
    "unclosed tags": "<div><p>one<p>two<ul><li>a<li>b</div><em>open",
    "stray ampersand": "<p>Fish & chips &amp; peas &bogus; &#0; &#xD800;</p>",
    "bad attributes": '<p fallback={x} 1bad="y" onclick="alert(1)" align=center a:b="c">text</p><a href="javascript:alert(1)">x</a>',
    "control characters": "<p>soh\x01 bell\x07 vt\x0b del\x7f ok\ufffe</p>",
    "duplicate ids": '<h2 id="a">one</h2><h2 id="a">two</h2><p id="1 2">three</p>',
    "svg": '<svg viewBox="0 0 10 10"><linearGradient id="g"/><path d="M0 0"/><foreignObject><p>x</p></foreignObject></svg>',
    "obsolete and unknown": "<center><font color=red>red</font></center><marquee>m</marquee><blink>b</blink><custom-el>c</custom-el>",
    "forms and frames": '<form action="/x"><input name=q><button onclick="x()">Go</button></form><iframe src="//player.example.com/v?id=1&x=2"></iframe>',
    "images": '<img src="a.png"><img data-src="lazy.png"><img alt="none"><img src="b.png" referrerpolicy="noreferrer" width="100%">',
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_html_still_gives_well_formed_xhtml(name):
    root = xhtml_of(BROKEN[name])
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^[A-Za-z][\w.\-]*$", i) for i in ids)


def test_specific_repairs():
    svg = xhtml_of(BROKEN["svg"])
    el = svg.find(".//svg:svg", NS)
    assert el is not None and el.get("viewBox") == "0 0 10 10"
    assert svg.find(".//svg:linearGradient", NS) is not None and svg.find(".//svg:foreignObject", NS) is not None
    frames = xhtml_of(BROKEN["forms and frames"])
    assert frames.xpath("//x:a/@href", namespaces=NS) == ["https://player.example.com/v?id=1&x=2"]
    assert not frames.xpath("//x:form|//x:input|//@onclick", namespaces=NS)
    images = xhtml_of(BROKEN["images"])
    imgs = images.findall(".//x:img", NS)
    assert [i.get("src") for i in imgs] == ["a.png", "lazy.png", "b.png"]
    assert all(i.get("alt") is not None for i in imgs)
    assert imgs[2].get("referrerpolicy") is None and imgs[2].get("width") is None
    dup = xhtml_of(BROKEN["duplicate ids"])
    assert dup.xpath("//@id") == ["a", "a-2", "id-1-2"]
    bad = xhtml_of(BROKEN["bad attributes"])
    assert not bad.xpath("//@onclick|//@align|//x:a/@href", namespaces=NS)


def test_verbose_lists_what_was_dropped(tmp_path):
    src = tmp_path / "post.html"
    src.write_text("<p>x</p><script>alert(1)</script><iframe src='https://v.example.com/1'></iframe>")
    result = run_cli("convert", str(src), "-t", "xhtml", "-v")
    assert "<script> removed (1)" in result.stderr.decode() and "<iframe> became a link (1)" in result.stderr.decode()


def test_xxe_reads_no_file_and_no_network(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    with ImageServer() as server:
        doc = (
            '<?xml version="1.0"?>\n<!DOCTYPE html [\n'
            f'<!ENTITY file SYSTEM "file://{secret}">\n<!ENTITY net SYSTEM "{server.base}/xxe">\n'
            f'<!ENTITY % remote SYSTEM "{server.base}/dtd"> %remote;\n]>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>&file;&net;</p></body></html>'
        )
        path = tmp_path / "evil.xhtml"
        path.write_text(doc)
        result = run_cli("convert", str(path), "-t", "html")
        assert b"TOP-SECRET" not in result.stdout + result.stderr
        assert server.requests == []
        assert result.returncode == 1 and result.stderr.decode().endswith("evil.xhtml: XML entity references are not allowed in XHTML input\n"), result.stderr


def test_billion_laughs_in_xml_is_refused_quickly(tmp_path):
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doc = '<?xml version="1.0"?>\n<!DOCTYPE html [' + "".join(lol) + ']>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>'
    path = tmp_path / "lol.xhtml"
    path.write_text(doc)
    result = run_cli("convert", str(path), "-t", "json", timeout=20)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert len(result.stdout) < 10_000


def test_localize_images_for_xhtml(tmp_path):
    with ImageServer() as server:
        post = tmp_path / "post.html"
        post.write_text(f'<p><img src="{server.mapped("https://img.example.cn/a.png")}" alt="a"> <img src="{server.mapped("https://img.example.cn/missing.png")}" alt="b"></p>')
        out = tmp_path / "out" / "post.xhtml"
        out.parent.mkdir()
        result = run_cli("convert", str(post), "-o", str(out), "--localize-images", str(tmp_path / "out" / "images"), "--allow-private-hosts")
        assert result.returncode == 0, result.stderr
        root = strict(out.read_bytes())
        srcs = [i.get("src") for i in root.iter("{http://www.w3.org/1999/xhtml}img")]
        assert srcs[0].startswith("images/") and srcs[0].endswith(".png") and (out.parent / srcs[0]).exists()
        assert srcs[1].endswith("missing.png") and "could not be fetched: HTTP 404" in result.stderr.decode()
        assert all(referer is None for _, _, referer in server.requests)


def _localized_copy(post: Path, server: ImageServer, tmp_path: Path) -> Path:
    text = post.read_bytes().decode("utf-8-sig")
    urls = set(re.findall(r"""(?:https?:)?//[^\s"'<>)]+\.(?:png|jpe?g|gif|webp|image)(?:\?[^\s"'<>)]*)?|https?://cors\.example\.dev/\?[^\s"'<>]+""", text))
    urls |= set(re.findall(r"""^(?:cover|headimg|thumbnail|image|banner):\s*['"]?(https?://[^'"\s]+)""", text, re.M))  # the cover
    for url in urls:
        text = text.replace(url, server.mapped(url))
    copy = tmp_path / post.name
    copy.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("post_path", POSTS, ids=[p.name for p in POSTS])
def test_every_fixture_makes_an_epub_that_passes_epubcheck(post_path, tmp_path, epubcheck):
    with ImageServer() as server:
        source = _localized_copy(post_path, server, tmp_path)
        out = tmp_path / "book.epub"
        result = run_cli("convert", str(source), "-o", str(out), "--allow-private-hosts")
        assert result.returncode == 0, result.stderr
        assert b"could not be fetched" not in result.stderr
    with zipfile.ZipFile(out) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        images = [n for n in z.namelist() if n.startswith("EPUB/images/")]
        chapter = z.read("EPUB/chapter-001.xhtml")
        cover = re.search(r'href="([^"]+)" media-type="[^"]+" properties="cover-image"', z.read("EPUB/package.opf").decode()).group(1)
    # Every image of the post is in the book (stored once per distinct content: the test server
    # answers every .jpg with the same bytes), and every <img> points at a file of the package;
    # the cover is one more (the front matter's image, or one made from the title).
    expected = len([i for i in convert.read_file(source).body.iter("img") if i.get("src")])
    srcs = {"EPUB/" + s.decode() for s in re.findall(rb'<img[^>]*? src="([^"]+)"', chapter)}
    assert len(re.findall(rb"<img ", chapter)) == expected and srcs | {"EPUB/" + cover} == set(images)
    assert b'src="http' not in chapter  # every image is inside the book
    check = epubcheck(str(out))
    problems = [(m.level, m.id, m.message) for m in check.messages]
    assert check.valid and problems == []


def test_unreachable_images_keep_the_epub_valid(tmp_path, epubcheck):
    with ImageServer() as server:
        post = tmp_path / "post.html"
        post.write_text(f'---\ntitle: Offline\n---\n<p><img src="{server.mapped("https://a.example/missing.jpg")}" alt="a lost photo"></p><p><img src="no-such-local.png" alt="local"></p>')
        out = tmp_path / "book.epub"
        result = run_cli("convert", str(post), "-o", str(out), "--allow-private-hosts")
    assert result.returncode == 0 and result.stderr.decode().count("replaced by its alt text") == 2
    chapter = zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml").decode()
    assert ">a lost photo</a>" in chapter and "<img" not in chapter
    assert epubcheck(str(out)).valid


def test_book_of_many_posts(tmp_path, epubcheck):
    from convert.epub import build_book
    from convert.formats import WriteOptions

    docs = [convert.read_file(p) for p in POSTS if "tea" in p.name or "json" in p.name or "yaml" in p.name]
    data = build_book(docs, WriteOptions(extra={"no_download_images": True, "book_title": "A little anthology"}))
    out = tmp_path / "book.epub"
    out.write_bytes(data)
    with zipfile.ZipFile(out) as z:
        chapters = sorted(n for n in z.namelist() if n.startswith("EPUB/chapter-"))
        nav = z.read("EPUB/nav.xhtml").decode()
    assert len(chapters) == len(docs) and "A little anthology" in nav
    assert nav.index("Hexo 的 JSON 头信息") < nav.index("城市茶馆的第二次生命")  # 2013 before 2023: ordered by date
    assert epubcheck(str(out)).valid


@pytest.mark.parametrize("shape", ["kramdown", "pandoc", "markdown-it"])
def test_footnotes_in_an_epub(shape, tmp_path, epubcheck):
    """kramdown's ids ("fn:1") are not valid XML ids; the links to them follow the rename, and a
    link to an anchor the document lacks loses its href, so EPUBCheck finds no broken fragment.
    References and notes carry epub:type, so reading systems can show notes in a pop-up."""
    post = tmp_path / "post.html"
    post.write_text((FIXTURES / "markdown" / f"footnotes-{shape}.html").read_text() + '<p><a href="#gone">a lost anchor</a></p>')
    root = strict(convert.write(convert.read_file(post), "xhtml"))
    ids = set(root.xpath("//@id"))
    fragments = [href[1:] for href in root.xpath("//x:a/@href", namespaces=NS) if href.startswith("#")]
    assert fragments and all(f in ids for f in fragments)
    assert root.xpath("//x:a[.='a lost anchor']/@href", namespaces=NS) == []
    # marked for pop-up notes: each reference, each note
    epub = {**NS, "epub": "http://www.idpf.org/2007/ops"}
    refs = root.xpath("//x:a[@epub:type='noteref']/@href", namespaces=epub)
    notes = root.xpath("//x:li[@epub:type='endnote']/@id", namespaces=epub)
    assert refs and sorted(href[1:] for href in refs) == sorted(notes)
    out = tmp_path / "post.epub"
    assert run_cli("convert", str(post), "-o", str(out)).returncode == 0
    check = epubcheck(str(out))
    assert check.valid and [m.id for m in check.messages] == []


def test_chapter_header_and_book_metadata_from_the_front_matter(tmp_path, epubcheck):
    post = tmp_path / "post.html"
    post.write_text(
        "---\ntitle: 'Notes from the river'\nauthor: Ann Lee\ndate: 2022-09-12 08:00:00\n"
        "categories: [travel]\ntags: [boats, rivers]\ndescription: A week on the water.\n---\n"
        "<p>We left at dawn.</p>\n",
        encoding="utf-8",
    )
    out = tmp_path / "book.epub"
    assert run_cli("convert", str(post), "-o", str(out)).returncode == 0
    z = zipfile.ZipFile(out)
    chapter = strict(z.read("EPUB/chapter-001.xhtml"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    header = chapter.find(".//h:header", ns)
    assert header is not None and header.find("h:h1", ns).text == "Notes from the river"
    assert header.find("h:p", ns).text == "Ann Lee — 12 September 2022 — travel · boats · rivers"
    opf = z.read("EPUB/package.opf").decode()
    assert [s for s in re.findall(r"<dc:subject>([^<]+)</dc:subject>", opf)] == ["travel", "boats", "rivers"]
    assert "<dc:description>A week on the water.</dc:description>" in opf and "<dc:creator>Ann Lee</dc:creator>" in opf
    check = epubcheck(str(out))
    assert check.valid and [m.message for m in check.messages] == []
    bare = tmp_path / "bare.epub"
    assert run_cli("convert", str(post), "-o", str(bare), "--no-chapter-header").returncode == 0
    assert b"<header" not in zipfile.ZipFile(bare).read("EPUB/chapter-001.xhtml")
    # a body that opens with the title does not get it twice
    post.write_text("---\ntitle: Same\n---\n<h1>Same</h1><p>x</p>\n")
    assert run_cli("convert", str(post), "-o", str(out)).returncode == 0
    assert zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml").decode().count(">Same</h1>") == 1


INTERFACE_PAGES = {  # fixture -> (text that stays, text of buttons, controls, options and dialogs)
    "markdown/cjk-interface.html": (("开业第一天，只来了三位客人。", "ls ~/books | wc -l", "订书请选，再留言。", "欢迎来信：", "下次见。"), ("点赞", "复制", "老街店", "河边店", "赞赏", "扫码支持作者", "订阅", "此处无字")),
    "text/zh-interface.html": (("周六下午，店里只剩翻书的声音。", "营业时间", "按排序的书架在二楼。", "想说点什么？", "下周见。"), ("喜欢 8", "复制代码", "出版年份", "书名", "赞赏", "咖啡钱", "在这里写评论", "发送")),
}


@pytest.mark.parametrize("fixture", sorted(INTERFACE_PAGES))
def test_buttons_and_form_controls_are_left_out_of_xhtml_and_epub(fixture, tmp_path, epubcheck):
    """As in Markdown and plain text: buttons, form controls, a select's options, dialogs and
    "copy code" buttons go with what they hold; the <form> a page wraps its article in goes, its
    content (a fieldset's legend too) stays."""
    source = FIXTURES / fixture
    out = tmp_path / "post.epub"
    result = run_cli("convert", str(source), "-o", str(out), "--no-download-images", "-v")
    assert result.returncode == 0, result.stderr
    assert "<button> removed" in result.stderr.decode() and "<form> unwrapped (1)" in result.stderr.decode()
    kept, gone = INTERFACE_PAGES[fixture]
    xhtml = strict(convert.write(convert.read_file(source), "xhtml"))
    chapter = strict(zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml"))
    for root in (xhtml, chapter):
        assert not root.xpath("//x:button|//x:input|//x:select|//x:option|//x:textarea|//x:dialog|//x:form|//x:img", namespaces=NS)
        text = "".join(root.find("x:body", NS).itertext())
        assert all(words in text for words in kept), text
        assert not [words for words in gone if words in text], text
    check = epubcheck(str(out))
    assert check.valid and [m.id for m in check.messages] == []


def _xml_entries(path: Path) -> dict[str, etree._Element]:
    """Every XML entry of an EPUB, each read by the strict parser (which refuses a character XML
    forbids)."""
    with zipfile.ZipFile(path) as z:
        return {n: strict(z.read(n)) for n in z.namelist() if n.endswith((".xhtml", ".opf", ".xml", ".svg"))}


def test_control_characters_in_the_front_matter_never_reach_the_xml(tmp_path, epubcheck):
    """YAML escapes give front-matter strings characters XML 1.0 forbids; every place they are
    written (cover page and generated cover, package metadata, navigation, chapter header, the
    XHTML head) leaves them out, and the rest of the string stays."""
    post = tmp_path / "post.html"
    post.write_text(
        '---\ntitle: "Tea\\x01 at\\x0b dusk"\nauthor: "Ann\\x02 Lee"\ndescription: "A quiet\\x03 evening."\n'
        'date: 2022-09-12\ncategories: ["travel\\x05"]\ntags: ["boats\\x04"]\n---\n<p>We left at dawn.</p>\n',
        encoding="utf-8",
    )
    out = tmp_path / "post.epub"
    result = run_cli("convert", str(post), "-o", str(out), "--offline")
    assert result.returncode == 0, result.stderr
    xml = _xml_entries(out)
    assert {"EPUB/cover.xhtml", "EPUB/images/cover.svg", "EPUB/nav.xhtml", "EPUB/package.opf", "EPUB/chapter-001.xhtml"} <= set(xml)
    ns = {**NS, "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    opf = xml["EPUB/package.opf"]
    assert opf.xpath("//dc:title/text()", namespaces=ns) == ["Tea at dusk"]
    assert opf.xpath("//dc:creator/text()", namespaces=ns) == ["Ann Lee"]
    assert opf.xpath("//dc:description/text()", namespaces=ns) == ["A quiet evening."]
    assert opf.xpath("//dc:subject/text()", namespaces=ns) == ["travel", "boats"]
    cover = xml["EPUB/cover.xhtml"]
    assert cover.xpath("//x:title/text()", namespaces=ns) == ["Tea at dusk"] and cover.xpath("//x:img/@alt", namespaces=ns) == ["Tea at dusk"]
    assert xml["EPUB/images/cover.svg"].xpath("//svg:text/text()", namespaces=ns) == ["Tea at dusk", "Ann Lee"]
    assert xml["EPUB/nav.xhtml"].xpath("//x:title/text()|//x:h1/text()", namespaces=ns) == ["Tea at dusk", "Tea at dusk"]
    header = xml["EPUB/chapter-001.xhtml"].find(".//x:header", ns)
    assert [el.text for el in header] == ["Tea at dusk", "Ann Lee — 12 September 2022 — travel · boats"]
    head = strict(run_cli("convert", str(post), "-t", "xhtml").stdout).find("x:head", ns)
    assert head.findtext("x:title", namespaces=ns) == "Tea at dusk"
    assert {m.get("name"): m.get("content") for m in head.findall("x:meta[@name]", ns) if m.get("name") != "fmconvert-metadata"} == {
        "author": "Ann Lee", "description": "A quiet evening.", "keywords": "boats"}
    check = epubcheck(str(out))
    assert check.valid and [m.message for m in check.messages] == []
    # a body opening with the title as shown does not get it twice
    post.write_text('---\ntitle: "Sa\\x01me"\n---\n<h1>Same</h1><p>x</p>\n', encoding="utf-8")
    assert run_cli("convert", str(post), "-o", str(out), "--offline").returncode == 0
    assert [h.text for h in _xml_entries(out)["EPUB/chapter-001.xhtml"].iterfind(".//x:h1", ns)] == ["Same"]


def test_control_characters_in_a_book_of_many_posts(tmp_path, epubcheck):
    """``batch --book``: the book's title and author from the command line, chapter titles and
    table-of-contents groups from the front matter, all with characters XML forbids."""
    src = tmp_path / "posts"
    src.mkdir()
    (src / "one.html").write_text('---\ntitle: "River\\x01 notes"\nauthor: "Ann\\x02 Lee"\ndate: 2022-09-12\ncategories: ["travel\\x05"]\n---\n<p>Dawn.</p>\n')
    (src / "two.html").write_text('---\ntitle: "Sea\\x0e days"\ndate: 2021-01-01\ncategories: ["sea\\x10"]\n---\n<h2>Part\x1f one</h2><p>Salt.</p>\n')
    out = tmp_path / "book.epub"
    result = run_cli("batch", str(src), "-t", "epub", "--book", str(out), "--toc-by", "category", "--title", "Col\x06lected", "--author", "Bo\x07", "--offline", "-q")
    assert result.returncode == 0, result.stderr
    xml = _xml_entries(out)
    ns = {**NS, "dc": "http://purl.org/dc/elements/1.1/"}
    assert xml["EPUB/package.opf"].xpath("//dc:title/text()|//dc:creator/text()", namespaces=ns) == ["Collected", "Bo"]
    toc = xml["EPUB/nav.xhtml"].find(".//x:nav[@id='toc']", ns)
    assert [el.text for el in toc.iter("{http://www.w3.org/1999/xhtml}span", "{http://www.w3.org/1999/xhtml}a")] == [
        "sea", "Sea days", "Sea days", "Part one", "travel", "River notes", "River notes"]  # each chapter, then its headings
    assert [h.text for h in xml["EPUB/chapter-002.xhtml"].iterfind(".//x:h1", ns)] == ["River notes"]
    assert xml["EPUB/images/cover.svg"].xpath("//svg:text/text()", namespaces=ns) == ["Collected", "Bo"]
    check = epubcheck(str(out))
    assert check.valid and [m.message for m in check.messages] == []


def test_code_that_lost_its_escapes_shows_the_same_code_in_every_writer():
    """In code, ``Optional<Button>`` and ``List<Object>`` open elements that every writer drops
    elsewhere; a browser shows their text, so Markdown, plain text and XHTML keep it as code, and
    a highlighter's "copy code" control in the same block is still left out."""
    html = (
        '<pre><code class="language-java">Optional<Button> b = find();\nList<Object> items = new ArrayList<>();'
        '<span class="copy-code-btn">复制代码</span>\n</code></pre><p>打赏 <button>赞赏</button> 结束</p>'
    ).encode()
    shown = ["Optional b = find();", "List items = new ArrayList<>();"]
    md = convert.write(convert.read(html, "html"), "markdown").decode()
    text = convert.write(convert.read(html, "html"), "text").decode()
    xhtml = strict(convert.write(convert.read(html, "html"), "xhtml"))
    code = "".join(xhtml.find(".//x:pre", NS).itertext())
    assert code.splitlines() == shown
    assert "```java\n" + "\n".join(shown) + "\n```" in md
    assert "\n".join("    " + line for line in shown) in text  # html2text indents code by four spaces
    for out in (md, text, "".join(xhtml.find("x:body", NS).itertext())):
        assert "复制代码" not in out and "赞赏" not in out and "打赏" in out


#: A lost '<' parsed as a browser parses it (--no-repair), and the body of the XHTML we expect,
#: written from what a browser shows: the tag hidden, what it holds kept, in the same paragraph.
LOST_TAGS = {
    "kafka tuple": ("<p>Kafka keys are <PID,Partition,SeqNumber> tuples, and the broker drops a repeat.</p>", "<p>Kafka keys are  tuples, and the broker drops a repeat.</p>"),
    "java generics": ("<p>A Map<String, List<Integer>> of lists, and Optional<User> here.</p>", "<p>A Map&gt; of lists, and Optional<span> here.</span></p>"),
    "pairs": ("<p>Pairs like <a,b> and <x, y> are compared first; the <1st> one wins.</p>", "<p>Pairs like  and  are compared first; the &lt;1st&gt; one wins.</p>"),
    "in a list": ("<ul><li>A KStream<K, V> is a stream of <em>records<T></em>.</li></ul>", "<ul><li>A KStream is a stream of <em>records<span/></em>.</li></ul>"),
    "nested unknown": ("<p>Then <foo>nested <bar>unknown</bar> names</foo> too.</p>", "<p>Then <span>nested <span>unknown</span> names</span> too.</p>"),
}


@pytest.mark.parametrize("name", LOST_TAGS)
def test_lost_tags_read_as_a_browser_reads_them_are_unwrapped(name):
    from lxml import html as lxml_html

    markup, expected = LOST_TAGS[name]
    root = strict(convert.write(convert.read(markup.encode(), "html", repair=False), "xhtml"))
    section = root.find(".//x:section", NS)
    body = re.sub(r' xmlns(:\w+)?="[^"]*"', "", "".join(etree.tostring(child, encoding="unicode", with_tail=False) for child in section))
    assert body == expected
    shown = lxml_html.fragment_fromstring(markup, create_parent="div").text_content()  # what a browser shows
    assert "".join(section.itertext()) == shown


def test_a_book_of_lost_tags_passes_epubcheck(tmp_path, epubcheck):
    src = tmp_path / "generics.html"
    src.write_text("---\ntitle: Generics on the wire\n---\n" + "\n".join(markup for markup, _ in LOST_TAGS.values()), encoding="utf-8")
    out = tmp_path / "generics.epub"
    result = run_cli("convert", str(src), "-o", str(out), "--no-repair", "--offline")
    assert result.returncode == 0, result.stderr
    check = epubcheck(str(out))
    assert [(m.level, m.id, m.message) for m in check.messages] == [] and check.valid


def test_task_list_boxes_stay_disabled_in_xhtml_and_epub(tmp_path, epubcheck):
    """A task list's box is its item's state: kept as a disabled checkbox, ticked or not (the
    book passes EPUBCheck), and the XHTML read back gives the same Markdown. Every other
    <input> (a box inside a sentence, a text field, a hidden switch) is still left out."""
    from tests.test_markdown import TASK_STATES

    source = FIXTURES / "markdown" / "task-lists.html"
    out = tmp_path / "tasks.epub"
    result = run_cli("convert", str(source), "-o", str(out), "--no-download-images")
    assert result.returncode == 0, result.stderr
    xhtml = convert.write(convert.read_file(source), "xhtml")
    for root in (strict(xhtml), strict(zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml"))):
        boxes = root.xpath("//x:input", namespaces=NS)
        assert [box.get("checked") == "checked" for box in boxes] == TASK_STATES
        assert all(box.get("type") == "checkbox" and box.get("disabled") == "disabled" for box in boxes)
        assert all(box.xpath("ancestor::x:li", namespaces=NS) for box in boxes)
    check = epubcheck(str(out))
    assert check.valid and [m.id for m in check.messages] == []
    written = convert.write(convert.read(xhtml, "xhtml", path="tasks.xhtml"), "markdown").decode()
    assert written == (FIXTURES / "markdown" / "task-lists.md").read_text()
