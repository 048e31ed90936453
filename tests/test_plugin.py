"""A third-party format, as a real distribution built and installed in the test, is found
through its entry points exactly as the built-in formats are."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_cli

PYPROJECT = """
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "fmconvert-plaintext"
version = "0.1"

[project.entry-points."fmconvert.readers"]
plaintext = "fmconvert_plaintext:PlainTextReader"

[project.entry-points."fmconvert.writers"]
plaintext = "fmconvert_plaintext:PlainTextWriter"
"""

MODULE = '''
"""A toy format: plain text, one paragraph per blank-line-separated block."""
from convert.formats import Reader, Writer
from convert.model import Document, Source


class PlainTextReader(Reader):
    name = "plaintext"
    aliases = ("paras",)
    extensions = (".paras",)
    description = "plain text paragraphs"

    def read(self, data, options):
        from html import escape
        text = data.decode("utf-8")
        paras = [p.strip() for p in text.split("\\n\\n") if p.strip()]
        body = "".join(f"<p>{escape(p)}</p>\\n" for p in paras)
        return Document({"title": paras[0] if paras else ""}, source=Source(path=options.path, format=self.name), body_html=body)


class PlainTextWriter(Writer):
    name = "plaintext"
    aliases = ("paras",)
    extensions = (".paras",)
    description = "plain text paragraphs"

    def write(self, document, options):
        paras = [p.text_content().strip() for p in document.body.iter("p", "h1", "h2", "h3", "li")]
        return ("\\n\\n".join(p for p in paras if p) + "\\n").encode("utf-8")
'''


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("plugin-src")
    (src / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT))
    (src / "fmconvert_plaintext.py").write_text(MODULE)
    target = tmp_path_factory.mktemp("plugin-site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--target", str(target), str(src)],
        check=True,
        capture_output=True,
    )
    assert list(target.glob("fmconvert_plaintext-0.1.dist-info/entry_points.txt"))
    return target


def test_plugin_is_listed(plugin_path):
    result = run_cli("formats", env={"PYTHONPATH": str(plugin_path)})
    assert result.returncode == 0, result.stderr
    line = next(ln for ln in result.stdout.decode().splitlines() if ln.startswith("plaintext"))
    assert "yes" in line and ".paras" in line and "fmconvert-plaintext" in line
    assert "plaintext" not in run_cli("formats").stdout.decode()


def test_convert_with_plugin_writer_and_reader(plugin_path, tmp_path):
    env = {"PYTHONPATH": str(plugin_path)}
    out = tmp_path / "post.paras"
    result = run_cli("convert", "fixtures/posts/hugo-json-object.html", "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("The trick is to roll, not fold.")
    assert "Roll the tent around the pole bag." in text
    back = run_cli("convert", str(out), "-t", "json", env=env)
    assert back.returncode == 0, back.stderr
    assert b'"title": "The trick is to roll, not fold.' in back.stdout
    alias = run_cli("convert", "fixtures/posts/hugo-json-object.html", "-t", "paras", env=env)
    assert alias.stdout.decode() == text


def test_a_built_in_format_read_and_written_is_one_format():
    from convert.registry import get_registry

    both = {name: info for name, info in get_registry().formats.items() if info.reader and info.writer}
    assert set(both) >= {"html", "markdown", "json", "jsonl", "xhtml"}
    for name, info in both.items():
        reader, writer = info.load("reader"), info.load("writer")
        assert reader.name == writer.name == name
        assert (reader.aliases, reader.extensions, reader.description) == (writer.aliases, writer.extensions, writer.description), name
