"""Hostile and broken input: named cases and fuzzing. The only allowed outcomes are a correct
result or fmconvert's own error (:class:`convert.ConvertError`) with a clear message; never another
exception, never a hang, never a touched output file on error.

The fuzz tests run a modest number of cases by default. The long mode runs many more:

    FMCONVERT_FUZZ=long python -m pytest tests/test_hostile.py -k fuzz
    FMCONVERT_FUZZ=20000 python -m pytest tests/test_hostile.py -k fuzz   # an exact count per test
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convert
from convert.errors import ConvertError
from convert.formats import WriteOptions
from tests.conftest import POSTS, run_cli

READERS = ("html", "markdown", "json", "jsonl", "xhtml")
WRITERS = ("html", "markdown", "json", "jsonl", "xhtml", "epub")
_mode = os.environ.get("FMCONVERT_FUZZ", "")
EXAMPLES = 2000 if _mode == "long" else int(_mode) if _mode.isdigit() else 60
FUZZ = settings(max_examples=EXAMPLES, deadline=10_000, suppress_health_check=list(HealthCheck), derandomize=not _mode)


def outcome(data: bytes, reader: str = "auto") -> str:
    """Read and write every format; return a summary. Raises anything but ConvertError."""
    started = time.monotonic()
    try:
        document = convert.read(data, reader, path="fuzz.html")
    except ConvertError as err:
        assert str(err) and "\n" not in str(err).strip()
        return "refused"
    for writer in WRITERS:
        try:
            out = convert.write(document, writer, options=WriteOptions(extra={"no_download_images": True}))
            assert isinstance(out, bytes)
        except ConvertError as err:
            assert str(err)
        document = convert.read(data, reader, path="fuzz.html")  # writers may share the tree
    assert time.monotonic() - started < 30
    return "converted"


# ---- fuzzing ---------------------------------------------------------------------------------

SEEDS = [p.read_bytes() for p in POSTS]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["truncate", "insert", "delete", "flip", "duplicate", "markup"]))
        pos = draw(st.integers(0, len(data) - 1))
        if op == "truncate":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "duplicate":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 200))]
        else:
            snippet = draw(st.sampled_from(["<", ">", "&", "<div>", "</p>", "<!--", "-->", "---\n", "+++\n", "{", '"', "\x00", "\r", "<svg>", "<![CDATA[", "&#0;", "&#x110000;", "<img", "\t", "\ufeff"]))
            data[pos:pos] = snippet.encode("utf-8")
    return bytes(data)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes_every_reader(data):
    for reader in READERS:
        try:
            convert.read(data, reader, path="fuzz")
        except ConvertError:
            pass
    outcome(data)


@FUZZ
@given(data=mutated())
def test_fuzz_mutated_fixtures_every_pair(data):
    outcome(data)


@FUZZ
@given(text=st.text(max_size=300), fence=st.sampled_from(["---", "+++", ";;;", "{", ""]))
def test_fuzz_random_front_matter(text, fence):
    head = "{" + text + "}\n" if fence == "{" else f"{fence}\n{text}\n{fence}\n" if fence else text + "\n;;;\n"
    outcome((head + "<p>body</p>\n").encode("utf-8", "surrogatepass"))


@FUZZ
@given(text=st.text(max_size=400), codec=st.sampled_from(["utf-8", "utf-16", "gb18030", "big5", "shift_jis", "latin-1", "cp1252"]))
def test_fuzz_mixed_encodings(text, codec):
    data = text.encode(codec, "ignore")
    outcome(data)
    outcome(text.encode("utf-8", "surrogatepass") + data)


@FUZZ
@given(doc=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20), lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=20))
def test_fuzz_json_documents(doc):
    obj = {"schema": "fmconvert/document/1", "metadata": doc, "body": doc, "types": doc}
    outcome(json.dumps(obj).encode(), "json")
    outcome(json.dumps(doc).encode(), "json")


# ---- named cases -----------------------------------------------------------------------------


def refused(data: bytes, fmt: str = "auto", *, contains: str) -> str:
    with pytest.raises(ConvertError) as info:
        document = convert.read(data, fmt, path="case")
        for writer in ("markdown", "xhtml"):
            convert.write(document, writer)
    assert contains in str(info.value)
    return str(info.value)


def test_yaml_billion_laughs():
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    start = time.monotonic()
    refused(("\n".join(lines) + "\n---\n<p>x</p>\n").encode(), contains="expands to more than 100,000 values")
    assert time.monotonic() - start < 5


def test_yaml_recursive_alias():
    refused(b"---\na: &a [*a]\n---\n", contains="case:2: front matter refers to itself (a recursive YAML alias)")


def test_deep_nesting_100000():
    data = ("<div>" * 100_000 + "x" + "</div>" * 100_000).encode()
    start = time.monotonic()
    refused(data, "html", contains="nested deeper than 512 levels")
    assert time.monotonic() - start < 10
    # Carried as markup, the body is not parsed: HTML -> JSON is lossless even here.
    assert json.loads(convert.write(convert.read(data, "html"), "json"))["body"] == data.decode()


def test_json_nested_100000():
    data = ("[" * 100_000 + "]" * 100_000).encode()
    refused(b'{"schema": "fmconvert/document/1", "metadata": {"a": ' + data + b'}, "body": ""}', "json", contains="nested too deeply")
    refused(b"{" + b'"a":{' * 100_000 + b"}" * 100_001 + b"\n<p>x</p>", "html", contains="case:1: JSON front matter is nested too deeply")


def test_fifty_megabyte_document(tmp_path):
    para = "<p>" + "城市里的小店正在重新定义社区生活，它们不再只卖商品。" * 40 + "</p>\n"
    data = ("---\ntitle: big\n---\n" + para * (50 * 2**20 // len(para.encode()))).encode()
    assert len(data) >= 49 * 2**20
    path = tmp_path / "big.html"
    path.write_bytes(data)
    start = time.monotonic()
    result = run_cli("convert", str(path), "-t", "json", "-o", str(tmp_path / "big.json"), timeout=300)
    assert result.returncode == 0, result.stderr
    to_json = time.monotonic() - start
    result = run_cli("convert", str(path), "-t", "md", "-o", str(tmp_path / "big.md"), timeout=600)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "big.md").stat().st_size > 40 * 2**20
    assert to_json < 60


def test_input_over_the_size_limit_is_refused(monkeypatch):
    import convert.api

    monkeypatch.setattr(convert.api, "MAX_INPUT_BYTES", 1000)
    refused(b"<p>" + b"x" * 2000 + b"</p>", contains="over the 0 MiB limit")


def test_one_megabyte_attribute():
    data = ('<p><img alt="' + "a" * 2**20 + '" src="x.png"></p>').encode()
    for writer in ("markdown", "xhtml", "json"):
        out = convert.write(convert.read(data, "html"), writer)
        assert out.count(b"a" * 1000) >= 1000


def test_nul_and_control_characters():
    refused(b"---\ntitle: x\n---\n<p>a\x00b</p>", contains="binary data")
    doc = convert.read(b"<p>a\x01b\x07c\x0bd\x1fe\x7ff</p>", "html")
    assert doc.body.text_content() == "abcdef"
    xml = convert.write(doc, "xhtml")
    assert b"\x01" not in xml and b"\x07" not in xml


def test_invalid_utf8_is_decoded_or_refused_clearly():
    # A few stray bytes are no evidence of any encoding: refused with the place, never guessed.
    message = refused(b"---\ntitle: ok\n---\n<p>\xff\xfe\xfa broken \xc3\x28</p>", "html", contains="case:4: not valid UTF-8 (byte 0xff at offset 21)")
    assert "--encoding" in message
    # Named, the same bytes decode as that encoding says.
    assert convert.read(b"---\ntitle: ok\n---\n<p>\xe9t\xe9</p>", "html", encoding="latin-1").body.text_content() == "\xe9t\xe9"


@pytest.mark.parametrize(
    "codec,text",
    [
        ("gbk", "老茶馆曾经是街坊交换消息的地方，后来被咖啡馆和手机取代。如今它又回来了，只是换了一种样子。"),
        ("gb18030", "早上七点，巷口的茶馆已经坐满了人。老板把第一壶水烧开，顺手把收音机调到戏曲频道。"),
        ("big5", "老茶館曾經是街坊交換消息的地方，後來被咖啡館和手機取代。如今它又回來了，只是換了一種樣子。"),
        ("shift_jis", "朝七時、路地の喫茶店はもう満席だった。店主は最初のお湯を沸かし、ラジオをつけた。"),
    ],
)
@pytest.mark.parametrize("declared", [True, False])
def test_east_asian_encodings_with_and_without_declaration(codec, text, declared):
    meta = f'<meta charset="{codec}">' if declared else ""
    data = (f"---\ntitle: t\n---\n{meta}<p>{text * 4}</p>\n").encode(codec)
    try:
        doc = convert.read(data, "html")
    except ConvertError as err:
        assert not declared, err  # with a declaration, decoding must succeed
        assert "encoding" in str(err)
        return
    if declared:
        assert text in doc.body.text_content()
    else:  # detection: believed only when right (a wrong guess must be refused, never shown)
        assert doc.metadata == {"title": "t"} and text in doc.body.text_content()


def test_utf16_with_bom_file(tmp_path):
    path = tmp_path / "post.html"
    path.write_bytes("\ufeff---\ntitle: 十六位\n---\n<p>文本</p>\n".encode("utf-16"))
    result = run_cli("convert", str(path), "-t", "json")
    assert json.loads(result.stdout)["metadata"]["title"] == "十六位"


def test_json_body_not_a_string_and_metadata_not_an_object():
    refused(b'{"schema": "fmconvert/document/1", "body": ["x"]}', "json", contains="'body' must be a string")
    refused(b'{"schema": "fmconvert/document/1", "metadata": [1], "body": ""}', "json", contains="'metadata' must be an object")
    refused(b'{"schema": "fmconvert/document/1", "metadata": {"d": "x"}, "types": {"/d": "timestamp"}, "body": ""}', "json", contains="not a valid timestamp")


@pytest.mark.parametrize("block,kind", [("- a\n- b", "a list"), ("just a string", "a single str value"), ("42", "a single int value")])
def test_front_matter_that_is_not_a_mapping(block, kind):
    refused(f"---\n{block}\n---\n<p>x</p>".encode(), contains=f"not {kind}")


def test_duplicate_keys_and_unclosed_fence():
    refused(b"---\na: 1\na: 2\n---\n", contains="duplicate key 'a'")
    refused(b'{"a": 1, "a": 2}\n<p>x</p>', contains="duplicate key 'a'")
    refused(b"+++\ntitle = 'x'\n", contains="never closed")


def test_no_output_touched_on_error(tmp_path):
    out = tmp_path / "out.md"
    out.write_text("keep me")
    bad = tmp_path / "bad.html"
    bad.write_bytes(("<div>" * 1000).encode())
    result = run_cli("convert", str(bad), "-o", str(out))
    assert result.returncode == 1 and "nested deeper" in result.stderr.decode()
    assert out.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["bad.html", "out.md"]


def test_fixture_with_every_byte_value_appended(tmp_path):
    for post in POSTS[:3]:
        outcome(post.read_bytes() + bytes(range(1, 256)))


def test_xml_reader_refuses_entities_and_bombs_cleanly():
    doc = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>&a;</p></body></html>'
    refused(doc, "xhtml", contains="entity")
    refused(b"<html><body><p>unclosed</body>", "xhtml", contains="not well-formed XML")


def test_batch_survives_hostile_files(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "deep.html").write_bytes(("<div>" * 5000).encode())
    (src / "binary.html").write_bytes(bytes(range(256)) * 10)
    (src / "fine.html").write_bytes(POSTS[0].read_bytes())
    result = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "-t", "md", "-j", "2")
    assert result.returncode == 1
    assert "1 converted, 0 unchanged, 2 failed" in result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == ["fine.md"]


def test_readers_are_registered_for_fuzzing():
    names = {row["name"] for row in convert.registry.get_registry().describe()}
    assert set(READERS) <= names and set(WRITERS) <= names
    assert Path(__file__).exists()


def test_found_by_fuzzing_invalid_name_inside_svg():
    """Long-mode fuzzing found this: a lost "<author:" inside an <svg> made lxml refuse the name."""
    data = b"<svg>\n---\ntitle: x\nauthor: y\n<author: z>text</author:>\n</svg><p>after</p>"
    root = convert.write(convert.read(data, "html"), "xhtml")
    assert b"text" in root and b"after" in root


def test_epub_reads_no_local_file_outside_the_resource_root(tmp_path):
    """A post may name any path; the EPUB packager only reads images below the resource root
    (the post's folder unless --resource-root widens it), symlinks followed."""
    import zipfile

    from tests.imageserver import PNG

    site = tmp_path / "site"
    posts = site / "posts"
    (site / "images").mkdir(parents=True)
    posts.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG + b"private")
    (site / "images" / "shared.png").write_bytes(PNG + b"shared")
    (posts / "mine.png").write_bytes(PNG + b"mine")
    (posts / "link.png").symlink_to(secret)
    post = posts / "post.html"
    post.write_text(
        "---\ntitle: Reaching out\ncover: ../../secret.png\n---\n"
        f'<p><img src="mine.png" alt="mine"><img src="../../secret.png" alt="up"><img src="{secret}" alt="absolute">'
        f'<img src="file://{secret}" alt="file url"><img src="link.png" alt="symlink"><img src="/images/shared.png" alt="rooted"></p>'
    )

    def packed(*extra: str) -> list[bytes]:
        out = tmp_path / "book.epub"
        result = run_cli("convert", str(post), "-o", str(out), "--no-download-images", *extra)
        assert result.returncode == 0, result.stderr
        with zipfile.ZipFile(out) as z:
            # the cover named in the front matter is outside the root too: one is generated
            assert "EPUB/images/cover.svg" in z.namelist()
            return sorted(z.read(n)[len(PNG) :] for n in z.namelist() if n.startswith("EPUB/images/") and n != "EPUB/images/cover.svg")

    assert packed() == [b"mine"]
    assert packed("--resource-root", str(site)) == [b"mine", b"shared"]
    result = run_cli("convert", str(post), "-o", str(tmp_path / "b.epub"), "--no-download-images")
    warnings = result.stderr.decode()
    assert "../../secret.png is outside" in warnings and "link.png is outside" in warnings
    assert f"{secret} not found" in warnings  # a '/'-rooted path starts at the root, not at /
    assert f"file://{secret} is neither a web address nor a relative path" in warnings


def test_found_by_fuzzing_a_date_that_is_no_date():
    """Long-mode fuzzing found this: YAML's timestamp pattern matches "2021-0-07 02:22:05", and
    PyYAML then failed with a bare ValueError (month 0). The text stays, as a string, both ways."""
    doc = convert.read(b"---\ntitle: t\ndate: 2021-0-07 02:22:05\nother: 2023-02-30\n---\n<p>x</p>\n", "html")
    assert doc.metadata["date"] == "2021-0-07 02:22:05" and doc.metadata["other"] == "2023-02-30"
    doc.metadata["title"] = "changed"  # the block is written anew: the strings must stay strings
    again = convert.read(convert.write(doc, "html"), "html")
    assert again.metadata == {"title": "changed", "date": "2021-0-07 02:22:05", "other": "2023-02-30"}
    back = convert.read(convert.write(doc, "json"), "json")
    assert back.metadata == doc.metadata


def test_a_coin_toss_between_encodings_is_refused_not_guessed():
    """Western text in windows-1252 also reads cleanly as CP1250 ('crčme'): with no declaration
    the choice is a guess, so it is refused; declared, or named with --encoding, it decodes."""
    text = "Café crème brûlée à la façon de grand-mère, très élégant et léger. " * 12
    data = f"---\ntitle: t\n---\n<p>{text}</p>\n".encode("cp1252")
    refused(data, "html", contains="case:4: not valid UTF-8")
    assert text in convert.read(data, "html", encoding="windows-1252").body.text_content()
    declared = data.replace(b"<p>", b'<meta charset="windows-1252"><p>', 1)
    assert text in convert.read(declared, "html").body.text_content()
