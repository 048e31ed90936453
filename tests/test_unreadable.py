"""Documents that cannot be read, mixed with good ones in one run, through every command.

``lint`` reports each as DOC001 at the file and line of the problem, in every output format,
beside the other files' findings, and exits 1 (2 stays for usage errors); ``--fix`` writes
nothing to them. ``convert`` exits 1 and writes nothing; ``batch`` names each, goes on, exits 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli
from tests.test_faults_files import _without_root_privileges

BAD_CASES = json.loads((FIXTURES / "bad" / "cases.json").read_text())
FROM_FIXTURES = ("long-int-yaml.html", "long-int-toml.html", "long-hex-yaml.html", "tab-indent.html", "unclosed-quote.html")

#: name -> (bytes, line of the problem, words of the message)
UNREADABLE: dict[str, tuple[bytes, int, str]] = {
    name: ((FIXTURES / "bad" / name).read_bytes(), BAD_CASES[name]["line"], BAD_CASES[name]["message"]) for name in FROM_FIXTURES
}
UNREADABLE["logo.html"] = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(1, 256)), 3, "binary data (NUL bytes)")
UNREADABLE["drafts/broken-tail.md"] = (
    "---\ntitle: 断更的笔记\n---\n<p>正文之后，文件坏了：</p>\n".encode() + bytes(0x80 + (i * 37) % 127 for i in range(120)) + b"\n",
    5,
    "not valid UTF-8 (byte 0x80 at offset 69)",
)
UNREADABLE["drafts/utf16-cut.html"] = (
    b"\xff\xfe" + "---\ntitle: Notes\n---\n<p>Saved by an old editor.</p>\n".encode("utf-16-le") + b"!",
    5,
    "cannot decode as utf-16-le",
)

GOOD = {
    "tea.html": '---\ntitle: 城市茶馆\n---\n<p>茶馆里很安静。</p>\n<p><img src="https://example.com/tea.png"></p>\n',
    "drafts/hotlinked.md": '---\ntitle: 截图\n---\n<p><img alt="界面截图" src="https://mmbiz.qpic.cn/a/640"></p>\n',
    "clean.html": '---\ntitle: Clean\n---\n<p><img alt="a kettle" src="https://example.com/kettle.png"></p>\n',
}
GOOD_FINDINGS = {("tea.html", 5, 4, "ALT001"), ("drafts/hotlinked.md", 4, 4, "REF002")}


def make_tree(root: Path, fillers: int = 0) -> Path:
    for name, (data, _, _) in UNREADABLE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    for name, text in GOOD.items():
        (root / name).write_text(text, encoding="utf-8")
    for i in range(fillers):  # enough files for lint to use its worker processes
        (root / "more").mkdir(exist_ok=True)
        (root / "more" / f"post-{i:03}.html").write_text(f'<p><img alt="photo {i}" src="https://example.com/{i}.png"></p>\n')
    return root


def expected_findings() -> set[tuple[str, int, int, str]]:
    return {(name, line, 1, "DOC001") for name, (_, line, _) in UNREADABLE.items()} | GOOD_FINDINGS


def _rows(fmt: str, out: str) -> set[tuple[str, int, int, str]]:
    if fmt == "text":
        found = set()
        for line in out.splitlines():
            path, row, col, rest = line.split(":", 3)
            found.add((path, int(row), int(col), rest.split()[0]))
        return found
    if fmt == "json":
        return {(r["path"], r["line"], r["column"], r["code"]) for r in json.loads(out)}
    if fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        return {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"],
                r["ruleId"],
            )
            for r in results
        }
    found = set()
    for line in out.splitlines():  # ::error file=a.html,line=3,col=1,title=DOC001::message
        props = dict(p.split("=", 1) for p in line.split("::")[1].split(" ", 1)[1].split(","))
        found.add((props["file"], int(props["line"]), int(props["col"]), props["title"]))
    return found


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_lint_reports_unreadable_documents_as_findings_beside_the_others(tmp_path, fmt):
    make_tree(tmp_path, fillers=70)
    result = run_cli("lint", ".", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr.decode()
    found = {(path.removeprefix("./"), *rest) for path, *rest in _rows(fmt, result.stdout.decode())}
    assert found == expected_findings()
    if fmt == "text":
        for name, (_, line, words) in UNREADABLE.items():
            assert f"./{name}:{line}:1: DOC001 " in result.stdout.decode() and words in result.stdout.decode(), name
        assert result.stderr.decode().startswith("Found 10 problems (9 errors, 1 warning) in 10 of 81 files.")
    if fmt == "sarif":
        driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
        assert {"id": "DOC001", "name": "unreadable-document"}.items() <= next(r for r in driver["rules"] if r["id"] == "DOC001").items()
    if fmt == "github":
        assert "::error file=./logo.html,line=3,col=1,title=DOC001::binary data (NUL bytes), not a text document" in result.stdout.decode()


def test_unreadable_documents_are_reported_whatever_is_selected(tmp_path):
    make_tree(tmp_path)
    result = run_cli("lint", ".", "--format", "json", "--select", "ALT", "--ignore", "DOC", cwd=tmp_path)
    codes = [r["code"] for r in json.loads(result.stdout)]
    assert codes.count("DOC001") == len(UNREADABLE) and codes.count("ALT001") == 1 and result.returncode == 1
    clean = run_cli("lint", "clean.html", "logo.html", "--exit-zero", cwd=tmp_path)
    assert clean.returncode == 0 and "logo.html:3:1: DOC001" in clean.stdout.decode()


def test_fix_writes_nothing_to_unreadable_documents(tmp_path):
    make_tree(tmp_path)
    before = {name: (tmp_path / name).stat().st_mtime_ns for name in UNREADABLE}
    diff = run_cli("lint", ".", "--diff", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.decode().count("+++ b/") == 1 and "+++ b/./drafts/hotlinked.md" in diff.stdout.decode()
    said = [line for line in diff.stderr.decode().splitlines() if "DOC001" in line]
    assert len(said) == len(UNREADABLE) and "fmconvert: ./logo.html:3:1: DOC001 binary data (NUL bytes), not a text document" in said
    fixed = run_cli("lint", ".", "--fix", "--format", "json", cwd=tmp_path)
    assert fixed.returncode == 1 and "Traceback" not in fixed.stderr.decode()
    assert 'referrerpolicy="no-referrer"' in (tmp_path / "drafts" / "hotlinked.md").read_text()
    for name, (data, _, _) in UNREADABLE.items():
        assert (tmp_path / name).read_bytes() == data and (tmp_path / name).stat().st_mtime_ns == before[name], name
    assert {r["code"] for r in json.loads(fixed.stdout)} == {"DOC001", "ALT001"}


def test_a_path_that_does_not_exist_stays_a_usage_error(tmp_path):
    make_tree(tmp_path)
    result = run_cli("lint", "tea.html", "no-such-post.html", "logo.html", cwd=tmp_path)
    assert result.returncode == 2
    assert "fmconvert: no-such-post.html: no such file or folder" in result.stderr.decode()
    assert result.stdout.decode().splitlines() == [
        "logo.html:3:1: DOC001 binary data (NUL bytes), not a text document",
        "tea.html:5:4: ALT001 image has no alt attribute",
    ]


def test_files_and_folders_that_cannot_be_opened_are_findings(tmp_path):
    make_tree(tmp_path)
    (tmp_path / "secret.html").write_text("<p>x</p>\n")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inner.html").write_text("<p><img src=x.png></p>\n")
    os.chmod(tmp_path / "secret.html", 0)
    os.chmod(tmp_path / "locked", 0)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "convert", "lint", ".", "--select", "DOC"],
            cwd=tmp_path, capture_output=True, timeout=60, preexec_fn=_without_root_privileges,
        )
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr
    assert "./secret.html:1:1: DOC001 cannot read: Permission denied" in out
    assert "./locked:1:1: DOC001 cannot read folder: Permission denied" in out


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_convert_exits_1_and_writes_nothing(tmp_path, name):
    make_tree(tmp_path / "src")
    out = tmp_path / "out.md"
    result = run_cli("convert", str(tmp_path / "src" / name), "-o", str(out))
    _, line, words = UNREADABLE[name]
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.startswith(f"fmconvert: {tmp_path / 'src' / name}:{line}: ") and words in err and err.count("\n") == 1
    assert not out.exists()


def test_batch_names_each_unreadable_document_and_goes_on(tmp_path):
    src = make_tree(tmp_path / "src")
    dest = tmp_path / "out"
    result = run_cli("batch", str(src), "-o", str(dest), "-t", "md", "-j", "2")
    err = result.stderr.decode()
    assert result.returncode == 1
    for name, (_, line, words) in UNREADABLE.items():
        lines = [ln for ln in err.splitlines() if f"{src / name}:" in ln]
        assert len(lines) == 1 and f"{src / name}:{line}: " in lines[0] and words in lines[0], (name, err)
        assert not (dest / name).with_suffix(".md").exists()
    assert all((dest / name).with_suffix(".md").exists() for name in GOOD)
    assert f"{len(GOOD)} converted, 0 unchanged, {len(UNREADABLE)} failed" in err
