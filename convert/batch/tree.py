"""Walking SRC: which files are documents, where their outputs go, what must not be touched.

* DEST inside SRC is never read as input; DEST may also be an ancestor of SRC (``batch posts -o
  .``): then only outputs that would land back inside SRC are refused.
* Symlinks are followed while they stay inside SRC (a loop is walked once); a link that leads
  out of SRC is not followed, with a warning, as local images may not leave the resource root.
* A folder that cannot be read is reported, never skipped in silence.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterator

from convert.batch.model import DOCUMENT_EXTENSIONS, BatchOptions
from convert.errors import ConvertError, os_error, reason


def _matches(relpath: str, patterns: tuple[str, ...]) -> bool:
    name = relpath.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relpath, p) or fnmatch.fnmatch(name, p) for p in patterns)


def selected(relpath: str, options: BatchOptions) -> bool | None:
    """Whether a file is a document (True) or an asset to copy (False) under ``options``'
    include and exclude patterns; None when it is not part of the run."""
    if options.include and not _matches(relpath, options.include):
        return None
    if options.exclude and _matches(relpath, options.exclude):
        return None
    is_doc = relpath.lower().endswith(DOCUMENT_EXTENSIONS)
    return is_doc if is_doc or options.copy_assets else None


def inside(path: str, folder: str) -> bool:
    """Whether the real ``path`` is ``folder`` or below it (both already real paths)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(
    src: str,
    dest: str | None,
    options: BatchOptions,
    on_problem: Callable[[str, str, bool], None] | None = None,
) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(absolute path, relative path, is_document)`` in a stable order.

    ``on_problem(path, message, is_failure)`` hears of what was not walked: an unreadable folder
    (a failure) or a symlink leading out of SRC (a warning)."""
    src_real = os.path.realpath(src)
    dest_real = os.path.realpath(dest) if dest else None
    skip_dest = dest_real is not None and dest_real != src_real and inside(dest_real, src_real)
    seen: set[tuple[int, int]] = set()

    def problem(path: str, message: str, failure: bool) -> None:
        if on_problem is not None:
            on_problem(path, message, failure)

    def unreadable(err: OSError) -> None:
        problem(err.filename or src, f"cannot read folder: {reason(err)}", True)

    for root, dirs, files in os.walk(src, followlinks=True, onerror=unreadable):
        try:
            st = os.stat(root)
        except OSError as err:
            problem(root, f"cannot read folder: {reason(err)}", True)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        kept = []
        for d in sorted(dirs):
            full = os.path.join(root, d)
            if d.startswith("."):
                continue
            real = os.path.realpath(full)
            if skip_dest and inside(real, dest_real):  # type: ignore[arg-type]
                continue
            if not inside(real, src_real):
                problem(full, f"symlink leads out of {src} (to {real}); not followed", False)
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            is_doc = selected(rel, options)
            if is_doc is None:
                continue
            real = os.path.realpath(full)
            if skip_dest and inside(real, dest_real):  # type: ignore[arg-type]
                continue
            if os.path.islink(full) and not inside(real, src_real):
                problem(full, f"symlink leads out of {src} (to {real}); not followed", False)
                continue
            yield full, rel, is_doc


def output_path(dest: str, relpath: str, extension: str) -> str:
    base, _ = os.path.splitext(relpath)
    return os.path.join(dest, *(base + extension).split("/"))


class DestLock:
    """An exclusive lock on DEST for the length of a run: a second batch into the same DEST
    fails at once, instead of two runs writing one manifest."""

    NAME = ".fmconvert-lock"

    def __init__(self, dest: str) -> None:
        self.dest = dest
        self.fd: int | None = None

    def __enter__(self) -> DestLock:
        import fcntl

        path = os.path.join(self.dest, self.NAME)
        try:
            os.makedirs(self.dest, exist_ok=True)
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise os_error("cannot write into this folder", err, path=self.dest) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise ConvertError("another fmconvert batch is writing into this folder; wait for it to finish", path=self.dest) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock; the empty file stays, harmless
            self.fd = None
