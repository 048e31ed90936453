"""Where a batch reads and writes when SRC or DEST is a URL: any fsspec file system
(``s3://bucket/posts/``, ``gs://``, ``memory://``, ``file://``).

Credentials and endpoints come from fsspec's own configuration (``~/.config/fsspec/*.json`` or
``FSSPEC_S3_ENDPOINT_URL`` and friends in the environment, and each store's usual variables),
never from our command line. A file is read whole; an output is written with one
``pipe_file``, a single PUT on object stores, so no reader sees a partial object (on local and
memory file systems the write goes to a temporary name first).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from convert.batch.model import BatchOptions, Summary, Task

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def is_url(path: str | None) -> bool:
    return bool(path) and bool(_URL.match(path)) and not path.startswith("file://")  # type: ignore[union-attr]


def local_path(path: str) -> str:
    """A ``file://`` URL as a plain path (handled by the local code, with all its checks)."""
    return path[len("file://") :] if path.startswith("file://") else path


def filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, root


def _url(fs: Any, path: str) -> str:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return f"{protocol}://{path.lstrip('/') if protocol != 'memory' else path}"


def read_bytes(url: str) -> bytes:
    fs, path = filesystem(url)
    return fs.cat_file(path)


def write_bytes(url: str, data: bytes) -> None:
    """One whole object: a single PUT on object stores; a temporary name and a rename where the
    file system has renames (memory, local)."""
    fs, path = filesystem(url)
    parent = path.rsplit("/", 1)[0]
    if parent and parent != path:
        fs.makedirs(parent, exist_ok=True)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol in ("memory", "file", "local"):
        tmp = f"{parent}/.{path.rsplit('/', 1)[-1]}.{os.getpid()}.tmp"
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)
    else:
        fs.pipe_file(path, data)


def shared(url: str | None) -> bool:
    """Whether worker processes can write to ``url`` themselves (``memory://`` lives in one
    process: the driver writes those outputs)."""
    return not (url and url.startswith("memory://"))


def _stamp(info: dict[str, Any]) -> str:
    for key in ("ETag", "etag", "md5Hash", "mtime", "LastModified", "last_modified", "updated", "created"):
        if info.get(key) is not None:
            return str(info[key]).strip('"')
    return ""


def plan_remote(
    src: str,
    dest: str | None,
    options: BatchOptions,
    manifest: Any,
    summary: Summary,
    report: Callable[[str, str, bool], None],
) -> list[Task]:
    """The tasks of a run whose SRC or DEST is a URL: one listing of each side, then the same
    rules as for a local tree (hidden names skipped, include/exclude, collisions refused)."""
    from convert.batch.tree import output_path, selected

    extension = options.extension or ""
    if is_url(src):
        fs, root = filesystem(src)
        root = root.rstrip("/")
        listing = fs.find(root, detail=True, withdirs=False)
        found = [(path, path[len(root) :].lstrip("/"), info) for path, info in sorted(listing.items())]
        make_source = lambda path: _url(fs, path)  # noqa: E731
    else:
        base = os.path.abspath(local_path(src))
        found = []
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(folder, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    st = os.stat(full)
                    found.append((full, os.path.relpath(full, base).replace(os.sep, "/"), {"size": st.st_size, "mtime": st.st_mtime_ns}))
        make_source = lambda path: path  # noqa: E731
    existing: set[str] = set()
    if dest and is_url(dest):
        dfs, droot = filesystem(dest)
        try:
            existing = {_url(dfs, p) for p in dfs.find(droot.rstrip("/"), withdirs=False)}
        except FileNotFoundError:
            existing = set()
        manifest.exists = existing.__contains__
    tasks: list[Task] = []
    by_output: dict[str, Task] = {}
    collided: set[str] = set()
    for path, rel, info in found:
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        is_doc = selected(rel, options)
        if is_doc is None:
            continue
        if dest:
            out = output_path(dest, rel, extension) if is_doc else os.path.join(dest, *rel.split("/"))
            out = out.replace(os.sep, "/") if is_url(dest) else out
        else:
            out = ""
        task = Task(make_source(path), rel, out, "document" if is_doc else "asset", size=int(info.get("size") or 0), stamp=_stamp(info))
        if out in by_output:
            first = by_output[out]
            if out not in collided:
                collided.add(out)
                report(first.source, f"{first.relpath} and {rel} would both be written to {out}; neither is converted", True)
            report(task.source, f"{rel} and {first.relpath} would both be written to {out}; neither is converted", True)
            continue
        if out:
            by_output[out] = task
        tasks.append(task)
    planned = []
    for task in tasks:
        if task.output in collided:
            continue
        if not options.force and dest and manifest.unchanged(task):
            summary.unchanged += 1
            continue
        planned.append(task)
    return planned


def manifest_path(dest: str) -> str:
    """The local database of a DEST in object storage: in the user's cache, named after DEST."""
    import hashlib

    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "fmconvert", "manifests", hashlib.sha256(dest.rstrip("/").encode()).hexdigest()[:24] + ".sqlite")
