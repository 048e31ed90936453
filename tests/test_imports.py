"""A command loads only what its formats need: cold start is paid on every shell call and every
pre-commit run. Each case runs the real command in a fresh interpreter and lists the heavy
libraries it imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import FIXTURES

HEAVY = ("lxml", "html2text", "markdown_it", "charset_normalizer", "cssselect", "tomli_w", "yaml", "zipfile", "urllib.request")

PROBE = """
import os, sys
sys.argv = ["fmconvert", *sys.argv[1:]]
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
from convert.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print(code, *[m for m in {heavy!r} if m in sys.modules], file=sys.stderr)
"""


def imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, timeout=60)
    code, *modules = result.stderr.decode().split("\n")[-2].split()
    assert code in ("0", "None"), result.stderr
    return set(modules)


HTML_POST = str(FIXTURES / "posts" / "hexo-cjk-tea.html")
MARKDOWN_POST = str(FIXTURES / "markdown" / "lists-quotes.md")


@pytest.mark.parametrize(
    ("args", "needed", "not_needed"),
    [
        # The body stays markup: no HTML parser, no Markdown.
        (("convert", HTML_POST, "-t", "json"), {"yaml"}, {"lxml", "html2text", "markdown_it", "charset_normalizer", "zipfile"}),
        (("convert", HTML_POST, "-t", "html"), {"yaml"}, {"lxml", "html2text", "markdown_it", "charset_normalizer"}),
        # Markdown out needs the tree, not the Markdown parser.
        (("convert", HTML_POST, "-t", "md"), {"lxml"}, {"html2text", "markdown_it", "zipfile"}),
        # Markdown in needs the Markdown parser.
        (("convert", MARKDOWN_POST, "-f", "md", "-t", "json"), {"markdown_it"}, {"html2text", "zipfile", "urllib.request"}),
        # Listing formats imports none of them.
        (("formats",), set(), set(HEAVY)),
    ],
    ids=["html-to-json", "html-to-html", "html-to-md", "md-to-json", "formats"],
)
def test_a_command_imports_only_what_its_formats_need(args, needed, not_needed):
    modules = imported(*args)
    assert needed <= modules
    assert not (modules & not_needed), modules & not_needed
