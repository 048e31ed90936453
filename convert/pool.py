"""Worker processes that never outlive their parent.

Batch conversion and linting map a function over chunks of files on a process pool. A pool is a
promise to the caller's shell: when ``fmconvert`` ends, for whatever reason, its workers end with
it, no output is left half-written, and nothing keeps the caller's pipes open
(``fmconvert batch ... | tee log`` must finish). So:

* while work runs, SIGTERM and SIGHUP in the main process raise :class:`convert.errors.Terminated`
  (as Ctrl-C raises ``KeyboardInterrupt``): the driver unwinds, saves what it recorded, and the
  pool's workers are terminated and joined before the exception goes on;
* each worker asks the kernel for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``: even a
  SIGKILLed parent ends its workers), and on SIGTERM a worker in the middle of a file unwinds it
  (the temporary file of the atomic write is removed) and exits; an idle one exits at once.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from convert.errors import Terminated
from convert.fsutil import remove_pending

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def terminate_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: Any) -> None:
        raise Terminated(signum)

    previous = {sig: signal.signal(sig, raise_terminated) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# ---- the worker side --------------------------------------------------------------------------

_busy = False
_parent = 0


class _Stop(BaseException):
    pass


def _on_worker_signal(signum: int, frame: Any) -> None:
    # A worker is often signalled twice at once (the parent terminates each worker, and the
    # executor terminates the rest when it sees one go): the first signal is the one acted on,
    # and nothing here may be interrupted half-way by the second.
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    if _busy:
        raise _Stop(signum)  # unwind the file in progress (its temporary file is removed)
    remove_pending()
    os._exit(128 + signum)


def _init_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    global _parent
    _parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    for sig in SIGNALS:
        signal.signal(sig, _on_worker_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if os.getppid() != _parent:  # the parent died before the request took effect
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


def _run(work: Callable[..., Any], chunk: Any, *args: Any) -> Any:
    global _busy
    _busy = True
    try:
        return work(chunk, *args)
    except _Stop as stop:
        remove_pending()
        os._exit(128 + int(stop.args[0]))
    finally:
        _busy = False


# ---- the parent side --------------------------------------------------------------------------


def ordered_map(
    work: Callable[..., Any],
    chunks: Iterable[Any],
    jobs: int,
    *args: Any,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    window: int | None = None,
) -> Iterator[Any]:
    """``work(chunk, *args)`` for each chunk on ``jobs`` processes, results in input order. At
    most ``window`` chunks (default ``4 * jobs``) are in flight, so memory stays flat however many
    there are. However the caller stops (an exception, a signal, closing the generator), every
    worker is ended before this returns."""
    window = window or jobs * 4
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(initializer, initargs))
    finished_cleanly = False
    try:
        pending: dict[Future[Any], int] = {}
        results: dict[int, Any] = {}
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
                pending[pool.submit(_run, work, group, *args)] = index
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                results[pending.pop(future)] = future.result()
            while next_to_emit in results:  # in input order: JSON Lines output is deterministic
                yield results.pop(next_to_emit)
                next_to_emit += 1
        finished_cleanly = True
    finally:
        if finished_cleanly:
            pool.shutdown(wait=True)
        else:
            _end_workers(pool)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()
        except (OSError, AttributeError):
            pass
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=1)
    pool.shutdown(wait=False, cancel_futures=True)
