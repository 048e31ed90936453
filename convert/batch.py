"""Batch conversion of directory trees: parallel, incremental, atomic.

The per-document work is :func:`convert.api.convert_bytes` (bytes and options in, bytes out); this
module only walks the tree, decides what needs doing, maps that function over files with a process
pool in bounded windows (memory stays flat however many files there are), writes each output
atomically and records what it did in a manifest in DEST, so a second run converts only what
changed and a killed run is finished by the next one.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from convert.errors import ConvertError

DOCUMENT_EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".xhtml", ".json")
MANIFEST = ".fmconvert-manifest.json"
MANIFEST_VERSION = 1


@dataclass
class BatchOptions:
    to: str
    from_: str = "auto"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int = 0
    force: bool = False
    copy_assets: bool = False
    dry_run: bool = False
    strip: tuple[str, ...] = ()
    encoding: str | None = None
    extension: str | None = None  # output extension, from the target format
    write_options: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """What, besides the input bytes, decides an output: a change re-converts everything."""
        from convert._version import __version__

        key = json.dumps(
            [__version__, self.to, self.from_, list(self.strip), self.encoding, sorted(self.write_options.items())],
            default=str,
        )
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class Task:
    source: str  # absolute path
    relpath: str  # relative to SRC, with '/' separators
    output: str  # absolute output path
    kind: str  # "document" | "asset"


@dataclass
class Result:
    relpath: str
    status: str  # converted | unchanged | failed | copied
    error: str | None = None
    digest: str | None = None
    size: int = 0
    mtime_ns: int = 0
    data: bytes | None = None  # JSON Lines output, gathered by the parent


@dataclass
class Summary:
    converted: int = 0
    unchanged: int = 0
    failed: int = 0
    copied: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def _matches(relpath: str, patterns: tuple[str, ...]) -> bool:
    name = relpath.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relpath, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk(src: str, dest: str | None, options: BatchOptions) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(absolute path, relative path, is_document)`` in a stable order. Follows symlinked
    folders once (a loop is not walked twice), never descends into DEST."""
    dest_real = os.path.realpath(dest) if dest else None
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(src, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        kept = []
        for d in sorted(dirs):
            full = os.path.join(root, d)
            if d.startswith(".") or (dest_real and os.path.realpath(full) == dest_real):
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            if options.include and not _matches(rel, options.include):
                continue
            if options.exclude and _matches(rel, options.exclude):
                continue
            is_doc = name.lower().endswith(DOCUMENT_EXTENSIONS)
            if not is_doc and not options.copy_assets:
                continue
            if dest_real and os.path.realpath(full).startswith(dest_real + os.sep):
                continue
            yield full, rel, is_doc


def output_path(dest: str, relpath: str, extension: str) -> str:
    base, _ = os.path.splitext(relpath)
    return os.path.join(dest, *(base + extension).split("/"))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- the worker side: a pure function of (bytes, options) plus an atomic write ---------------

_WORKER_OPTIONS: dict[str, Any] = {}


def _init_worker(options: dict[str, Any]) -> None:
    _WORKER_OPTIONS.clear()
    _WORKER_OPTIONS.update(options)


def convert_file(task: Task, options: dict[str, Any], keep_bytes: bool = False) -> Result:
    """Convert one file (run in a worker process). Never raises: failures are results."""
    from convert.api import convert_bytes
    from convert.formats import WriteOptions

    try:
        with open(task.source, "rb") as fh:
            data = fh.read()
        st = os.stat(task.source)
    except OSError as err:
        return Result(task.relpath, "failed", f"{task.source}: cannot read: {err.strerror or err}")
    if task.kind == "asset":
        return _write(task, data, Result(task.relpath, "copied", digest=_digest(data), size=st.st_size, mtime_ns=st.st_mtime_ns))
    try:
        out = convert_bytes(
            data,
            options["to"],
            from_=options["from_"],
            path=task.source,
            encoding=options["encoding"],
            strip=options["strip"],
            options=WriteOptions(path=task.output, extra=dict(options["write_options"])),
        )
    except ConvertError as err:  # depth and size limits arrive here too (convert.api turns them into errors)
        return Result(task.relpath, "failed", str(err))
    except Exception as err:  # a bug must not stop the batch
        return Result(task.relpath, "failed", f"{task.source}: internal error: {type(err).__name__}: {err}")
    done = Result(task.relpath, "converted", digest=_digest(data), size=st.st_size, mtime_ns=st.st_mtime_ns)
    if keep_bytes:
        done.data = out
        return done
    return _write(task, out, done)


def _write(task: Task, data: bytes, done: Result) -> Result:
    """Write an output atomically; ``done`` on success, a failure naming the output otherwise."""
    from convert.fsutil import atomic_write

    try:
        os.makedirs(os.path.dirname(task.output), exist_ok=True)
        atomic_write(task.output, data)
    except OSError as err:
        return Result(task.relpath, "failed", f"{task.output}: cannot write: {err.strerror or err}")
    return done


def _convert_in_worker(tasks: list[Task], keep_bytes: bool) -> list[Result]:
    return [convert_file(task, _WORKER_OPTIONS, keep_bytes) for task in tasks]


def _pool_map(work: Callable[..., list[Result]], chunks: Iterator[Any], jobs: int, worker_options: dict[str, Any], *args: Any) -> Iterator[list[Result]]:
    """``work(chunk, *args)`` for each chunk on a pool of ``jobs`` processes, results in input
    order. At most a few chunks per worker are in flight: memory stays flat however many there
    are."""
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(worker_options,)) as pool:
        pending: dict[Future[list[Result]], int] = {}
        results: dict[int, list[Result]] = {}
        next_to_emit = 0
        numbered = enumerate(chunks)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < window:
                try:
                    index, group = next(numbered)
                except StopIteration:
                    exhausted = True
                    break
                pending[pool.submit(work, group, *args)] = index
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                results[pending.pop(future)] = future.result()
            while next_to_emit in results:  # in input order: JSON Lines output is deterministic
                yield results.pop(next_to_emit)
                next_to_emit += 1


# ---- the driver -----------------------------------------------------------------------------


class Manifest:
    """What the last runs converted: input size, mtime and hash, per relative path."""

    def __init__(self, dest: str | None, fingerprint: str) -> None:
        self.path = os.path.join(dest, MANIFEST) if dest else None
        self.fingerprint = fingerprint
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if data.get("version") == MANIFEST_VERSION and data.get("fingerprint") == fingerprint:
                    self.entries = data.get("entries", {})
            except (OSError, ValueError):
                self.entries = {}

    def unchanged(self, task: Task) -> bool:
        entry = self.entries.get(task.relpath)
        if entry is None or not os.path.exists(task.output):
            return False
        try:
            st = os.stat(task.source)
        except OSError:
            return False
        if entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
            return True
        try:
            with open(task.source, "rb") as fh:
                same = _digest(fh.read()) == entry.get("sha256")
        except OSError:
            return False
        if same:
            entry["mtime_ns"] = st.st_mtime_ns
        return same

    def record(self, result: Result) -> None:
        if result.status in ("converted", "copied"):
            self.entries[result.relpath] = {"sha256": result.digest, "size": result.size, "mtime_ns": result.mtime_ns}
        elif result.status == "failed":
            self.entries.pop(result.relpath, None)

    def save(self) -> None:
        if not self.path:
            return
        from convert.fsutil import atomic_write

        data = {"version": MANIFEST_VERSION, "fingerprint": self.fingerprint, "entries": self.entries}
        atomic_write(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))


class Progress:
    """One self-rewriting line on a terminal: done/total, failures, rate, time left."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, failed: int, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        left = (self.total - done) / rate if rate > 0 else 0
        width = 24
        filled = int(width * done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {done}/{self.total}  {failed} failed  {rate:,.0f} files/s  {int(left) // 60}:{int(left) % 60:02d} left "
        sys.stderr.write(line)
        if final:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run_batch(
    src: str,
    dest: str | None,
    options: BatchOptions,
    *,
    jsonl: Any = None,
    on_failure: Callable[[str], None] | None = None,
    on_plan: Callable[[str, str], None] | None = None,
    progress: bool = False,
) -> Summary:
    """Convert the tree at ``src`` into ``dest`` (or into the ``jsonl`` binary stream)."""
    started = time.monotonic()
    summary = Summary()
    manifest = Manifest(dest if jsonl is None else None, options.fingerprint())
    extension = options.extension or ""
    tasks: list[Task] = []
    for full, rel, is_doc in walk(src, dest, options):
        out = output_path(dest, rel, extension) if (dest and is_doc) else (os.path.join(dest, *rel.split("/")) if dest else "")
        if dest and os.path.realpath(out) == os.path.realpath(full):
            raise ConvertError("refusing to overwrite an input with its own output", path=full)
        task = Task(os.path.abspath(full), rel, os.path.abspath(out) if out else "", "document" if is_doc else "asset")
        if jsonl is not None and not is_doc:
            continue
        if jsonl is None and not options.force and manifest.unchanged(task):
            summary.unchanged += 1
            if on_plan and options.dry_run:
                on_plan("unchanged", rel)
            continue
        tasks.append(task)
    if options.dry_run:
        for task in tasks:
            if on_plan:
                on_plan("copy" if task.kind == "asset" else "convert", f"{task.relpath} -> {os.path.relpath(task.output) if task.output else '(jsonl)'}")
        summary.seconds = time.monotonic() - started
        return summary

    worker_options = {
        "to": options.to,
        "from_": options.from_,
        "encoding": options.encoding,
        "strip": options.strip,
        "write_options": options.write_options,
    }
    keep_bytes = jsonl is not None
    bar = Progress(len(tasks), progress)
    done = 0

    def handle(result: Result) -> None:
        nonlocal done
        done += 1
        if result.status == "failed":
            summary.failed += 1
            summary.failures.append(result.error or result.relpath)
            if on_failure:
                on_failure(result.error or result.relpath)
        elif result.status == "copied":
            summary.copied += 1
        else:
            summary.converted += 1
            if keep_bytes and result.data is not None:
                jsonl.write(result.data)
        manifest.record(result)
        bar.update(done, summary.failed)

    jobs = options.jobs or os.cpu_count() or 1
    save_every = 200
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            handle(convert_file(task, worker_options, keep_bytes))
            if (i + 1) % save_every == 0 and jsonl is None:
                manifest.save()
    else:
        chunk = max(1, min(16, len(tasks) // (jobs * 8) or 1))
        chunks = (tasks[i : i + chunk] for i in range(0, len(tasks), chunk))
        since_save = 0
        for results in _pool_map(_convert_in_worker, chunks, jobs, worker_options, keep_bytes):
            for result in results:
                handle(result)
                since_save += 1
            if since_save >= save_every and jsonl is None:
                manifest.save()
                since_save = 0
    bar.update(done, summary.failed, final=True)
    if jsonl is None and dest:
        os.makedirs(dest, exist_ok=True)
        manifest.save()
    summary.seconds = time.monotonic() - started
    return summary


# ---- a JSON Lines stream back into files ------------------------------------------------------


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
            worker_options = {"to": options.to, "strip": options.strip, "write_options": options.write_options}
            jobs = options.jobs or os.cpu_count() or 1
            if jobs == 1:
                batches: Iterator[list[Result]] = ([convert_line(item, worker_options)] for item in items)
            else:
                batches = _pool_map(_convert_lines_in_worker, _chunked(items, 16), jobs, worker_options)
            bar = Progress(len(outputs), progress)
            for results in batches:
                for result in results:
                    if result.status == "failed":
                        fail(result.relpath, result.error or result.relpath)
                    else:
                        summary.converted += 1
                    bar.update(summary.converted + summary.failed, summary.failed)
            bar.update(summary.converted + summary.failed, summary.failed, final=True)
    summary.seconds = time.monotonic() - started
    return summary


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


def convert_line(item: tuple[str, bytes, str], options: dict[str, Any]) -> Result:
    """Convert one JSON Lines document and write it (run in a worker process). Never raises."""
    from convert.api import apply_transforms, read, write
    from convert.formats import WriteOptions

    label, line, output = item
    try:
        document = apply_transforms(read(line, "jsonl"), options["strip"])
        data = write(document, options["to"], options=WriteOptions(path=output, extra=dict(options["write_options"])))
    except ConvertError as err:
        return Result(label, "failed", f"{label}: {err.message}")
    except Exception as err:  # a bug must not stop the batch
        return Result(label, "failed", f"{label}: internal error: {type(err).__name__}: {err}")
    return _write(Task(label, label, output, "document"), data, Result(label, "converted"))


def _convert_lines_in_worker(items: list[tuple[str, bytes, str]]) -> list[Result]:
    return [convert_line(item, _WORKER_OPTIONS) for item in items]


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
