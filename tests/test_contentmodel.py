"""Content-model repair (:mod:`convert.xhtml.contentmodel`): hand-written cases side by side in
``fixtures/contentmodel/``, a property over generated broken markup (nothing lost, always valid
for EPUBCheck), and EPUBCheck on a book of every case."""

from __future__ import annotations

import os
import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import convert
from tests.conftest import FIXTURES, POSTS

CASES = sorted(p for p in (FIXTURES / "contentmodel").glob("*.html") if not p.name.endswith(".expected.html"))
X = "{http://www.w3.org/1999/xhtml}"


def _section(data: bytes) -> etree._Element:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return root.find(f".//{X}section")


def _canonical(el: etree._Element) -> str:
    """Markup without namespaces and without whitespace between tags, for comparison."""
    text = etree.tostring(el, encoding="unicode")
    text = re.sub(r' xmlns(:\w+)?="[^"]*"', "", text)
    text = re.sub(r"<(/?)html:", r"<\1", text)
    text = re.sub(r">\s+<", "><", text)
    return re.sub(r"<(\w+)([^>]*)/>", r"<\1\2></\1>", text).strip()


def _words(text: str) -> Counter[str]:
    """The characters of a text, whitespace aside: the same multiset means nothing was lost or
    repeated (repairs add separators and may move a table's stray content before it)."""
    return Counter("".join(text.split()))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_matches_its_expected_body(case: Path) -> None:
    section = _section(convert.write(convert.read_file(case), "xhtml"))
    expected = etree.fromstring(f"<section xmlns=\"http://www.w3.org/1999/xhtml\">{(case.parent / (case.stem + '.expected.html')).read_text()}</section>")
    got = _canonical(section).split(">", 1)[1].rsplit("<", 1)[0]
    want = _canonical(expected).split(">", 1)[1].rsplit("<", 1)[0]
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_loses_no_word(case: Path) -> None:
    document = convert.read_file(case)
    before = _words(document.body.text_content())
    after = _words("".join(_section(convert.write(document, "xhtml")).itertext()))
    assert after == before


# Generated broken markup: every element may stand in every other, text everywhere.
TAGS = "p div span a em strong code h2 h3 pre ul ol li dl dt dd table tbody tr td th caption figure figcaption details summary blockquote section header footer address ruby rt output small".split()
WORDS = "alpha beta gamma delta 茶馆 城市 第二 生命 kappa lambda 春天 sigma omega 代码 列表".split()


def _generate(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 5 and rng.random() < 0.6:
            tag = rng.choice(TAGS)
            attrs = ' href="https://example.org/x"' if tag == "a" else (f' id="n{rng.randint(0, 9999)}"' if rng.random() < 0.2 else "")
            parts.append(f"<{tag}{attrs}>{_generate(rng, depth + 1)}</{tag}>")
        else:
            parts.append(f" {rng.choice(WORDS)}{rng.randint(0, 99)} ")
    return "".join(parts)


def _generated_posts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"---\ntitle: Generated {i}\ndate: 2020-01-{i % 28 + 1:02d}\n---\n" + _generate(rng) for i in range(count)]


ROUNDS = int(os.environ.get("FMCONVERT_CONTENTMODEL_CASES", "300"))


def test_generated_broken_markup_keeps_every_word_and_stays_well_formed() -> None:
    for post in _generated_posts(ROUNDS, seed=1301):
        document = convert.read(post.encode(), "html")
        before = _words(document.body.text_content())
        section = _section(convert.write(document, "xhtml"))
        assert _words("".join(section.itertext())) == before, post


def _problems(check: object) -> list[tuple[str, str, str]]:
    return [(m.level, m.id, f"{m.location} {m.message[:200]}") for m in check.messages]  # type: ignore[attr-defined]


def test_generated_broken_markup_makes_a_valid_book(tmp_path: Path, epubcheck: type) -> None:
    """120 generated posts, one book, EPUBCheck once: every repair must give valid XHTML."""
    from convert.epub import build_book
    from convert.formats import WriteOptions

    docs = [convert.read(post.encode(), "html") for post in _generated_posts(120, seed=77)]
    out = tmp_path / "generated.epub"
    out.write_bytes(build_book(docs, WriteOptions(extra={"no_download_images": True, "book_title": "Generated"})))
    check = epubcheck(str(out))
    assert _problems(check) == [] and check.valid


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_case_as_an_epub_passes_epubcheck(case: Path, tmp_path: Path, epubcheck: type) -> None:
    out = tmp_path / "case.epub"
    from tests.conftest import run_cli

    result = run_cli("convert", str(case), "-o", str(out), "--offline")
    assert result.returncode == 0, result.stderr
    check = epubcheck(str(out))
    assert _problems(check) == [] and check.valid


def test_one_book_of_every_fixture_passes_epubcheck(tmp_path: Path, epubcheck: type) -> None:
    """Every post fixture and every content-model case together, as ``batch --book`` makes it."""
    from tests.conftest import run_cli

    tree = tmp_path / "all"
    tree.mkdir()
    for path in [*POSTS, *CASES]:
        (tree / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "all.epub"
    result = run_cli("batch", str(tree), "-t", "epub", "--book", str(out), "--offline", "--toc-by", "category", "--title", "Everything")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        chapters = [n for n in z.namelist() if n.startswith("EPUB/chapter-")]
    assert len(chapters) == len(POSTS) + len(CASES)
    check = epubcheck(str(out))
    assert _problems(check) == [] and check.valid
