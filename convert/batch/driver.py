"""The driver of a tree batch: plan, map the worker over the files, record, summarize."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from convert.batch.cluster import client_for, map_tasks
from convert.batch.manifest import Manifest
from convert.batch.model import BatchOptions, Result, Summary, Task
from convert.batch.progress import Progress
from convert.batch.tree import DestLock, inside, output_path, walk
from convert.batch.work import convert_chunk, convert_file, init_worker
from convert.errors import ConvertError
from convert.pool import ordered_map, terminate_on_signals


def plan(
    src: str,
    dest: str | None,
    options: BatchOptions,
    manifest: Manifest,
    summary: Summary,
    keep_bytes: bool,
    report: Callable[[str, str, bool], None],
    on_plan: Callable[[str, str], None] | None,
) -> list[Task]:
    """The tasks of a run: every input that needs converting (or copying), each with an output
    of its own. Two inputs that would write one output (``a.html`` and ``a.md`` to ``a.md``)
    both fail, naming each other: neither silently wins."""
    extension = options.extension or ""
    src_real = os.path.realpath(src)
    dest_real = os.path.realpath(dest) if dest else ""
    dest_in_src = bool(dest) and dest_real != src_real and inside(dest_real, src_real)
    by_output: dict[str, Task] = {}
    collided: set[str] = set()
    tasks: list[Task] = []
    for full, rel, is_doc in walk(src, dest, options, report):
        if keep_bytes and not is_doc:
            continue
        out = output_path(dest, rel, extension) if (dest and is_doc) else (os.path.join(dest, *rel.split("/")) if dest else "")
        task = Task(os.path.abspath(full), rel, os.path.abspath(out) if out else "", "document" if is_doc else "asset")
        if dest:
            real_out = os.path.realpath(out)
            if real_out == os.path.realpath(full):
                raise ConvertError("refusing to overwrite an input with its own output", path=full)
            if inside(real_out, src_real) and not (dest_in_src and inside(real_out, dest_real)):
                report(full, f"its output {out} would land inside SRC; not converted (choose a DEST outside {src})", True)
                continue
            key = os.path.normcase(real_out)
            if key in by_output:
                first = by_output[key]
                if key not in collided:
                    collided.add(key)
                    report(first.source, f"{first.relpath} and {rel} would both be written to {out}; neither is converted", True)
                report(full, f"{rel} and {first.relpath} would both be written to {out}; neither is converted", True)
                continue
            by_output[key] = task
        tasks.append(task)
    tasks = [t for t in tasks if os.path.normcase(os.path.realpath(t.output)) not in collided] if dest else tasks
    planned = []
    for task in tasks:
        if not keep_bytes and not options.force and manifest.unchanged(task):
            summary.unchanged += 1
            if on_plan and options.dry_run:
                on_plan("unchanged", task.relpath)
            continue
        planned.append(task)
    return planned


def run_batch(
    src: str,
    dest: str | None,
    options: BatchOptions,
    *,
    jsonl: Any = None,
    on_failure: Callable[[str], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_plan: Callable[[str, str], None] | None = None,
    progress: bool = False,
) -> Summary:
    """Convert the tree at ``src`` into ``dest`` (or into the ``jsonl`` binary stream).

    DEST is locked for the run (:class:`DestLock`). SIGTERM and SIGHUP, like Ctrl-C, stop the run
    cleanly: workers end, what finished is recorded in the manifest, and the exception goes on to
    the caller (:class:`convert.errors.Terminated`, ``KeyboardInterrupt``)."""
    from convert.batch.storage import is_url, local_path

    src, dest = (src if is_url(src) else local_path(src)), (dest if dest is None or is_url(dest) else local_path(dest))
    if dest and jsonl is None and not options.dry_run and not is_url(dest):
        with DestLock(dest):
            return _run(src, dest, options, jsonl, on_failure, on_warning, on_plan, progress)
    return _run(src, dest, options, jsonl, on_failure, on_warning, on_plan, progress)


def _run(
    src: str,
    dest: str | None,
    options: BatchOptions,
    jsonl: Any,
    on_failure: Callable[[str], None] | None,
    on_warning: Callable[[str], None] | None,
    on_plan: Callable[[str, str], None] | None,
    progress: bool,
) -> Summary:
    from convert.batch import storage

    started = time.monotonic()
    summary = Summary()
    keep_bytes = jsonl is not None
    remote = storage.is_url(src) or storage.is_url(dest)
    remote_dest = bool(dest) and storage.is_url(dest) and not keep_bytes
    if remote_dest:
        manifest = Manifest(_fetch_manifest(dest) if not options.dry_run else None, options.fingerprint())  # type: ignore[arg-type]
    else:
        manifest = Manifest.in_dest(dest if not keep_bytes else None, options.fingerprint())

    def fail(message: str) -> None:
        summary.failed += 1
        summary.failures.append(message)
        if on_failure:
            on_failure(message)

    def report(path: str, message: str, failure: bool) -> None:
        from convert.errors import display

        line = f"{display(path)}: {message}"
        if failure:
            fail(line)
        elif on_warning:
            on_warning(line)

    if remote:
        tasks = storage.plan_remote(src, dest if not keep_bytes else None, options, manifest, summary, report)
    else:
        tasks = plan(src, dest, options, manifest, summary, keep_bytes, report, on_plan)
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
        "repair": options.repair,
        "strip": options.strip,
        "write_options": options.write_options,
    }
    bar = Progress(len(tasks), progress)
    done = 0
    driver_writes = bool(dest) and not keep_bytes and not storage.shared(dest)  # memory://: one process
    outputs = {t.relpath: t.output for t in tasks} if driver_writes else {}

    def handle(result: Result) -> None:
        nonlocal done
        done += 1
        if driver_writes and result.data is not None and result.status in ("converted", "copied"):
            try:
                storage.write_bytes(outputs[result.relpath], result.data)
            except Exception as err:
                result = Result(result.relpath, "failed", f"{outputs[result.relpath]}: cannot write: {err}")
            result.data = None
        if result.status == "failed":
            fail(result.error or result.relpath)
        elif result.status == "copied":
            summary.copied += 1
        else:
            summary.converted += 1
            if keep_bytes and result.data is not None:
                jsonl.write(result.data)
        for warning in result.warnings:
            if on_warning:
                on_warning(warning)
        summary.images_missed += result.images_missed
        for kind, n in result.templates.items():
            summary.templates[kind] = summary.templates.get(kind, 0) + n
        manifest.record(result)
        bar.update(done, summary.failed)

    def save() -> None:
        if not keep_bytes and dest:
            error = manifest.save()
            if error:
                fail(error)

    jobs = options.jobs or os.cpu_count() or 1
    save_every = 200
    worker_bytes = keep_bytes or driver_writes

    def batches() -> Iterator[list[Result]]:
        """The results, a partition or chunk at a time, from the cluster, the pool or this process."""
        if options.scheduler:
            with client_for(options.scheduler) as client:
                yield from map_tasks(client, tasks, worker_options, worker_bytes)
        elif jobs == 1 or len(tasks) <= 1:
            yield from ([convert_file(task, worker_options, worker_bytes)] for task in tasks)
        else:
            chunk = max(1, min(16, len(tasks) // (jobs * 8) or 1))
            chunks = (tasks[i : i + chunk] for i in range(0, len(tasks), chunk))
            yield from ordered_map(convert_chunk, chunks, jobs, worker_bytes, initializer=init_worker, initargs=(worker_options,))

    try:
        with terminate_on_signals():
            since_save = 0
            for results in batches() if tasks else ():
                for result in results:
                    handle(result)
                    since_save += 1
                if since_save >= save_every:
                    save()
                    since_save = 0
    finally:
        save()  # also when stopped: what finished is recorded, the next run does the rest
        manifest.close()
        if remote_dest and manifest.path and os.path.exists(manifest.path):
            error = _push_manifest(manifest.path, dest)  # type: ignore[arg-type]
            if error:
                fail(error)
    bar.update(done, summary.failed, final=True)
    summary.seconds = time.monotonic() - started
    return summary


def _fetch_manifest(dest: str) -> str:
    """The local copy of the manifest of a DEST in object storage (fetched from DEST when this
    machine has none)."""
    from convert.batch.model import MANIFEST
    from convert.batch.storage import filesystem, manifest_path

    path = manifest_path(dest)
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fs, root = filesystem(dest)
        try:
            fs.get_file(f"{root.rstrip('/')}/{MANIFEST}", path)
        except Exception:  # no manifest there yet (each store has its own "no such key" error)
            if os.path.exists(path):
                os.remove(path)  # never start from half a copy
    return path


def _push_manifest(path: str, dest: str) -> str | None:
    from convert.batch.model import MANIFEST
    from convert.batch.storage import write_bytes

    try:
        with open(path, "rb") as fh:
            write_bytes(f"{dest.rstrip('/')}/{MANIFEST}", fh.read())
    except Exception as err:
        return f"{dest}: cannot store the manifest: {err} (the next run from another machine converts these files again)"
    return None
