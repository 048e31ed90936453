"""Bad input: one clear line naming the file and line, a non-zero exit, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

CASES = json.loads((FIXTURES / "bad" / "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_front_matter_is_reported_with_file_and_line(name, tmp_path):
    expected = CASES[name]
    path = FIXTURES / "bad" / name
    out = tmp_path / "out.json"
    out.write_text("precious")
    result = run_cli("convert", str(path), "-o", str(out))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith(f"fmconvert: {path}:{expected['line']}: ")
    assert expected["message"] in stderr
    assert out.read_text() == "precious"  # an existing output is left as it was


def test_binary_input(tmp_path):
    blob = tmp_path / "image.html"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("convert", str(blob), "-t", "json")
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"fmconvert: {blob}:3: binary data")  # NUL on line 3
    assert result.stdout == b""


def test_unknown_format_is_a_usage_error():
    result = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html", "-t", "docx")
    assert result.returncode == 2
    assert "unknown format 'docx'" in result.stderr.decode()


def test_missing_target_format_is_a_usage_error():
    result = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html")
    assert result.returncode == 2
    assert "no target format" in result.stderr.decode()


def test_missing_input_file():
    result = run_cli("convert", "no/such/file.html", "-t", "json")
    assert result.returncode == 2
    assert "no such file" in result.stderr.decode()


def test_stdin_errors_name_stdin():
    result = run_cli("convert", "-t", "json", input=b"---\ntitle: [unclosed\n---\n")
    assert result.returncode == 1
    assert result.stderr.decode().startswith("fmconvert: <stdin>:")


def test_invalid_json_document():
    result = run_cli("convert", "-f", "json", "-t", "html", input=b'{"schema": "fmconvert/document/1", "body": 5}')
    assert result.returncode == 1
    assert "'body' must be a string, not a number" in result.stderr.decode()


def test_successful_write_replaces_output_atomically(tmp_path: Path):
    out = tmp_path / "post.json"
    out.write_text("old")
    out.chmod(0o640)
    result = run_cli("convert", "fixtures/posts/hexo-cjk-tea.html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["metadata"]["author"] == "城市观察员"
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["post.json"]  # no temporary file left


def test_debug_shows_a_traceback_only_on_request():
    plain = run_cli("convert", "fixtures/bad/tab-indent.html", "-t", "json")
    debug = run_cli("--debug", "convert", "fixtures/bad/tab-indent.html", "-t", "json")
    assert "Traceback" not in plain.stderr.decode()
    assert "Traceback" in debug.stderr.decode()


def test_file_errors_say_why_in_words(tmp_path: Path):
    from convert import read_file
    from convert.errors import ConvertError, internal_error, reason

    missing = tmp_path / "gone.html"
    with pytest.raises(ConvertError) as caught:
        read_file(missing)
    assert str(caught.value) == f"{missing}: cannot read: No such file or directory"  # not "[Errno 2] ..."
    assert reason(ValueError("embedded null byte")) == "embedded null byte"  # an error with no strerror: its text
    assert internal_error(KeyError("title")) == "internal error: KeyError: 'title'"


def test_unreadable_configuration_says_why_once(tmp_path: Path):
    from convert.config import read_config
    from convert.errors import ConvertError

    with pytest.raises(ConvertError) as caught:
        read_config(str(tmp_path))  # a folder where a file was expected
    # The path is the error's path, not repeated in the reason ("[Errno 21] Is a directory: '...'").
    assert str(caught.value) == f"{tmp_path}: cannot read configuration: Is a directory"
