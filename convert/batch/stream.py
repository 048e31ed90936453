"""A JSON Lines stream back into files."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from convert.batch.model import BatchOptions, Result, Summary
from convert.batch.progress import Progress
from convert.batch.tree import output_path
from convert.batch.work import convert_line, convert_lines_chunk, init_worker
from convert.errors import ConvertError
from convert.pool import ordered_map, terminate_on_signals


def run_stream(
    stream: Any,
    name: str,
    dest: str,
    options: BatchOptions,
    *,
    on_failure: Callable[[str], None] | None = None,
    on_plan: Callable[[str, str], None] | None = None,
    progress: bool = False,
) -> Summary:
    """Write each document of a JSON Lines ``stream`` (``name`` for messages) into ``dest``.

    The documents' own source paths decide where they go: the folder they have in common is
    mirrored, as ``batch`` mirrors SRC (a relative path is kept when it stays inside; a document
    with no path is named after its line). A line that is not a document is reported with its
    number and the rest go on. Every output is written atomically; there is no manifest (a
    stream has no file dates to compare).

    Two passes, one document in memory at a time: the first reads every line for its path (a
    pipe is spooled to a temporary file first), the second converts and writes."""
    import tempfile

    from convert.api import read

    started = time.monotonic()
    summary = Summary()

    def fail(label: str, message: str) -> None:
        summary.failed += 1
        summary.failures.append(label)
        if on_failure:
            on_failure(message)

    with tempfile.TemporaryFile() as spool:
        if not stream.seekable():
            while chunk := stream.read(1 << 20):
                spool.write(chunk)
            stream = spool
        stream.seek(0)
        located: list[tuple[int, str | None]] = []  # (line, the document's source path)
        for number, line in enumerate(stream, 1):
            if line.strip():
                try:
                    located.append((number, read(line, "jsonl").source.path))
                except ConvertError as err:
                    fail(f"{name}:{number}", f"{name}:{number}: {err.message}")
        outputs = dict(zip((n for n, _ in located), _stream_paths(located), strict=True))
        stream.seek(0)
        items = _stream_items(stream, name, dest, outputs, options.extension or "")
        if options.dry_run:
            for label, _, output in items:
                if on_plan:
                    on_plan("convert", f"{label} -> {os.path.relpath(output)}")
        else:
            worker_options = {"to": options.to, "strip": options.strip, "repair": options.repair, "write_options": options.write_options}
            jobs = options.jobs or os.cpu_count() or 1
            if jobs == 1:
                batches: Iterator[list[Result]] = ([convert_line(item, worker_options)] for item in items)
            else:
                batches = ordered_map(convert_lines_chunk, _chunked(items, 16), jobs, initializer=init_worker, initargs=(worker_options,))
            bar = Progress(len(outputs), progress)
            with terminate_on_signals():
                _drain(batches, fail, summary, bar)
            bar.update(summary.converted + summary.failed, summary.failed, final=True)
    summary.seconds = time.monotonic() - started
    return summary


def _drain(batches: Iterator[list[Result]], fail: Callable[[str, str], None], summary: Summary, bar: Progress) -> None:
    for results in batches:
        for result in results:
            if result.status == "failed":
                fail(result.relpath, result.error or result.relpath)
            else:
                summary.converted += 1
            bar.update(summary.converted + summary.failed, summary.failed)


def _stream_items(stream: Any, name: str, dest: str, outputs: dict[int, str], extension: str) -> Iterator[tuple[str, bytes, str]]:
    """``(label, line, output path)`` for each document line; two documents from one path get
    "-2", "-3" names."""
    taken: set[str] = set()
    for number, line in enumerate(stream, 1):
        if number not in outputs:
            continue
        out = output_path(dest, outputs[number], extension)
        base, n = out, 1
        while out in taken:
            n += 1
            out = f"{os.path.splitext(base)[0]}-{n}{extension}"
        taken.add(out)
        yield f"{name}:{number}", line, os.path.abspath(out)


def _chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stream_paths(located: list[tuple[int, str | None]]) -> list[str]:
    """A relative output path (with '/') for each ``(line, source path)``."""
    absolute = [path for _, path in located if path and os.path.isabs(path)]
    root = os.path.commonpath([os.path.dirname(p) for p in absolute]) if absolute else ""
    paths = []
    for number, path in located:
        if not path:
            rel = f"document-{number}"
        elif os.path.isabs(path):
            rel = os.path.relpath(path, root)
        else:
            rel = os.path.normpath(path)
            if rel.startswith("..") or os.path.isabs(rel):
                rel = os.path.basename(path)
        paths.append(rel.replace(os.sep, "/"))
    return paths
