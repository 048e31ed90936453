"""fmconvert lint: rules at exact positions, formats, exit codes, configuration, suppression,
--fix/--diff, and the remote check against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from convert.lint import RULES, lint_bytes
from convert.lint.core import LintConfig
from tests.conftest import FIXTURES, run_cli
from tests.imageserver import serve

LINT = FIXTURES / "lint"
EXPECTED = json.loads((LINT / "expected.json").read_text())


def findings_of(path: Path, *args: str) -> tuple[int, list[str], str]:
    result = run_cli("lint", str(path), "--format", "json", *args)
    rows = json.loads(result.stdout or b"[]")
    return result.returncode, [f"{r['line']}:{r['column']}: {r['code']}" for r in rows], result.stderr.decode()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings_at_their_positions(name):
    code, found, _ = findings_of(LINT / name)
    assert found == EXPECTED[name]
    assert code == (1 if EXPECTED[name] else 0)


@pytest.mark.parametrize("code", sorted(c for c in RULES if RULES[c].bad or RULES[c].good))
def test_rule_examples(code, tmp_path):
    rule = RULES[code]

    def lint(snippet: str, name: str) -> list[str]:
        markdown = snippet.startswith("![")
        whole = snippet.startswith(("---\n", "+++\n"))  # a whole document, front matter first
        data = (snippet if markdown or whole else f"<p>{snippet}</p>") + "\n"
        path = tmp_path / (name + (".md" if markdown else ".html"))
        return [f.code for f in lint_bytes(data.encode(), str(path), LintConfig(select=(code,))).findings]

    for i, snippet in enumerate(rule.bad):
        assert lint(snippet, f"bad{i}") == [code], snippet
    for i, snippet in enumerate(rule.good):
        assert lint(snippet, f"good{i}") == [], snippet


def test_srcset_candidates_split_on_any_whitespace(tmp_path):
    from convert.html.attrs import format_srcset, parse_srcset

    assert parse_srcset("a.png\t2x,\n b.png 480w , c.png") == [("a.png", "2x"), ("b.png", "480w"), ("c.png", "")]
    assert format_srcset([("a.png", "2x"), ("c.png", "")]) == "a.png 2x, c.png"
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    post = tmp_path / "post.html"
    post.write_text('<p><img alt="a" src="a.png" srcset="a.png\t2x, gone.png\n3x"></p>\n')
    found = lint_bytes(post.read_bytes(), str(post), LintConfig(select=("SRC003",))).findings
    assert [f.message for f in found] == ["local image 'gone.png' does not exist"]  # not 'a.png\t2x', not 'gone.png\n3x'


def test_every_front_matter_image_field_is_checked(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: t\ncover_image: gone-cover.png\nimages:\n  - gone-list.png\nog_image: gone-og.png\n---\nText.\n")
    found = lint_bytes(post.read_bytes(), str(post), LintConfig(select=("SRC003",))).findings
    assert sorted(f.message for f in found) == [
        "front-matter field 'cover_image': local image 'gone-cover.png' does not exist",
        "front-matter field 'images': local image 'gone-list.png' does not exist",
        "front-matter field 'og_image': local image 'gone-og.png' does not exist",
    ]


def test_md_post_with_html_body_uses_the_files_own_lines():
    code, found, _ = findings_of(FIXTURES / "posts" / "juejin-style-hooks.md")
    assert found == ["41:4: ALT003"]
    assert code == 1


def test_text_format_and_exit_codes(tmp_path):
    result = run_cli("lint", str(LINT / "referrer.html"))
    lines = result.stdout.decode().splitlines()
    assert lines[0] == f"{LINT / 'referrer.html'}:4:4: REF001 referrerpolicy 'noreferrer' is not a valid policy (did you mean 'no-referrer'?)"
    assert result.returncode == 1
    assert run_cli("lint", str(LINT / "clean.html")).returncode == 0
    assert run_cli("lint", str(tmp_path / "missing.html")).returncode == 2
    bad = tmp_path / "bad.html"
    bad.write_text("---\ntitle: [x\n---\n")
    broken = run_cli("lint", str(bad))  # a document that cannot be read is a finding, as ruff's syntax errors
    assert broken.returncode == 1 and broken.stdout.decode().startswith(f"{bad}:2:1: DOC001 malformed YAML front matter")
    assert run_cli("lint", "--select", "NOPE", str(LINT)).returncode == 2


def test_directory_walk_is_sorted_and_exit_zero():
    result = run_cli("lint", str(LINT), "--exit-zero")
    assert result.returncode == 0
    paths = [line.split(":")[0] for line in result.stdout.decode().splitlines()]
    assert paths == sorted(paths) and len(set(paths)) == 5


def test_sarif_and_github_formats():
    sarif = json.loads(run_cli("lint", str(LINT / "alt.html"), "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["ALT001", "ALT002", "ALT002", "ALT003"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 4}
    rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    github = run_cli("lint", str(LINT / "alt.html"), "--format", "github").stdout.decode().splitlines()
    assert github[0] == f"::error file={LINT / 'alt.html'},line=5,col=4,title=ALT001::image has no alt attribute"
    assert github[3].startswith("::notice ")


def test_configuration_in_pyproject(tmp_path):
    shutil.copy(LINT / "referrer.html", tmp_path / "post.html")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fmconvert.lint]\nignore = ["REF001"]\nhosts = ["example.com"]\nseverity = { REF002 = "error" }\n'
    )
    result = run_cli("lint", "post.html", "--format", "json", cwd=tmp_path)
    rows = json.loads(result.stdout)
    assert {r["code"] for r in rows} == {"REF002"}
    # example.com is now a known host; line 4's "noreferrer" is REF001's (ignored here), not REF002's
    assert [r["line"] for r in rows] == [5, 6, 7] and {r["severity"] for r in rows} == {"error"}


def test_explain_and_list_rules():
    assert "WHATWG" in run_cli("lint", "--explain", "REF001").stdout.decode()
    listing = run_cli("lint", "--list-rules").stdout.decode()
    assert all(code in listing for code in RULES)


def test_fix_and_diff(tmp_path):
    post = tmp_path / "post.html"
    post.write_bytes((LINT / "referrer.html").read_bytes().replace(b"\n", b"\r\n"))
    before = post.read_bytes()
    diff = run_cli("lint", str(post), "--diff")
    assert diff.returncode == 1 and post.read_bytes() == before
    assert '+<p><img alt="typo" src="https://example.com/a.jpg" referrerpolicy="no-referrer"></p>' in diff.stdout.decode()
    fixed = run_cli("lint", str(post), "--fix")
    text = post.read_bytes()
    assert b'src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640" referrerpolicy="no-referrer">' in text
    assert b'src="https://image.woshipm.com/wp-files/a.jpg" referrerpolicy="no-referrer"/>' in text
    assert b'referrerpolicy="sometimes"' in text  # not guessable: left for a person
    assert text.count(b"\r\n") == before.count(b"\r\n") and b"\n" not in text.replace(b"\r\n", b"")
    assert fixed.returncode == 1  # the unguessable one remains
    again = run_cli("lint", str(post), "--format", "json")
    assert [r["code"] for r in json.loads(again.stdout)] == ["REF001"]


class ImageHost(http.server.BaseHTTPRequestHandler):
    """Behaves like a hot-link-protected image host."""

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, body: bool) -> None:
        referer = self.headers.get("Referer")
        if self.path.startswith("/protected/") and referer and "127.0.0.1" not in referer:
            status, kind = 403, "text/html"
        elif self.path.startswith(("/protected/", "/open/")):
            status, kind = 200, "image/png"
        elif self.path.startswith("/nohead/"):
            status, kind = (405, "text/plain") if self.command == "HEAD" else (200, "image/jpeg")
        else:
            status, kind = 404, "text/html"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", "8")
        self.end_headers()
        if body:
            self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args: object) -> None:
        ImageHost.requests += 1  # called once per request served

    requests = 0


@pytest.fixture
def image_host():
    server, base = serve(ImageHost)
    yield base
    server.shutdown()


def test_check_remote_against_a_local_protected_host(image_host, tmp_path):
    post = tmp_path / "post.html"
    post.write_text(
        f'<p><img alt="protected" src="{image_host}/protected/a.png"></p>\n'
        f'<p><img alt="protected, done right" src="{image_host}/protected/b.png" referrerpolicy="no-referrer"></p>\n'
        f'<p><img alt="open" src="{image_host}/open/c.png"></p>\n'
        f'<p><img alt="gone" src="{image_host}/gone/d.png"></p>\n'
        f'<p><img alt="head refused" src="{image_host}/nohead/e.jpg"></p>\n'
    )
    code, found, _ = findings_of(post, "--check-remote", "--allow-private-hosts", "--ignore", "SRC005")
    assert found == ["1:4: REF002", "4:4: NET001"]
    assert code == 1
    offline = findings_of(post, "--ignore", "SRC005")[1]
    assert offline == []  # without --check-remote nothing is fetched or guessed


def test_check_remote_asks_each_image_once_per_run(image_host, tmp_path):
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(f'<p><img alt="protected" src="{image_host}/protected/a.png"></p>\n<p><img alt="head refused" src="{image_host}/nohead/e.jpg"></p>\n')

    def asked(*files: str) -> int:
        before = ImageHost.requests
        result = run_cli("lint", *files, "--check-remote", "--remote-cache", "0", "--allow-private-hosts", "--ignore", "SRC005", cwd=tmp_path)
        assert result.returncode == 1 and result.stdout.decode().count("REF002") == len(files), result.stdout
        return ImageHost.requests - before

    one = asked("a.html")
    assert one > 0 and asked("a.html", "b.html") == one  # the second file's images are the first's


def test_diff_is_a_patch_git_applies_and_fails_only_when_there_is_something_to_fix(tmp_path):
    (tmp_path / "post.html").write_bytes(b'<p><img src="https://mmbiz.qpic.cn/x.png" alt="a photo"></p>')  # no final newline
    (tmp_path / "clean.html").write_bytes(b'<p><img src="x.png"></p>\n')  # ALT001 only: nothing --fix can do
    nothing = run_cli("lint", "clean.html", "--diff", cwd=tmp_path)
    assert nothing.returncode == 0 and nothing.stdout == b"" and "0 fixes in 0 files" in nothing.stderr.decode()
    diff = run_cli("lint", "post.html", "--diff", cwd=tmp_path)
    assert diff.returncode == 1 and "1 fix in 1 file" in diff.stderr.decode()
    assert diff.stdout.decode().count("\\ No newline at end of file") == 2
    (tmp_path / "fix.patch").write_bytes(diff.stdout)
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert (tmp_path / "post.html").read_bytes() == b'<p><img src="https://mmbiz.qpic.cn/x.png" alt="a photo" referrerpolicy="no-referrer"></p>'


def test_remote_answers_are_cached_on_disk_and_failures_to_connect_are_not(image_host, tmp_path):
    post = tmp_path / "post.html"
    post.write_text(f'<p><img alt="protected" src="{image_host}/protected/a.png"></p>\n<p><img alt="nobody" src="http://127.0.0.1:9/x.png"></p>\n')
    env = {"FMCONVERT_CACHE_DIR": str(tmp_path / "cache")}

    def run(*extra: str) -> tuple[list[str], int]:
        before = ImageHost.requests
        result = run_cli("lint", str(post), "--check-remote", "--allow-private-hosts", "--ignore", "SRC005", "--format", "json", *extra, env=env)
        return sorted(f"{r['line']}: {r['code']}" for r in json.loads(result.stdout)), ImageHost.requests - before

    first, asked = run()
    assert first == ["1: REF002", "2: NET001"] and asked > 0
    assert run() == (first, 0)  # the second run asks the host nothing
    cached = json.loads((tmp_path / "cache" / "remote-images.json").read_text())
    assert list(cached) == [f"{image_host}/protected/a.png"]  # the refused connection is not kept
    assert run("--remote-cache", "0")[1] > 0
