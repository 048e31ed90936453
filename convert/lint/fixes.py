"""``lint --fix`` as an edit of the file's own bytes.

Findings carry their fixes as edits of the decoded text with ``\\n`` line ends. Writing that text
back would re-encode the whole file: a UTF-16 file would lose its BOM, mixed or CR-only line ends
would become one style, a doubled BOM would lose a copy, and characters that an encoding can
spell two ways (Shift_JIS) would come back spelled the other way. So each edit is mapped back to
the byte range it covers in the original file, and only those bytes are replaced: every byte
outside the repaired tags stays as it was.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from convert.lint.core import FileResult, Finding, Fix


class FixError(Exception):
    """The edits cannot be mapped onto the file's bytes exactly; the file is left alone."""


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """Apply the fixes of ``findings`` to ``text`` (non-overlapping, from the end). Returns the
    new text and the findings that were fixed."""
    chosen = _chosen(findings)
    for fix, _ in chosen:
        text = text[: fix.start] + fix.text + text[fix.end :]
    return text, [finding for _, finding in chosen]


def _chosen(findings: list[Finding]) -> list[tuple[Fix, Finding]]:
    """The fixes to apply, from the last to the first; one that overlaps a later one waits for
    the next run."""
    fixes = sorted(((f.fix, f) for f in findings if f.fix is not None), key=lambda p: p[0].start, reverse=True)  # type: ignore[union-attr]
    chosen: list[tuple[Fix, Finding]] = []
    last_start = None
    for fix, finding in fixes:
        if last_start is not None and fix.end > last_start:
            continue
        chosen.append((fix, finding))  # type: ignore[arg-type]
        last_start = fix.start
    return chosen


def fix_bytes(result: FileResult) -> tuple[bytes, str, list[Finding]]:
    """The file's bytes with the fixes applied, the new decoded text (original line ends) and the
    findings fixed. Raises :class:`FixError` when an edit cannot be placed exactly."""
    chosen = _chosen(result.findings)
    raw = result.raw_text
    codec = result.encoding
    # normalized offset -> offset in the text as decoded (CRLF counted as two characters)
    collapsed = [m.start() - k for k, m in enumerate(re.finditer("\r\n", raw))]

    def raw_offset(i: int) -> int:
        return i + bisect_left(collapsed, i)

    try:
        head = len(result.data) - len(raw.encode(codec))
        edits = []
        for fix, _ in reversed(chosen):  # ascending
            start, end = raw_offset(fix.start), raw_offset(fix.end)
            edits.append((start, end, fix.text.replace("\n", result.newline).encode(codec), fix.text.replace("\n", result.newline)))
        out = bytearray()
        new_text = []
        pos_chars, pos_bytes = 0, head
        out += result.data[:head]
        for start, end, replacement, replacement_text in edits:
            before = raw[pos_chars:start]
            size = len(before.encode(codec))
            out += result.data[pos_bytes : pos_bytes + size]
            new_text.append(before)
            removed = len(raw[start:end].encode(codec))
            out += replacement
            new_text.append(replacement_text)
            pos_chars, pos_bytes = end, pos_bytes + size + removed
        out += result.data[pos_bytes:]
        new_text.append(raw[pos_chars:])
    except (UnicodeError, LookupError) as err:
        raise FixError(f"the fix cannot be written in {codec}: {err}") from None
    text = "".join(new_text)
    try:
        check = bytes(out[head:]).decode(codec)
    except UnicodeDecodeError:
        check = None
    if check != text:
        raise FixError(f"the fix cannot be placed exactly in this {codec} file; nothing changed")
    return bytes(out), text, [finding for _, finding in chosen]
