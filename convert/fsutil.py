"""Writing files so that nothing is ever half-written or clobbered on failure."""

from __future__ import annotations

import os
import signal
import stat

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


def atomic_write(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old content or the new, never a mix.

    A regular file (or a new one) is written to a temporary file beside it and renamed over it; a
    crash leaves at most a stray ``.*.tmp`` file, and an existing file keeps its permission bits.
    A symlink is written through: its target is replaced atomically and the link is kept. A file
    that is not a regular file (a FIFO, a device such as ``/dev/null``, a terminal) is written to
    directly, as ``>`` in a shell does; it is never replaced by a regular file.
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
            fh.write(data)
        return
    folder = os.path.dirname(os.path.abspath(target))
    # No signal may land between creating the temporary file and noting it for clean-up.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target)[:200] + ".", suffix=".tmp", dir=folder)
        pending.add(tmp)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            perms = 0o666 & ~umask
        else:
            perms = mode & 0o7777
        os.chmod(tmp, perms)
        os.replace(tmp, target)
    except BaseException:
        remove_quietly(tmp)
        raise
    finally:
        pending.discard(tmp)


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
