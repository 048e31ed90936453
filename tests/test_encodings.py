"""Encodings: UTF-8 by default, BOMs, declared charsets, detection, --encoding; output UTF-8."""

from __future__ import annotations

import json

import pytest

import convert
from tests.conftest import run_cli

ARTICLE = (
    "---\ntitle: 茶馆与城市\n---\n<p>老茶馆曾经是街坊交换消息的地方，后来被咖啡馆和手机取代。如今它又回来了，"
    "只是换了一种样子。早上七点，巷口的茶馆已经坐满了人，老板把第一壶水烧开。</p>\n"
)


def _meta(charset: str) -> str:
    return ARTICLE.replace("<p>", f'<meta charset="{charset}"><p>', 1)


@pytest.mark.parametrize("codec,label", [("gbk", "gbk"), ("gb18030", "gb18030"), ("gb18030", "gb2312")])
def test_declared_chinese_charset(codec, label):
    doc = convert.read(_meta(label).encode(codec), "html")
    assert doc.metadata["title"] == "茶馆与城市"
    assert "巷口的茶馆已经坐满了人" in doc.body.text_content()


TRADITIONAL = "---\ntitle: 茶館與城市\n---\n<meta charset=\"big5\"><p>老茶館曾經是街坊交換消息的地方。</p>\n"
JAPANESE = "---\ntitle: 喫茶店の朝\n---\n<meta charset=\"shift_jis\"><p>朝七時、店主は最初のお湯を沸かす。</p>\n"


@pytest.mark.parametrize("text,codec", [(TRADITIONAL, "big5"), (JAPANESE, "shift_jis")])
def test_declared_big5_and_shift_jis(text, codec):
    doc = convert.read(text.encode(codec), "html")
    assert doc.metadata["title"] == text.split("title: ")[1].split("\n")[0]
    assert doc.body.text_content().strip() == text.split("<p>")[1].split("</p>")[0]


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_undeclared_gbk_is_detected(codec):
    doc = convert.read((ARTICLE * 3).encode(codec).split(b"---\n<p>", 1)[0] + b"---\n<p>" + ARTICLE.split("<p>")[1].encode(codec), "html")
    assert doc.metadata["title"] == "茶馆与城市"
    assert doc.source.encoding in ("gb18030", "gbk", "gb2312", "cp936")


def test_utf16_with_bom():
    data = "\ufeff".encode("utf-16-le") + ARTICLE.encode("utf-16-le")
    doc = convert.read(data, "html")
    assert doc.metadata["title"] == "茶馆与城市" and doc.source.bom


def test_forced_encoding_and_utf8_output(tmp_path):
    path = tmp_path / "post.html"
    path.write_bytes(ARTICLE.encode("gb18030"))
    result = run_cli("convert", str(path), "-t", "json", "--encoding", "gb18030")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["metadata"]["title"] == "茶馆与城市"
    assert data["source"]["encoding"] == "gb18030"


def test_wrong_forced_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "post.html"
    path.write_bytes(ARTICLE.encode("utf-8"))
    result = run_cli("convert", str(path), "-t", "json", "--encoding", "ascii")
    assert result.returncode == 1
    assert f"{path}:" in result.stderr.decode() and "cannot decode" in result.stderr.decode()


def test_stale_meta_charset_does_not_override_valid_utf8():
    doc = convert.read(_meta("gbk").encode("utf-8"), "html")
    assert doc.metadata["title"] == "茶馆与城市"
