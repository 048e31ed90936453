"""Cold start: how long one ``fmconvert convert`` takes from a shell, beside the alternatives,
and whether it keeps the start-up budget.

    python bench/coldstart.py [--rounds N] [--budget-ms 25] [--importtime-runs 5]

The input is a generated 24 KB post (bench/corpus.py), the size of a typical article.

1. The import-time table of ``-t md`` and ``-t json``: each module imported beyond what
   ``python -c 'import click, lxml.html'`` imports, with its own (self) and cumulative time from
   ``python -X importtime`` (median of ``--importtime-runs``), slowest first; ours (``convert.*``)
   first, then the libraries. (Modules loaded with ``importlib.import_module``, the registry's
   and the command group's, are invisible to ``-X importtime``: the table's runs load them with
   ``__import__``, which it sees.)
2. Wall time, the commands taking turns for ``--rounds`` rounds (A B C A B C: a machine busy
   with other work slows all alike): medians, fastest runs, ratios.
3. The budget: our own cost, a command's median minus that of ``python -c 'import click,
   lxml.html'``, at most ``--budget-ms`` for ``-t md`` and ``-t json`` (PASS/FAIL; the exit
   status is 1 on a FAIL), and each beside pandoc on the same file (goal: within 1.3x).

Our package's bytecode is compiled first: with PYTHONDONTWRITEBYTECODE set (as on some CI
machines), an editable install would otherwise recompile every module on every run.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import alternate, fmconvert_command
from corpus import make_post
from fidelity import find_pandoc

#: what the budget is counted above: the command-line library and the HTML tree, which any
#: conversion of a body needs
FLOOR = "import click, lxml.html"
#: runs the command line with importlib.import_module done by __import__ (which -X importtime sees)
SHIM = (
    "import importlib, sys\n"
    "def _load(name, package=None):\n"
    "    __import__(name)\n"
    "    return sys.modules[name]\n"
    "importlib.import_module = _load\n"
    "sys.argv = ['fmconvert', *sys.argv[1:]]\n"
    "from convert.cli import main\n"
    "main()\n"
)
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def import_times(args: list[str]) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) of one ``python -X importtime`` run, in its order."""
    err = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True).stderr
    return [(m.group(4), int(m.group(1)), int(m.group(2))) for m in map(_LINE.match, err.splitlines()) if m]


def import_table(label: str, args: list[str], runs: int) -> None:
    """Print the modules a command imports beyond :data:`FLOOR`, slowest (self) first."""
    floor = {name for name, _, _ in import_times(["-c", FLOOR])}
    selfs: dict[str, list[int]] = collections.defaultdict(list)
    cums: dict[str, list[int]] = collections.defaultdict(list)
    for _ in range(runs):
        for name, own, cum in import_times(["-c", SHIM, *args]):
            if name not in floor:
                selfs[name].append(own)
                cums[name].append(cum)
    rows = [(statistics.median(selfs[n]), statistics.median(cums[n]), n) for n in selfs]
    ours = sorted((r for r in rows if r[2] == "convert" or r[2].startswith("convert.")), reverse=True)
    others = sorted((r for r in rows if r not in ours), reverse=True)
    print(f"\n{label}: modules imported beyond `{FLOOR}` (-X importtime, median of {runs} runs)")
    print(f"{'self µs':>8} {'cum µs':>8}  module")
    for title, group in (("ours", ours), ("libraries", others)):
        for own, cum, name in group:
            print(f"{own:8.0f} {cum:8.0f}  {name}")
        print(f"{sum(r[0] for r in group) / 1000:8.1f} ms     {title}, self time in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--budget-ms", type=float, default=25.0, help="our own cost above the floor")
    parser.add_argument("--importtime-runs", type=int, default=5)
    args = parser.parse_args()
    import convert

    compileall.compile_dir(os.path.dirname(convert.__file__), quiet=1)
    tmp = tempfile.mkdtemp()
    try:
        post = os.path.join(tmp, "post.html")
        with open(post, "w", encoding="utf-8") as fh:
            fh.write(make_post(7, 24_000))
        for to in ("md", "json"):
            import_table(f"fmconvert convert post.html -t {to}", ["convert", post, "-t", to], args.importtime_runs)
        run(post, args)
    finally:
        shutil.rmtree(tmp)


def run(post: str, args: argparse.Namespace) -> None:
    fmc = fmconvert_command()
    py = sys.executable
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python -c pass": ([py, "-c", "pass"], None),
        f"floor: {FLOOR}": ([py, "-c", FLOOR], None),
        "fmconvert convert post.html -t md": ([*fmc, "convert", post, "-t", "md"], None),
        "fmconvert convert post.html -t json": ([*fmc, "convert", post, "-t", "json"], None),
        "fmconvert convert post.html -t html": ([*fmc, "convert", post, "-t", "html"], None),
    }
    pandoc = find_pandoc()
    if pandoc:
        commands["pandoc -f html -t gfm"] = ([pandoc, "-f", "html", "-t", "gfm", "--wrap=none", post], None)
        commands["pandoc -f html -t json"] = ([pandoc, "-f", "html", "-t", "json", post], None)
    for cmd, env in commands.values():  # the page cache warm, and every command known to work
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    times = alternate(commands, args.rounds)
    med = {label: statistics.median(runs) * 1000 for label, runs in times.items()}
    floor = med[f"floor: {FLOOR}"]
    print(f"\ncold start, {args.rounds} rounds taking turns, 24 KB post ({os.path.getsize(post)} bytes)")
    print(f"{'command':<44} {'median ms':>10} {'min ms':>8} {'above floor':>12}")
    for label, runs in times.items():
        print(f"{label:<44} {med[label]:10.1f} {min(runs) * 1000:8.1f} {med[label] - floor:12.1f}")
    failed = False
    print(f"\nstart-up budget: our own cost (median above the floor) at most {args.budget_ms:g} ms")
    for to, other in (("md", "pandoc -f html -t gfm"), ("json", "pandoc -f html -t json")):
        ours = med[f"fmconvert convert post.html -t {to}"]
        verdict = "PASS" if ours - floor <= args.budget_ms else "FAIL"
        failed = failed or verdict == "FAIL"
        beside = f"; {ours / med[other]:.2f}x {other} (goal 1.3x)" if other in med else ""
        print(f"  -t {to:<5} {ours - floor:6.1f} ms  {verdict}{beside}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
