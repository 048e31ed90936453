"""The worker side: a pure function of (bytes, options) plus an atomic write, per file or per
JSON Lines document. Never raises: failures are results."""

from __future__ import annotations

import os
from typing import Any

from convert.batch.model import Result, Task, digest
from convert.errors import ConvertError, display, internal_error, reason

_WORKER_OPTIONS: dict[str, Any] = {}


def init_worker(options: dict[str, Any]) -> None:
    """A pool worker's initializer: the options every chunk it converts shares."""
    _WORKER_OPTIONS.clear()
    _WORKER_OPTIONS.update(options)


def convert_file(task: Task, options: dict[str, Any], keep_bytes: bool = False) -> Result:
    """Convert one file (run in a worker process). Never raises: failures are results."""
    from convert.api import convert_bytes

    try:
        if task.stamp is not None:  # listed from a URL (or for one): read through fsspec
            from convert.batch.storage import read_bytes

            data = read_bytes(task.source) if "://" in task.source else _read_local(task.source)
            size, mtime_ns, stamp = len(data), 0, task.stamp
        else:
            with open(task.source, "rb") as fh:
                data = fh.read()
            st = os.stat(task.source)
            size, mtime_ns, stamp = st.st_size, st.st_mtime_ns, str(st.st_mtime_ns)
    except Exception as err:  # OSError locally; a store's own errors (permissions, network) too
        return Result(task.relpath, "failed", f"{display(task.source)}: cannot read: {reason(err)}")
    if task.kind == "asset":
        return _write(task, data, Result(task.relpath, "copied", digest=digest(data), size=size, mtime_ns=mtime_ns, stamp=stamp), keep_bytes)
    try:
        out = convert_bytes(
            data,
            options["to"],
            from_=options["from_"],
            path=task.source,
            encoding=options["encoding"],
            strip=options["strip"],
            repair=options["repair"],
            options=(write_options := _write_options(task.output, options["write_options"])),
        )
    except ConvertError as err:  # depth and size limits arrive here too (convert.api turns them into errors)
        return Result(task.relpath, "failed", str(err))
    except Exception as err:  # a bug must not stop the batch
        return Result(task.relpath, "failed", f"{display(task.source)}: {internal_error(err)}")
    done = Result(task.relpath, "converted", digest=digest(data), size=size, mtime_ns=mtime_ns, stamp=stamp)
    done.warnings = [f"{display(task.source)}: {w}" for w in write_options.warnings]
    done.images_missed = len(write_options.extra.get("images_missed", ()))
    done.templates = dict(write_options.extra.get("template_counts") or {})
    if keep_bytes:
        done.data = out
        return done
    return _write(task, out, done)


def _read_local(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _write(task: Task, data: bytes, done: Result, keep_bytes: bool = False) -> Result:
    """Write an output atomically; ``done`` on success, a failure naming the output otherwise.
    With ``keep_bytes`` the output goes back to the driver, which writes it."""
    if keep_bytes:
        done.data = data
        return done
    try:
        if "://" in task.output:
            from convert.batch.storage import write_bytes

            write_bytes(task.output, data)
        else:
            from convert.fsutil import atomic_write

            os.makedirs(os.path.dirname(task.output), exist_ok=True)
            atomic_write(task.output, data)
    except Exception as err:  # OSError locally; a store's own errors too
        return Result(task.relpath, "failed", f"{display(task.output)}: cannot write: {reason(err)}")
    return done


def convert_chunk(tasks: list[Task], keep_bytes: bool) -> list[Result]:
    """A chunk of files, in a pool worker (options from :func:`init_worker`)."""
    return [convert_file(task, _WORKER_OPTIONS, keep_bytes) for task in tasks]


def convert_line(item: tuple[str, bytes, str], options: dict[str, Any]) -> Result:
    """Convert one JSON Lines document and write it (run in a worker process). Never raises."""
    from convert.api import apply_transforms, read, write

    label, line, output = item
    try:
        document = apply_transforms(read(line, "jsonl", repair=options["repair"]), options["strip"])
        data = write(document, options["to"], options=_write_options(output, options["write_options"]))
    except ConvertError as err:
        return Result(label, "failed", f"{label}: {err.message}")
    except Exception as err:  # a bug must not stop the batch
        return Result(label, "failed", f"{label}: {internal_error(err)}")
    return _write(Task(label, label, output, "document"), data, Result(label, "converted"))


def convert_lines_chunk(items: list[tuple[str, bytes, str]]) -> list[Result]:
    """A chunk of JSON Lines documents, in a pool worker (options from :func:`init_worker`)."""
    return [convert_line(item, _WORKER_OPTIONS) for item in items]




def _write_options(output: str, shared: dict[str, Any]) -> Any:
    from convert.formats import WriteOptions

    return WriteOptions.from_settings({"consume_body": True, **shared}, path=output)  # each document is the worker's alone
