"""Writing files so that nothing is ever half-written or clobbered on failure."""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

#: temporary files being written now: a worker stopped by a signal removes them before it exits
pending: set[str] = set()
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


def write_target(path: str | os.PathLike[str]) -> str:
    """Where writing ``path`` really goes: a symlink (a chain of them, a dangling one too) is
    followed to its target, so the link stays a link and its target gets the new content."""
    target = os.fspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        if not os.path.islink(target):
            return target
        link = os.readlink(target)
        target = link if os.path.isabs(link) else os.path.join(os.path.dirname(target), link)
    raise OSError(40, "too many levels of symbolic links", os.fspath(path))


class AtomicFile:
    """What :func:`atomic_writer` yields: a binary file that replaces its target only when the
    ``with`` block ends without an exception and without :meth:`discard`."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.discarded = False

    def write(self, data: bytes) -> int:
        return self._fh.write(data)

    def flush(self) -> None:
        self._fh.flush()

    def discard(self) -> None:
        """End without touching the target (a dry run): what was written is thrown away."""
        self.discarded = True


@contextmanager
def atomic_writer(path: str | os.PathLike[str], *, fsync: bool = False) -> Iterator[AtomicFile]:
    """A file to write ``path`` through, so that a reader sees the old content or the new, never a mix.

    A regular file (or a new one) is written to a temporary file beside it and renamed over it
    when the block ends; an exception (or :meth:`AtomicFile.discard`) leaves the target as it was,
    a crash at most a stray ``.*.tmp`` file. The new file keeps an existing file's permission
    bits, else gets ``0o666`` less the umask, as any other new file. A symlink is written
    through: its target is replaced atomically and the link is kept. A file that is not a
    regular file (a FIFO, a device such as ``/dev/null``, a terminal) is written to directly, as
    ``>`` in a shell does; it is never replaced by a regular file.
    """
    import tempfile

    target = write_target(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "is a directory", target)
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as fh:
            yield AtomicFile(fh)
        return
    folder = os.path.dirname(os.path.abspath(target))
    # No signal may land between creating the temporary file and noting it for clean-up.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target)[:200] + ".", suffix=".tmp", dir=folder)
        pending.add(tmp)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    replaced = False
    try:
        with os.fdopen(fd, "wb") as fh:
            out = AtomicFile(fh)
            yield out
            if fsync and not out.discarded:
                fh.flush()
                os.fsync(fh.fileno())
        if not out.discarded:
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                perms = 0o666 & ~umask
            else:
                perms = mode & 0o7777
            os.chmod(tmp, perms)
            os.replace(tmp, target)
            replaced = True
    finally:
        if not replaced:
            remove_quietly(tmp)
        pending.discard(tmp)


def atomic_write(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_writer`: the old content or the new, never a mix."""
    with atomic_writer(path, fsync=fsync) as out:
        out.write(data)


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_pending() -> None:
    """Remove the temporary files of writes in progress (a process stopping by a signal)."""
    for tmp in list(pending):
        remove_quietly(tmp)
        pending.discard(tmp)
