"""``batch`` converts each document of a tree as ``convert`` converts one file: every option of a
document's conversion exists on both commands, gives byte-identical outputs, and is part of the
manifest's options hash (changing it converts the tree again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from convert.cli import main
from tests.conftest import run_cli

KAFKA = """\
---
title: Exactly-once in Kafka
date: 2021-03-04 10:00:00
tags: [kafka, streams]
---
<p>Idempotent producers: Kafka keys are <PID,Partition,SeqNumber> tuples, and the broker drops a repeat \u2014 \u00a9 the docs.</p>
<p><img src="https://img.example.org/kafka/flow.png" alt="Producer to broker" referrerpolicy="no-referrer" width="640"></p>
<p>See <a href="https://kafka.apache.org/documentation/">the documentation</a>.</p>
<pre><code class="language-java">Producer<String, String> p = new KafkaProducer<>(props);</code></pre>
<script>track("kafka")</script>
<div class="copyright">Reprint with a link to the original.</div>
"""
GENERICS = '+++\r\ntitle = "Notes on generics"\r\ndate = 2020-05-06\r\n+++\r\n\r\nA `List<String>` holds strings; the type List<T> is generic.\r\n\r\n![Heap chart](chart.png "Heap")\r\n'
LATIN = "---\r\ntitle: Caf\u00e9 cr\u00e8me\r\ncharset: windows-1252\r\n---\r\n<p>Un caf\u00e9 na\u00efve \u2013 <em>cr\u00e8me</em> br\u00fbl\u00e9e.</p>\r\n"

#: (target format, the option's arguments): every option of one document's conversion
OPTIONS = [
    ("md", ("--no-repair",)),
    ("md", ("--newline", "lf")),
    ("md", ("--newline", "crlf")),
    ("md", ("--front-matter", "toml")),
    ("md", ("--front-matter", "json")),
    ("md", ("--image-style", "html")),
    ("md", ("--image-style", "markdown")),
    ("md", ("--strip", ".copyright")),
    ("md", ("--profile", "hugo")),
    ("md", ("--encoding", "cp1252")),
    ("md", ("--verify", "--front-matter", "yaml")),
    ("text", ("--no-repair",)),
    ("text", ("--front-matter", "yaml")),
    ("text", ("--newline", "crlf")),
    ("text", ("--text-width", "24")),
    ("text", ("--text-links", "inline")),
    ("text", ("--text-images", "none")),
    ("text", ("--text-header",)),
    ("json", ("--with-text",)),
    ("xhtml", ("--no-repair",)),
]
EXTENSION = {"md": ".md", "html": ".html", "text": ".txt", "json": ".json", "xhtml": ".xhtml"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "2021").mkdir(parents=True)
    (src / "notes").mkdir()
    (src / "2021" / "kafka.html").write_text(KAFKA, encoding="utf-8")
    (src / "notes" / "generics.md").write_bytes(GENERICS.encode("utf-8"))
    (src / "notes" / "latin.html").write_bytes(LATIN.encode("cp1252"))
    return src


def fmconvert(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The command line, in this process (batch with -j 1 converts here too): exit code, stderr."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return done.value.code, capfd.readouterr().err  # type: ignore[return-value]


def outputs(dest: Path) -> dict[str, bytes]:
    return {str(p.relative_to(dest)): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def converted_one_by_one(capfd: pytest.CaptureFixture[str], src: Path, dest: Path, to: str, option: tuple[str, ...]) -> dict[str, bytes]:
    for path in sorted(src.rglob("*.*")):
        out = dest / path.relative_to(src).with_suffix(EXTENSION[to])
        out.parent.mkdir(parents=True, exist_ok=True)
        code, err = fmconvert(capfd, "convert", str(path), "-t", to, "-o", str(out), *option)
        assert code == 0, err
    return outputs(dest)


@pytest.mark.parametrize(("to", "option"), OPTIONS, ids=[f"{to}{''.join(option)}" for to, option in OPTIONS])
def test_batch_equals_convert_file_by_file_and_the_option_reconverts(tmp_path: Path, tree: Path, capfd: pytest.CaptureFixture[str], to: str, option: tuple[str, ...]) -> None:
    base, dest = tmp_path / "base", tmp_path / "dest"
    code, err = fmconvert(capfd, "batch", str(tree), "-o", str(base), "-t", to, "-j", "1")
    assert code == 0 and "3 converted, 0 unchanged" in err, err
    baseline = outputs(base)
    shutil.copytree(base, dest)  # its manifest too: a tree converted without the option

    code, err = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", to, "-j", "1", *option)
    assert code == 0 and "3 converted, 0 unchanged" in err, err  # a new option: everything again
    produced = outputs(dest)
    assert produced == converted_one_by_one(capfd, tree, tmp_path / "one-by-one", to, option)
    assert produced != baseline  # the option did something (else this test proves nothing)

    code, err = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", to, "-j", "1", *option)
    assert code == 0 and "0 converted, 3 unchanged" in err, err
    code, err = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", to, "-j", "1")
    assert code == 0 and "3 converted, 0 unchanged" in err, err  # the option dropped: again
    assert outputs(dest) == baseline


def test_verbose_reports_what_convert_reports_and_does_not_reconvert(tmp_path: Path, tree: Path, capfd: pytest.CaptureFixture[str]) -> None:
    kafka = tree / "2021" / "kafka.html"
    code, single = fmconvert(capfd, "convert", str(kafka), "-t", "md", "-o", str(tmp_path / "kafka.md"), "-v")
    assert code == 0 and "<script>" in single, single  # the dropped script is reported
    dest = tmp_path / "dest"
    code, quiet = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", "md", "-j", "1")
    assert code == 0 and "<script>" not in quiet
    code, verbose = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", "md", "-j", "1", "-v", "--force")
    assert code == 0
    assert [line for line in verbose.splitlines() if "kafka.html" in line] == single.splitlines()
    assert outputs(dest)["2021/kafka.md"] == (tmp_path / "kafka.md").read_bytes()
    code, again = fmconvert(capfd, "batch", str(tree), "-o", str(dest), "-t", "md", "-j", "1", "-v")
    assert "0 converted, 3 unchanged" in again  # what is reported is not what is written


def test_worker_processes_and_a_json_lines_stream_take_the_options(tmp_path: Path, tree: Path) -> None:
    """The same options through the process pool (-j 2) and through a JSON Lines stream."""
    option = ("--no-repair", "--newline", "crlf", "--front-matter", "toml")
    pooled = run_cli("batch", str(tree), "-o", str(tmp_path / "pooled"), "-t", "md", "-j", "2", *option)
    assert pooled.returncode == 0, pooled.stderr
    expected = {}
    for path in sorted(tree.rglob("*.*")):
        single = run_cli("convert", str(path), "-t", "md", *option)
        assert single.returncode == 0, single.stderr
        expected[str(path.relative_to(tree).with_suffix(".md"))] = single.stdout
    assert outputs(tmp_path / "pooled") == expected
    stream = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", "-", "-q")
    assert stream.returncode == 0, stream.stderr
    back = run_cli("batch", "-", "-o", str(tmp_path / "back"), "-t", "md", "-j", "2", *option, input=stream.stdout)
    assert back.returncode == 0, back.stderr
    made = outputs(tmp_path / "back")
    assert made["2021/kafka.md"] == expected["2021/kafka.md"]
    assert b"<PID,Partition,SeqNumber>" not in made["2021/kafka.md"] and b"\r\n" in made["2021/kafka.md"]


def test_a_book_of_the_tree_reads_its_posts_as_asked(tmp_path: Path, tree: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import zipfile

    def chapters(*option: str) -> str:
        book = tmp_path / f"book{len(option)}.epub"
        code, err = fmconvert(capfd, "batch", str(tree), "-t", "epub", "--book", str(book), "--no-download-images", "-q", *option)
        assert code == 0, err
        with zipfile.ZipFile(book) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))

    assert "&lt;PID,Partition,SeqNumber&gt;" in chapters()  # repaired: the lost escape is text
    assert "SeqNumber" not in chapters("--no-repair")  # as a browser reads it: a tag, not text
