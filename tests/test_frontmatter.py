"""Front matter as people write it: every quirk of FORMAT.md's "The file" and "The front matter"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import convert
from convert.front import render_front_matter


def read(name: str) -> convert.Document:
    return convert.read_file(f"fixtures/posts/{name}")


def test_hexo_post_with_leading_blank_line_and_one_space_list_indent():
    doc = read("hexo-cjk-tea.html")
    assert list(doc.metadata) == ["title", "categories", "headimg", "author", "comments", "date", "thumbnail"]
    assert doc.metadata["categories"] == ["生活方式", "城市观察", "最新文章"]
    assert doc.metadata["comments"] is False
    assert doc.metadata["date"] == "Sat, 13 May 2023 00:00:00 GMT"  # RFC 2822 stays a string
    assert doc.source.frontmatter.line == 3  # the block's first line, blank line counted
    assert doc.source.body_line == 14  # the line after the closing fence
    assert doc.source.leading == "\n"


def test_yaml_corners():
    doc = read("yaml-quirks.html")
    m = doc.metadata
    assert m["title"] == "Don't panic: a guide to YAML's corners"
    assert m["year"] == "2020" and isinstance(m["year"], str)
    assert m["count"] == 42 and m["ratio"] == 0.5 and m["published"] is True
    assert m["author"] == "Jane Q. Public"
    assert m["date"] == dt.date(2021, 8, 7)
    assert m["updated"] == dt.datetime(2021, 8, 7, 2, 22, 5)
    assert m["series"] == "Notes on formats"  # key written with a space before the colon
    assert m["nested"] == {"level": 2, "items": ["a", "b"]}
    assert m["empty"] is None
    assert doc.source.frontmatter.close_fence == "..."


def test_toml_with_offset_datetime_and_no_final_newline():
    doc = read("hugo-toml-no-final-newline.html")
    assert doc.source.frontmatter.kind == "toml"
    assert doc.metadata["date"] == dt.datetime(2012, 3, 4, 21, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert doc.metadata["tags"] == ["homebrew", "macos", "shell"]
    assert convert.write(doc, "html") == open("fixtures/posts/hugo-toml-no-final-newline.html", "rb").read()


def test_json_object_front_matter():
    doc = read("hugo-json-object.html")
    assert doc.source.frontmatter.kind == "json" and doc.source.frontmatter.style == "object"
    assert doc.metadata["weight"] == 12 and doc.metadata["tags"] == ["camping", "gear"]
    assert doc.body_html().lstrip().startswith("<p>The trick")


def test_hexo_semicolon_json_front_matter():
    doc = read("hexo-json-semicolons.html")
    assert doc.source.frontmatter.style == "hexo-json"
    assert doc.metadata == {"title": "Hexo 的 JSON 头信息", "date": "2013/7/13 20:46:25", "tags": ["hexo", "json"]}
    assert doc.source.body_line == 5


def test_bom_and_crlf():
    doc = read("jekyll-crlf-bom.md")
    assert doc.source.bom and doc.source.newline == "\r\n"
    assert doc.metadata["title"] == "CRLF, BOM and a Jekyll date"
    assert doc.source.body_line == 7


def test_no_and_empty_front_matter():
    assert read("no-front-matter.html").metadata == {}
    assert read("no-front-matter.html").source.frontmatter is None
    doc = read("empty-front-matter.html")
    assert doc.metadata == {} and doc.source.frontmatter is not None


@pytest.mark.parametrize(
    "text",
    [
        "---\r\ntitle: x\r\n---\r\n<p>y</p>\r\n",
        "\ufeff---\ntitle: x\n---\n<p>y</p>\n",
        "\n\n  \n---\ntitle: x\n---\n<p>y</p>\n",
        "---\ntitle: x\n...\n<p>y</p>\n",
        "---\ntitle: x\n---",
    ],
)
def test_fence_variants(text):
    assert convert.read(text, "html").metadata == {"title": "x"}


def test_unchanged_metadata_is_reproduced_verbatim_and_changes_keep_other_spellings():
    doc = read("yaml-quirks.html")
    fm = doc.source.frontmatter
    assert render_front_matter(doc.metadata, fm) == fm.block()
    doc.metadata["count"] = 43
    block = render_front_matter(doc.metadata, fm)
    assert "count: 43\n" in block
    assert "# YAML as people write it\n" in block  # the comment before the first key stays
    assert "year: '2020'\n" in block and "author: Jane Q. Public   \n" in block
    assert block.endswith("...\n")
    assert convert.read(block + "<p>x</p>", "html").metadata == doc.metadata


def test_front_matter_language_can_change():
    doc = read("hugo-toml-no-final-newline.html")
    out = convert.write(doc, "html", options=convert.WriteOptions(front_matter="yaml")).decode()
    assert out.startswith("---\ndate: 2012-03-04 21:15:00+08:00\n")
    assert convert.read(out, "html").metadata == doc.metadata
    doc2 = read("yaml-quirks.html")
    toml = convert.write(doc2, "html", options=convert.WriteOptions(front_matter="json")).decode()
    assert toml.startswith("{\n")


def test_string_that_looks_like_a_timestamp_stays_a_string_when_rewritten():
    doc = convert.read("---\na: '2017-04-05 16:16:01 -0800'\nb: 1\n---\n", "html")
    doc.metadata["b"] = 2
    again = convert.read(convert.write(doc, "html"), "html")
    assert again.metadata["a"] == "2017-04-05 16:16:01 -0800"


@pytest.mark.parametrize(
    ("yaml", "where"),
    [("empty:\n", "empty"), ("tags: [a, null]\n", "tags[1]"), ("author:\n  site: {url: null}\n", "author.site.url")],
)
def test_toml_cannot_hold_null_and_says_which_key(yaml, where):
    doc = convert.read(f"---\ntitle: t\n{yaml}---\n<p>x</p>\n", "html")
    with pytest.raises(convert.ConvertError, match=rf": cannot write this metadata as TOML: {re.escape(where)} is null, and TOML has no null$"):
        convert.write(doc, "html", options=convert.WriteOptions(front_matter="toml"))


def test_hugo_images_collect_every_image_field_cover_first():
    from convert.profiles.frontmatter import map_front_matter

    metadata = {
        "title": "t",
        "thumbnail": "https://img.example.com/t.jpg",
        "headimg": "https://img.example.com/h.jpg",
        "og_image": "https://img.example.com/og.jpg",
        "cover": "https://img.example.com/c.jpg",
        "banner": "  ",  # blank: not an image
        "images": ["https://img.example.com/kept.jpg"],
    }
    mapped = map_front_matter({k: v for k, v in metadata.items() if k != "images"}, "hugo")
    assert mapped["images"] == [
        "https://img.example.com/c.jpg",
        "https://img.example.com/h.jpg",
        "https://img.example.com/t.jpg",
        "https://img.example.com/og.jpg",
    ]
    assert mapped["cover"] == "https://img.example.com/c.jpg" and mapped["og_image"] == "https://img.example.com/og.jpg"  # the keys stay
    assert map_front_matter(metadata, "hugo")["images"] == ["https://img.example.com/kept.jpg"]  # a list already there wins
