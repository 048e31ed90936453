"""Batch conversion on a Dask cluster (``fmconvert batch ... --scheduler ADDRESS``).

The cluster gets the same work as the local pool: partitions of documents, sized by bytes, each
converted by the same pure per-document function (:func:`convert.batch.work.convert_file`), so
the outputs are byte-identical to a local run. Each output is written by the worker that made it
(temporary file and rename on file systems, one PUT per object on object stores); a worker lost
mid-run costs only its partitions, which the scheduler runs again elsewhere. The driver alone
reads and writes the manifest, fed from task completions as they arrive.

Install with ``pip install "fmconvert[dask]"``; Dask is imported only with ``--scheduler`` (and
by :func:`convert.distributed.convert_bag`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from convert.batch.model import Result, Task

PARTITION_BYTES = 4 * 1024 * 1024


def require_dask() -> Any:
    """The ``distributed`` module; an error naming the extra to install when Dask is missing."""
    try:
        import dask.bag  # noqa: F401
        import distributed
    except ImportError:
        from convert.errors import ConvertError

        raise ConvertError('--scheduler needs Dask: pip install "fmconvert[dask]"') from None
    return distributed


@contextmanager
def client_for(scheduler: str) -> Iterator[Any]:
    """A client of the cluster at ``scheduler`` (``tcp://host:8786``), or of a local cluster of
    N worker processes for ``local[:N]`` (started here, stopped at the end)."""
    distributed = require_dask()
    if scheduler == "local" or scheduler.startswith("local:"):
        try:
            workers = int(scheduler.split(":", 1)[1]) if ":" in scheduler else (os.cpu_count() or 1)
        except ValueError:
            from convert.errors import ConvertError

            raise ConvertError(f"--scheduler {scheduler}: local:N needs a number of workers") from None
        cluster = distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, scheduler_kwargs={"dashboard": False})
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as err:
        from convert.errors import ConvertError

        raise ConvertError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    try:
        yield client
    finally:
        client.close()


def partitions(tasks: list[Task], workers: int, target: int = PARTITION_BYTES) -> list[list[Task]]:
    """Tasks cut into partitions of about ``target`` bytes of input (fewer bytes when the run is
    small, so every worker gets several partitions and a slow one does not hold the end)."""
    sizes = []
    for task in tasks:
        size = task.size
        if not size and "://" not in task.source:
            try:
                size = os.path.getsize(task.source)
            except OSError:
                size = 0
        sizes.append(max(size, 256))
    total = sum(sizes)
    target = max(64 * 1024, min(target, total // max(1, workers * 8)))
    out: list[list[Task]] = []
    current: list[Task] = []
    filled = 0
    for task, size in zip(tasks, sizes, strict=True):
        current.append(task)
        filled += size
        if filled >= target:
            out.append(current)
            current, filled = [], 0
    if current:
        out.append(current)
    return out


def run_partition(tasks: list[Task], options: dict[str, Any], keep_bytes: bool) -> list[Result]:
    """One partition's work, on a worker (Dask pickles this function by its module path: the
    driver and the workers run the same fmconvert)."""
    from convert.batch.work import convert_file

    return [convert_file(task, options, keep_bytes) for task in tasks]


def map_tasks(client: Any, tasks: list[Task], options: dict[str, Any], keep_bytes: bool) -> Iterator[list[Result]]:
    """The results of each partition, as they complete (each converted by :func:`run_partition`
    on a worker)."""
    distributed = require_dask()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    parts = partitions(tasks, workers)
    futures = client.map(run_partition, parts, options=options, keep_bytes=keep_bytes, pure=False, key=[f"fmconvert-{os.getpid()}-{i}" for i in range(len(parts))])
    try:
        for future in distributed.as_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.cancel(futures)
