"""HTML -> JSON -> HTML is lossless for every fixture; the JSON matches the shipped schema."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest

import convert
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("convert").joinpath("schema/document.schema.json").read_text())


def test_cli_pipeline_reproduces_the_file(post):
    """`fmconvert convert X -t json | fmconvert convert -f json -t html` gives the input back."""
    original = post.read_bytes()
    to_json = run_cli("convert", str(post), "-t", "json")
    assert to_json.returncode == 0, to_json.stderr.decode()
    back = run_cli("convert", "-f", "json", "-t", "html", input=to_json.stdout)
    assert back.returncode == 0, back.stderr.decode()
    doc = convert.read_file(post)
    if doc.source.format == "markdown":
        # A Markdown post's JSON body is its HTML rendering: metadata and body come back, as HTML.
        again = convert.read(back.stdout, "html")
        assert convert.model.same_value(again.metadata, doc.metadata)
        assert again.body_html().strip() == doc.body_html().strip()
    else:
        assert back.stdout == original


def test_metadata_and_body_survive_after_parsing_the_body(post):
    """Even when the body tree was built (and re-serialized), metadata and body structure hold."""
    doc = convert.read_file(post)
    before_meta = doc.metadata
    before_text = doc.body.text_content()
    again = convert.read(convert.write(doc, "json"), "json")
    assert convert.model.same_value(again.metadata, before_meta)
    assert again.body.text_content() == before_text


def test_json_output_matches_schema(post, schema):
    data = json.loads(convert.write(convert.read_file(post), "json"))
    jsonschema.validate(data, schema)
    line = convert.write(convert.read_file(post), "jsonl")
    assert line.count(b"\n") == 1
    jsonschema.validate(json.loads(line), schema)


def test_types_are_kept_in_json():
    doc = convert.read_file("fixtures/posts/yaml-quirks.html")
    data = json.loads(convert.write(doc, "json"))
    assert data["metadata"]["year"] == "2020"  # a string that looks like a number stays a string
    assert data["metadata"]["count"] == 42
    assert data["metadata"]["published"] is True
    assert data["metadata"]["date"] == "2021-08-07"
    assert data["types"] == {"/date": "date", "/updated": "timestamp"}
    back = convert.read(json.dumps(data), "json")
    assert back.metadata["date"] == dt.date(2021, 8, 7)
    assert back.metadata["updated"] == dt.datetime(2021, 8, 7, 2, 22, 5)


def test_jekyll_offset_timestamp_keeps_its_offset():
    doc = convert.read_file("fixtures/posts/jekyll-crlf-bom.md")
    date = doc.metadata["date"]
    assert isinstance(date, dt.datetime)
    assert date.utcoffset() == dt.timedelta(hours=-7)
    data = json.loads(convert.write(doc, "json"))
    assert data["metadata"]["date"] == "2018-11-02T09:30:00-07:00"
    assert data["types"]["/date"] == "timestamp"


def test_edited_json_metadata_rewrites_only_what_changed():
    """A title changed with jq: the block is rewritten, other entries keep their spelling."""
    data = json.loads(convert.write(convert.read_file("fixtures/posts/hexo-cjk-tea.html"), "json"))
    data["metadata"]["title"] = "新标题"
    html = convert.write(convert.read(json.dumps(data), "json"), "html").decode()
    assert "title: 新标题\n" in html
    assert "date: Sat, 13 May 2023 00:00:00 GMT\n" in html
    assert "categories: \n - 生活方式\n" in html  # one-space list indent, trailing space, as written
    reread = convert.read(html.encode(), "html")
    assert reread.metadata["title"] == "新标题"
    assert reread.metadata["categories"] == ["生活方式", "城市观察", "最新文章"]


def test_json_and_jsonl_cli_with_jq_style_access():
    out = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html", "-t", "jsonl")
    assert out.returncode == 0
    assert json.loads(out.stdout)["metadata"]["title"] == "城市茶馆的第二次生命"
