"""The cluster path beside the local pool, and the manifest's cost per document, in one run.

    python bench/cluster.py [--files 10000] [--manifest 10000,100000,1000000]
                            [--end-to-end 10000,100000,1000000] [--skip-cluster]

(1) ``--files`` realistic posts (bench/corpus.py) converted to Markdown by ``fmconvert batch``
with the local pool and with ``--scheduler local:2`` (a Dask cluster of two worker processes on
this machine, started by the run and counted in its time), wall time and the largest resident
set of any process, side by side. Then a no-op rerun of each.

(2) The manifest alone (convert.batch.manifest), for N generated records: record and commit
(chunks of 200, as a batch does), then look every one up again (a no-op rerun's work): time per
document, which should stay flat from 10 thousand to a million.

(3) End to end: ``fmconvert batch`` over N generated tiny posts (a folder per thousand), a full
run and a no-op rerun, time per document and the driver's peak memory.

(4) An estimate for 10 million posts on 50 workers, from the measured per-document costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from common import measure_with_summary  # noqa: E402
from corpus import write_corpus  # noqa: E402


def manifest_costs(count: int, folder: str) -> tuple[float, float]:
    from convert.batch.manifest import Manifest
    from convert.batch.model import Result, Task

    path = os.path.join(folder, f"m{count}.sqlite")
    m = Manifest(path, "bench")
    t = time.perf_counter()
    for i in range(count):
        m.record(Result(f"posts/{i // 1000:04d}/{i:07d}.html", "converted", digest=f"{i:064x}", size=i, stamp=str(i)))
        if (i + 1) % 200 == 0:
            assert m.save() is None
    assert m.save() is None
    write = (time.perf_counter() - t) / count
    m.close()
    m = Manifest(path, "bench", exists=lambda _: True)
    t = time.perf_counter()
    for i in range(count):
        assert m.unchanged(Task(f"posts/{i // 1000:04d}/{i:07d}.html", f"posts/{i // 1000:04d}/{i:07d}.html", "out", "document", size=i, stamp=str(i)))
    read = (time.perf_counter() - t) / count
    m.close()
    return write * 1e6, read * 1e6


def json_manifest_cost(count: int, folder: str) -> float:
    """What the manifest of earlier versions cost per document: the whole JSON file rewritten
    (temporary file and rename) every 200 documents."""
    import json

    entries: dict[str, dict[str, object]] = {}
    path = os.path.join(folder, f"m{count}.json")
    t = time.perf_counter()
    for i in range(count):
        entries[f"posts/{i // 1000:04d}/{i:07d}.html"] = {"sha256": f"{i:064x}", "size": i, "mtime_ns": i}
        if (i + 1) % 200 == 0 or i + 1 == count:
            with open(path + ".tmp", "w") as fh:
                fh.write(json.dumps({"version": 1, "fingerprint": "bench", "entries": entries}, sort_keys=True))
            os.replace(path + ".tmp", path)
    return (time.perf_counter() - t) / count * 1e6


def tiny_tree(folder: str, count: int) -> None:
    for i in range(count):
        sub = os.path.join(folder, f"{i // 1000:04d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{i:07d}.html"), "w") as fh:
            fh.write(f"---\ntitle: Post {i}\n---\n<p>Post <b>{i}</b>.</p>\n")


def end_to_end(counts: list[int], work: str) -> None:
    print("\n| tiny posts | full run | per post | no-op rerun | per post | peak RSS (largest process) |")
    print("|---|---|---|---|---|---|")
    for n in counts:
        src, dest = os.path.join(work, f"tiny{n}"), os.path.join(work, f"tiny{n}-out")
        tiny_tree(src, n)
        wall, rss, line = measure_with_summary([sys.executable, "-m", "convert", "batch", src, "-o", dest, "-t", "md"])
        again, rss2, line2 = measure_with_summary([sys.executable, "-m", "convert", "batch", src, "-o", dest, "-t", "md"])
        print(f"| {n:,} | {wall:.1f} s | {wall / n * 1e6:.0f} µs | {again:.1f} s | {again / n * 1e6:.0f} µs | {max(rss, rss2):.0f} MB |  <!-- {line} / {line2} -->")
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(dest, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--manifest", default="10000,100000,1000000")
    parser.add_argument("--end-to-end", default="10000,100000,1000000")
    parser.add_argument("--skip-cluster", action="store_true", help="only the manifest and end-to-end tables")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="fmc-dist-")
    try:
        if args.skip_cluster:
            end_to_end([int(x) for x in args.end_to_end.split(",") if x], work)
            return
        src = os.path.join(work, "src")
        size = sum(os.path.getsize(p) for p in write_corpus(src, args.files))
        fmc = [sys.executable, "-m", "convert", "batch", src, "-t", "md"]
        rows = []
        for label, extra in (("local pool (2 processes)", []), ("--scheduler local:2", ["--scheduler", "local:2"])):
            dest = os.path.join(work, label.split()[0].strip("-"))
            wall, rss, line = measure_with_summary([*fmc, "-o", dest, *extra])
            again, _, line2 = measure_with_summary([*fmc, "-o", dest, *extra])
            rows.append((label, wall, rss, again, line, line2))
        print(f"\n{args.files} posts, {size / 1e6:.0f} MB, {os.cpu_count()} cores")
        print("| run | wall | posts/s | peak RSS (largest process) | no-op rerun |")
        print("|---|---|---|---|---|")
        for label, wall, rss, again, _, _ in rows:
            print(f"| {label} | {wall:.1f} s | {args.files / wall:.0f} | {rss:.0f} MB | {again:.2f} s |")
        print(f"cluster / local wall: {rows[1][1] / rows[0][1]:.2f}x (goal: within 1.2x)")
        for r in rows:
            print(f"  {r[0]}: {r[4]} / rerun: {r[5]}")
        print("\n| manifest records (in walk order) | SQLite: write + commit, per doc | SQLite: lookup (no-op rerun), per doc | JSON of earlier versions: write, per doc |")
        print("|---|---|---|---|")
        costs = {}
        for n in (int(x) for x in args.manifest.split(",")):
            w, r = manifest_costs(n, work)
            costs[n] = (w, r)
            old = f"{json_manifest_cost(n, work):.0f} µs" if n <= 100_000 else "(quadratic: not run)"
            print(f"| {n:,} | {w:.1f} µs | {r:.1f} µs | {old} |")
        end_to_end([int(x) for x in args.end_to_end.split(",") if x], work)
        per_doc = rows[1][1] / args.files * 2  # core-seconds per post on the cluster path
        big = max(costs)
        total_core_s = 10_000_000 * per_doc
        driver_s = 10_000_000 * (costs[big][0] + costs[big][1]) / 1e6
        print(f"\nestimate, 10 million posts on 50 single-core workers: {total_core_s / 50 / 60:.0f} min of conversion "
              f"({per_doc * 1000:.1f} ms per post per core, measured above), manifest work on the driver {driver_s / 60:.1f} min "
              f"(overlapped with the conversion), so about {max(total_core_s / 50, driver_s) / 60:.0f} min if storage keeps up "
              f"({10_000_000 / (total_core_s / 50):.0f} posts/s to read and write).")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
