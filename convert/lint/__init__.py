"""Linting images, alt text and referrer policies in front-matter HTML, Markdown and XHTML.

:func:`lint_bytes` is the per-file function: it reads the document as ``convert`` would (format
sniffed from the content, so a ``.md`` post with an HTML body is linted as HTML), finds the image
references with the file's own line and column, runs the selected rules and drops the findings
suppressed by comments::

    <img src="x.png"> <!-- fmconvert: disable=ALT001 -->      the finding on this line
    <!-- fmconvert: disable-file=REF002,SRC005 -->            these codes in the whole file
    <!-- fmconvert: disable-file -->                          everything in the file
"""

from __future__ import annotations

import re

from convert.lint import rules as _rules  # noqa: F401 - registers the rules
from convert.lint.core import RULES, FileResult, Finding, Fix, LintConfig, LintContext  # noqa: F401 - the public names
from convert.lint.fixes import apply_fixes  # noqa: F401 - public

_DISABLE = re.compile(r"<!--\s*fmconvert:\s*disable(-file)?(?:\s*=\s*([A-Z0-9 ,]+))?\s*-->")


def selected_codes(config: LintConfig) -> list[str]:
    codes = sorted(RULES)
    if config.select:
        codes = [c for c in codes if any(c.startswith(s) for s in config.select)]
    if config.ignore:
        codes = [c for c in codes if not any(c.startswith(s) for s in config.ignore)]
    return codes


def unreadable(path: str, message: str, line: int | None, config: LintConfig, data: bytes = b"") -> FileResult:
    """The result for a file that cannot be read: its one finding, DOC001, at the problem's line.
    Reported whatever ``select`` and ``ignore`` say (a file that was not read was not checked)."""
    from convert.errors import display

    severity = config.severity.get("DOC001", RULES["DOC001"].severity)
    return FileResult(path, "", [Finding(display(path), line or 1, 1, "DOC001", message, severity)], data=data)


def lint_bytes(data: bytes, path: str, config: LintConfig, remote: dict | None = None) -> FileResult:
    """Lint one file's bytes. A file that cannot be read as a document (malformed front matter,
    binary data, an undecodable encoding...) gives one DOC001 finding at the problem's line."""
    from convert.api import read
    from convert.decoding import decode, normalize_newlines
    from convert.errors import ConvertError

    try:
        document = read(data, "auto", path=path)
        raw_text, encoding, bom = decode(data, None if document.source.encoding == "utf-8" else document.source.encoding, path=path)
    except ConvertError as err:
        return unreadable(path, err.message, err.line, config, data)
    text, newline = normalize_newlines(raw_text)
    fm = document.source.frontmatter
    body_start = _offset_of_line(text, document.source.body_line)
    from convert.lint.extract import collect_images

    images = collect_images(
        text,
        body_start,
        document.source.format == "markdown",
        document.metadata,
        config.image_keys,
        fm.raw if fm is not None else "",
        fm.line if fm is not None else 1,
    )
    if remote is None and config.check_remote:
        from convert.lint.remote import check_all
        from convert.lint.rules import image_urls

        remote = check_all(
            (url for image in images for url in image_urls(image)), policy=config.fetch, cache_hours=config.remote_cache_hours
        )
    from convert.errors import display

    ctx = LintContext(display(path), document, text, images, config, remote or {})
    findings: list[Finding] = []
    for code in selected_codes(config):
        rule = RULES[code]
        for finding in rule.check(ctx):
            finding.severity = config.severity.get(code, finding.severity)
            findings.append(finding)
    findings = _unsuppressed(findings, text)
    findings.sort(key=Finding.sort_key)
    return FileResult(path, text, findings, newline, bom, encoding, data, raw_text)


def _offset_of_line(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def _unsuppressed(findings: list[Finding], text: str) -> list[Finding]:
    if "fmconvert:" not in text:
        return findings
    file_codes: set[str] = set()
    file_all = False
    line_codes: dict[int, set[str] | None] = {}
    for m in _DISABLE.finditer(text):
        codes = {c.strip() for c in (m.group(2) or "").replace(" ", ",").split(",") if c.strip()}
        if m.group(1):
            if codes:
                file_codes |= codes
            else:
                file_all = True
        else:
            line = text.count("\n", 0, m.start()) + 1
            line_codes[line] = None if not codes else codes | (line_codes.get(line) or set())
    if file_all:
        return []
    kept = []
    for f in findings:
        if any(f.code.startswith(c) for c in file_codes):
            continue
        if f.line in line_codes:
            codes = line_codes[f.line]
            if codes is None or any(f.code.startswith(c) for c in codes):
                continue
        kept.append(f)
    return kept
