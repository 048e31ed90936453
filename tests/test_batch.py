"""fmconvert batch: trees, incremental runs, failures, JSON Lines, atomicity under SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import convert
from tests.conftest import POSTS, ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for post in POSTS:
        target = src / ("nested/deeper" if "json" in post.name else "top") / post.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(post.read_bytes())
    (src / "top" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "top" / "notes.txt").write_text("not a document")
    return src


def outputs(dest: Path) -> list[str]:
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_mirrors_the_tree_with_target_extension(tree, tmp_path):
    dest = tmp_path / "out"
    result = run_cli("batch", str(tree), "-o", str(dest), "-t", "md", "-j", "2")
    assert result.returncode == 0, result.stderr
    expected = sorted(str(p.relative_to(tree).with_suffix(".md")) for p in tree.rglob("*") if p.suffix in (".html", ".md"))
    assert outputs(dest) == expected
    for post in POSTS:
        sub = "nested/deeper" if "json" in post.name else "top"
        produced = (dest / sub / post.name).with_suffix(".md").read_bytes()
        assert produced == convert.write(convert.read_file(post), "markdown")
    assert "converted" in result.stderr.decode() and result.stdout == b""  # no progress bar off a terminal


def test_incremental_and_force(tree, tmp_path):
    dest = tmp_path / "out"
    assert run_cli("batch", str(tree), "-o", str(dest), "-t", "json").returncode == 0
    second = run_cli("batch", str(tree), "-o", str(dest), "-t", "json")
    assert f"0 converted, {len(POSTS)} unchanged" in second.stderr.decode()
    changed = tree / "top" / "hexo-cjk-tea.html"
    changed.write_text(changed.read_text().replace("城市茶馆", "城市的茶馆"))
    third = run_cli("batch", str(tree), "-o", str(dest), "-t", "json")
    assert f"1 converted, {len(POSTS) - 1} unchanged" in third.stderr.decode()
    assert "城市的茶馆" in (dest / "top" / "hexo-cjk-tea.json").read_text()
    forced = run_cli("batch", str(tree), "-o", str(dest), "-t", "json", "--force")
    assert f"{len(POSTS)} converted, 0 unchanged" in forced.stderr.decode()
    other = run_cli("batch", str(tree), "-o", str(dest), "-t", "json", "--strip", "p")
    assert f"{len(POSTS)} converted" in other.stderr.decode()  # new options: everything again


def test_failures_are_reported_and_the_run_goes_on(tree, tmp_path):
    (tree / "top" / "broken.html").write_text("---\ntitle: [unclosed\n---\n<p>x</p>\n")
    dest = tmp_path / "out"
    result = run_cli("batch", str(tree), "-o", str(dest), "-t", "md", "-j", "2")
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.decode().splitlines() if "broken.html" in ln]
    assert len(lines) == 1 and ":2: malformed YAML front matter" in lines[0]
    assert (dest / "top" / "hexo-cjk-tea.md").exists() and not (dest / "top" / "broken.md").exists()
    assert f"{len(POSTS)} converted, 0 unchanged, 1 failed" in result.stderr.decode()


def test_include_exclude_assets_and_dry_run(tree, tmp_path):
    dest = tmp_path / "out"
    dry = run_cli("batch", str(tree), "-o", str(dest), "-t", "md", "--dry-run", "--include", "*.html", "--exclude", "no-*")
    assert not dest.exists()
    listed = dry.stdout.decode()
    assert "top/hexo-cjk-tea.html" in listed and "no-front-matter" not in listed and "juejin-style-hooks.md" not in listed
    run_cli("batch", str(tree), "-o", str(dest), "-t", "md", "--copy-assets")
    assert (dest / "top" / "cover.png").read_bytes() == (tree / "top" / "cover.png").read_bytes()
    assert (dest / "top" / "notes.txt").exists()


def test_dest_inside_src_and_symlink_loops(tree):
    (tree / "nested" / "loop").symlink_to(tree, target_is_directory=True)
    dest = tree / "out"
    first = run_cli("batch", str(tree), "-o", str(dest), "-t", "md", timeout=60)
    assert first.returncode == 0, first.stderr
    second = run_cli("batch", str(tree), "-o", str(dest), "-t", "md")
    assert "0 converted" in second.stderr.decode()  # outputs in DEST are not read as inputs
    assert not (dest / "out").exists()
    assert run_cli("batch", str(tree), "-o", str(tree), "-t", "html").returncode == 2


def test_jsonl_stream(tree):
    result = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", "-", "-q")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(POSTS)
    titles = {json.loads(line)["metadata"].get("title") for line in lines}
    assert "城市茶馆的第二次生命" in titles


def test_jsonl_file_gets_the_mode_of_any_output(tree, tmp_path):
    """A --jsonl FILE is written like every other output: a new one is 0o666 less the umask (it
    used to keep the 0600 of its temporary file), an existing one keeps its bits."""
    fresh, kept = tmp_path / "new.jsonl", tmp_path / "kept.jsonl"
    kept.write_text("old")
    kept.chmod(0o640)
    old_umask = os.umask(0o022)
    try:
        for stream in (fresh, kept):
            result = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", str(stream), "-q")
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(old_umask)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640
    assert len(kept.read_bytes().splitlines()) == len(POSTS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.jsonl", "new.jsonl", "src"]  # no temporary left


def test_jsonl_dry_run_writes_nothing(tree, tmp_path):
    stream = tmp_path / "all.jsonl"
    result = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", str(stream), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
    stream.write_text("before")
    assert run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", str(stream), "--dry-run").returncode == 0
    assert stream.read_text() == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "src"]


def test_jsonl_into_a_fifo_is_written_in_place(tree, tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", str(fifo), "-q")
    reader.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    lines = got[0].splitlines()
    assert len(lines) == len(POSTS) and all(json.loads(line)["schema"].startswith("fmconvert/document/") for line in lines)


def test_sigkill_leaves_only_complete_files_and_a_rerun_finishes(tmp_path):
    src = tmp_path / "src"
    write_corpus(str(src), 300, seed=9, min_size=20_000, max_size=60_000)
    dest = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "convert", "batch", str(src), "-o", str(dest), "-t", "md", "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not dest.exists() or len(list(dest.rglob("*.md"))) < 20):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    present = list(dest.rglob("*.md"))
    assert 0 < len(present) < 300, "the kill should land part way through"
    for out in present:
        source = next(src.rglob(out.relative_to(dest).with_suffix("").as_posix() + ".*"))
        assert out.read_bytes() == convert.write(convert.read_file(source), "markdown")
    rerun = run_cli("batch", str(src), "-o", str(dest), "-t", "md", "-j", "2")
    assert rerun.returncode == 0
    assert len(list(dest.rglob("*.md"))) == 300
    # A SIGKILL cannot clean up: at most the outputs in flight (one per worker) are left as hidden
    # temporaries, each beside the finished output it was becoming.
    stray = list(dest.rglob(".*.tmp"))
    assert len(stray) <= 2, stray
    for tmp in stray:
        assert tmp.with_name(tmp.name[1:].rsplit(".", 2)[0]).is_file(), tmp


def test_book_of_a_tree_passes_epubcheck(tree, tmp_path, epubcheck):
    book = tmp_path / "book.epub"
    result = run_cli("batch", str(tree), "-t", "epub", "--book", str(book), "--title", "All posts", "--no-download-images")
    assert result.returncode == 0, result.stderr
    assert f"{len(POSTS)} chapters" in result.stderr.decode()
    check = epubcheck(book)
    assert check.valid and [m.message for m in check.messages] == []
    assert run_cli("batch", str(tree), "-t", "epub").returncode == 2  # --book is required


def on_a_terminal(*args: str) -> str:
    """What ``fmconvert`` shows when stdout and stderr are a terminal (a pty)."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child runs fmconvert with a terminal on stdout and stderr
        os.execv(sys.executable, [sys.executable, "-m", "convert", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(tree, tmp_path):
    screen = on_a_terminal("batch", str(tree), "-o", str(tmp_path / "tty"), "-t", "md", "-j", "1")
    assert "\r[" in screen and "files/s" in screen and f"{len(POSTS)}/{len(POSTS)}" in screen
    quiet = run_cli("batch", str(tree), "-o", str(tmp_path / "piped"), "-t", "md")
    assert "files/s" not in quiet.stderr.decode()  # not a terminal: no bar, only the summary
    stream = tmp_path / "all.jsonl"
    run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", str(stream), "-q")
    screen = on_a_terminal("batch", str(stream), "-o", str(tmp_path / "from-stream"), "-t", "md")
    assert "\r[" in screen and f"{len(POSTS)}/{len(POSTS)}" in screen  # a stream shows it too


def test_a_json_lines_stream_back_into_files(tree, tmp_path):
    """tree -> JSON Lines -> (a filter drops one document) -> files again: the tree is mirrored
    from the documents' own paths, and each file is what 'convert' makes of its post."""
    stream = run_cli("batch", str(tree), "-t", "jsonl", "--jsonl", "-", "-q").stdout
    lines = [line for line in stream.splitlines() if b"yaml-quirks" not in line]
    dest = tmp_path / "back"
    result = run_cli("batch", "-", "-o", str(dest), "-t", "md", input=b"\n".join(lines) + b"\n")
    assert result.returncode == 0, result.stderr
    assert f"{len(lines)} converted, 0 failed" in result.stderr.decode()
    expected = sorted(
        str(p.relative_to(tree).with_suffix(".md")) for p in tree.rglob("*.*") if p.suffix in (".html", ".md") and p.name != "yaml-quirks.html"
    )
    assert outputs(dest) == expected
    for name in expected:
        source = next(tree.rglob(Path(name).stem + ".*"))
        assert (dest / name).read_bytes() == run_cli("convert", str(source), "-t", "md").stdout, name


def test_a_bad_line_in_a_stream_is_named_and_the_rest_written(tmp_path):
    good = convert.write(convert.read_file(POSTS[0]), "jsonl")
    orphan = convert.write(convert.read(b"<p>no path</p>", "html"), "jsonl")
    stream = tmp_path / "posts.jsonl"
    stream.write_bytes(good + b"{not json\n" + orphan)
    result = run_cli("batch", str(stream), "-o", str(tmp_path / "out"), "-t", "html")
    assert result.returncode == 1
    assert f"{stream}:2: invalid JSON" in result.stderr.decode() and "2 converted, 1 failed" in result.stderr.decode()
    assert outputs(tmp_path / "out") == sorted([Path(POSTS[0].name).stem + ".html", "document-3.html"])
    for one in (run_cli("convert", str(stream), "-t", "html"), run_cli("convert", "-t", "html", input=stream.read_bytes())):
        assert one.returncode == 1 and "holds 3 documents; 'convert' reads one ('fmconvert batch FILE" in one.stderr.decode()


def test_a_single_post_as_src_is_a_usage_error(tmp_path):
    result = run_cli("batch", str(POSTS[0]), "-o", str(tmp_path / "out"), "-t", "md")
    assert result.returncode == 2 and "is a file: batch takes a folder or a JSON Lines stream" in result.stderr.decode()
    assert not (tmp_path / "out").exists()
