"""Batch throughput and memory, side by side in one run.

    python bench/batch.py [--files 1000] [--big 5000] [--pandoc-sample 200]
    python bench/batch.py --against REV [--rounds 5] [--files 1000]

Generates a corpus of realistic posts (bench/corpus.py: 3 to 60 KB, Chinese and English, code,
tables, images), then converts it to Markdown with:

* ``fmconvert batch -t md`` over all cores, and with ``-j 1``;
* pandoc (``--sandbox -f html -t gfm --wrap=none``: without --sandbox pandoc fetches every iframe)
  run once per file, sequentially (on a sample, rate extrapolated) and with ``xargs -P`` over all
  cores (all files);
* plain html2text (``body_width=0``) in one process, all files.

Peak memory is the largest resident set of any process of a run (``ru_maxrss`` of the children),
for ``--files`` and for ``--big`` files, to show it stays flat.

``--against REV`` compares this tree with a commit instead (checked out with ``git worktree add``
into a temporary folder, each tree run with its own entry points): ``batch -t md`` with ``-j 2``
and ``-j 1`` from both, and bare html2text, taking turns for ``--rounds`` rounds (A B C A B C:
a machine busy with other work slows all alike), then the medians and their ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (  # noqa: E402
    Checkout,
    alternate,
    entry_points_folder,
    fmconvert_and_html2text_rows,
    html2text_script,
    measure,
    pandoc_rows,
    print_alternated,
    print_rows,
    tree_command,
)
from corpus import write_corpus  # noqa: E402
from fidelity import find_pandoc  # noqa: E402

HTML2TEXT = html2text_script()


def main() -> None:
    parser = argparse.ArgumentParser(description="batch throughput")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big", type=int, default=5000, help="second corpus size for the memory figure (0: skip)")
    parser.add_argument("--pandoc-sample", type=int, default=200, help="files for sequential pandoc")
    parser.add_argument("--against", metavar="REV", help="compare with this commit (A/B, alternating runs)")
    parser.add_argument("--rounds", type=int, default=5, help="with --against: runs of each command")
    args = parser.parse_args()
    if args.against:
        return against(args.against, args.files, args.rounds)
    fmconvert = shutil.which("fmconvert")
    if not fmconvert:
        sys.exit("fmconvert is not installed in this environment")
    pandoc = find_pandoc()
    cores = os.cpu_count() or 1
    tmp = tempfile.mkdtemp(prefix="fmbench-")
    try:
        src = os.path.join(tmp, "src")
        paths = write_corpus(src, args.files, seed=11)
        size_mb = sum(os.path.getsize(p) for p in paths) / 2**20
        listing = os.path.join(tmp, "files.txt")
        with open(listing, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        n = len(paths)
        print(f"corpus: {n} posts, {size_mb:.1f} MB, {cores} cores")
        labels = (f"fmconvert batch -j {cores}", "fmconvert batch -j 1", "html2text, one process")
        rows = fmconvert_and_html2text_rows([fmconvert], src, tmp, "md", listing, HTML2TEXT, n, labels)
        if pandoc:
            labels = (f"pandoc per file, sequential ({args.pandoc_sample} files)", f"pandoc per file, xargs -P {cores}")
            rows.extend(pandoc_rows(pandoc, paths, listing, tmp, "gfm", args.pandoc_sample, cores, labels))
        rates = print_rows(rows)
        ours = rates[f"fmconvert batch -j {cores}"]
        print()
        if pandoc:
            print(f"fmconvert (all cores) / pandoc xargs -P{cores}: {ours / rates[f'pandoc per file, xargs -P {cores}']:.1f}x throughput")
        h2t = rates["html2text, one process"]
        print(f"fmconvert -j 1 time / html2text time: {h2t / rates['fmconvert batch -j 1']:.2f}x")

        if args.big:
            big = os.path.join(tmp, "big")
            write_corpus(big, args.big, seed=12)
            secs, rss = measure([fmconvert, "batch", big, "-o", os.path.join(tmp, "bigout"), "-t", "md", "-q"])
            print(f"\npeak memory: {n} files {rows[0][2]:.1f} MiB; {args.big} files {rss:.1f} MiB ({args.big / secs:.1f} files/s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def against(rev: str, files: int, rounds: int) -> None:
    """This tree and ``rev`` side by side, alternating runs (see the module docstring)."""
    tmp = tempfile.mkdtemp(prefix="fmbench-ab-")
    try:
        src = os.path.join(tmp, "src")
        paths = write_corpus(src, files, seed=11)
        listing = os.path.join(tmp, "files.txt")
        with open(listing, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        print(f"corpus: {len(paths)} posts, {sum(os.path.getsize(p) for p in paths) / 2**20:.1f} MB; {rounds} rounds")
        with Checkout(rev) as old:
            trees = {"this tree": os.path.dirname(HERE), rev: old.tree}
            commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}
            for jobs in ("2", "1"):
                for name, tree in trees.items():
                    cmd, env = tree_command(tree, entry_points_folder(tree, os.path.join(tmp, "meta", name)))
                    out = os.path.join(tmp, f"out-{name}-{jobs}")
                    commands[f"{name}: batch -t md -j {jobs}"] = ([*cmd, "batch", src, "-o", out, "-t", "md", "-q", "--force", "-j", jobs], env)
            commands["html2text, one process"] = ([sys.executable, "-c", HTML2TEXT, listing], None)
            times = alternate(commands, rounds)
        print_alternated(times, "this tree: batch -t md -j 2")
        med = {label: statistics.median(runs) for label, runs in times.items()}
        print(f"\n-j 2: this tree / {rev} time: {med['this tree: batch -t md -j 2'] / med[f'{rev}: batch -t md -j 2']:.2f}x")
        print(f"-j 1: this tree / {rev} time: {med['this tree: batch -t md -j 1'] / med[f'{rev}: batch -t md -j 1']:.2f}x")
        print(f"-j 1: this tree / html2text time: {med['this tree: batch -t md -j 1'] / med['html2text, one process']:.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
