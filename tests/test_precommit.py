"""The pre-commit hooks, through the real pre-commit framework, in a throwaway git repository.

pre-commit clones this repository at its HEAD commit and installs it into a hook environment (the
one network use the tests make: pre-commit's own package installs from PyPI).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.needs("git")

MISSING_ALT = '---\ntitle: Hook test\n---\n<p><img src="https://example.com/a.png"></p>\n'
WITH_ALT = '---\ntitle: Hook test\n---\n<p><img src="https://example.com/a.png" alt="a chart"></p>\n'
HOTLINKED = '---\ntitle: Hook test\n---\n<p><img src="https://image.woshipm.com/a.jpg" alt="a chart"></p>\n'


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=check, timeout=900)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        env[key] = "Hook Test"
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        env[key] = "hook@test.invalid"
    return env


@pytest.fixture
def repo(tmp_path: Path, hook_env: dict[str, str]) -> Path:
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    git(tmp_path, "init", "-q", env=hook_env)
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: fmconvert-lint\n  - id: fmconvert-fix\n"
    )
    result = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=tmp_path, env=hook_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    git(tmp_path, "add", ".pre-commit-config.yaml", env=hook_env)
    git(tmp_path, "commit", "-qm", "config", "--no-verify", env=hook_env)
    return tmp_path


def test_lint_hook_refuses_a_missing_alt_then_accepts_the_fix(repo, hook_env):
    post = repo / "post.html"
    post.write_text(MISSING_ALT)
    git(repo, "add", "post.html", env=hook_env)
    refused = git(repo, "commit", "-m", "add post", env=hook_env, check=False)
    assert refused.returncode != 0
    assert "post.html:4:4: ALT001 image has no alt attribute" in refused.stdout + refused.stderr
    post.write_text(WITH_ALT)
    git(repo, "add", "post.html", env=hook_env)
    accepted = git(repo, "commit", "-m", "add post", env=hook_env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_fix_hook_rewrites_then_passes(repo, hook_env):
    env = dict(hook_env, SKIP="fmconvert-lint")
    post = repo / "hot.md"
    post.write_text(HOTLINKED)
    git(repo, "add", "hot.md", env=env)
    first = git(repo, "commit", "-m", "hot-linked image", env=env, check=False)
    assert first.returncode != 0
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert 'referrerpolicy="no-referrer"' in post.read_text()
    git(repo, "add", "hot.md", env=env)
    second = git(repo, "commit", "-m", "hot-linked image", env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr


def test_lint_hook_reports_unreadable_posts_beside_the_others_findings(repo, hook_env):
    from tests.test_unreadable import UNREADABLE, make_tree

    make_tree(repo)
    for i in range(12):  # many posts: pre-commit hands them to the hook in several runs
        (repo / "posts").mkdir(exist_ok=True)
        (repo / "posts" / f"day-{i:02}.html").write_text(f'---\ntitle: Day {i}\n---\n<p><img src="https://example.com/{i}.png"></p>\n')
    git(repo, "add", ".", env=hook_env)
    refused = git(repo, "commit", "-m", "many posts", env=dict(hook_env, SKIP="fmconvert-fix"), check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "Traceback" not in output
    for name, (_, line, words) in UNREADABLE.items():
        assert f"{name}:{line}:1: DOC001 " in output and words in output, name
    assert all(f"posts/day-{i:02}.html:4:4: ALT001 image has no alt attribute" in output for i in range(12))
    assert "tea.html:5:4: ALT001" in output
    fixing = git(repo, "commit", "-m", "many posts", env=dict(hook_env, SKIP="fmconvert-lint"), check=False)
    assert fixing.returncode != 0 and "files were modified by this hook" in fixing.stdout + fixing.stderr
    assert all((repo / name).read_bytes() == data for name, (data, _, _) in UNREADABLE.items())
