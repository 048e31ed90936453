"""What the benchmark scripts share: timing a command with its peak memory, finding fmconvert,
and running pandoc over a corpus the two ways people do (one file at a time, and xargs -P)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
lines = r.stderr.decode(errors="replace").strip().splitlines()
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode, lines[-1] if lines else "")
"""


def measure_with_summary(cmd: list[str]) -> tuple[float, float, str]:
    """Seconds, peak RSS (MiB) of a command and its children, and the last line it wrote on
    stderr (fmconvert's summary)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True).stdout.split(" ", 3)
    if out[2] != "0":
        print(f"  warning: {' '.join(cmd[:3])} exited {out[2]}", file=sys.stderr)
    return float(out[0]), int(out[1]) / 1024, out[3].strip() if len(out) > 3 else ""


def measure(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of a command and its children."""
    secs, rss, _ = measure_with_summary(cmd)
    return secs, rss


def fmconvert_command() -> list[str]:
    """The installed ``fmconvert``, else ``python -m convert``."""
    found = shutil.which("fmconvert")
    return [found] if found else [sys.executable, "-m", "convert"]


def pandoc_rows(pandoc: str, paths: list[str], listing: str, tmp: str, to: str, sample: int, cores: int, labels: tuple[str, str]) -> list[tuple[str, float, float, int]]:
    """pandoc (``--sandbox``: without it pandoc fetches every iframe) one file at a time over the
    first ``sample`` files, and with ``xargs -P cores`` over all of them."""
    sample_list = os.path.join(tmp, "sample.txt")
    with open(sample_list, "w") as fh:
        fh.write("\n".join(paths[:sample]) + "\n")
    seq = f'while read -r f; do "{pandoc}" --sandbox -f html -t {to} --wrap=none "$f" -o /dev/null; done < {sample_list}'
    secs, rss = measure(["bash", "-c", seq])
    rows = [(labels[0], secs, rss, min(sample, len(paths)))]
    par = f'xargs -P {cores} -I{{}} "{pandoc}" --sandbox -f html -t {to} --wrap=none {{}} -o /dev/null < {listing}'
    secs, rss = measure(["bash", "-c", par])
    rows.append((labels[1], secs, rss, len(paths)))
    return rows


def html2text_script(*settings: str) -> str:
    """A script converting every file listed in ``argv[1]`` with bare html2text in one process
    (front matter cut off first), the ``HTML2Text`` object configured by ``settings``."""
    lines = "".join(f"    {line}\n" for line in settings)
    return (
        "import sys, html2text\n"
        "paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]\n"
        "for p in paths:\n"
        '    text = open(p, encoding="utf-8").read()\n'
        '    if text.lstrip().startswith("---"):\n'
        '        text = text.lstrip().split("\\n---\\n", 1)[-1]\n'
        "    h = html2text.HTML2Text(bodywidth=0)\n"
        f"{lines}"
        "    h.handle(text)\n"
    )


def fmconvert_and_html2text_rows(fmc: list[str], src: str, tmp: str, to: str, listing: str, script: str, count: int, labels: tuple[str, str, str]) -> list[tuple[str, float, float, int]]:
    """``fmconvert batch -t TO`` over all cores and with ``-j 1``, then bare html2text (``script``,
    from :func:`html2text_script`) in one process over the files in ``listing``."""
    rows = []
    secs, rss = measure([*fmc, "batch", src, "-o", os.path.join(tmp, "out"), "-t", to, "-q", "--force"])
    rows.append((labels[0], secs, rss, count))
    secs, rss = measure([*fmc, "batch", src, "-o", os.path.join(tmp, "out1"), "-t", to, "-q", "-j", "1", "--force"])
    rows.append((labels[1], secs, rss, count))
    secs, rss = measure([sys.executable, "-c", script, listing])
    rows.append((labels[2], secs, rss, count))
    return rows


def print_rows(rows: list[tuple[str, float, float, int]]) -> dict[str, float]:
    """The table of a run (files/s, seconds, peak MiB); the rates by label."""
    print(f"\n{'tool':<44} {'files/s':>9} {'seconds':>9} {'peak MiB':>9}")
    rates = {}
    for label, secs, rss, count in rows:
        rates[label] = count / secs
        print(f"{label:<44} {count / secs:9.1f} {secs:9.2f} {rss:9.1f}")
    return rates


def tree_command(tree: str, meta: str) -> tuple[list[str], dict[str, str]]:
    """``python -m convert`` running the package in ``tree`` (a checkout), with the entry points
    in ``meta`` (:func:`entry_points_folder`), so the registry finds that tree's formats, not the
    installed ones."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([tree, meta]))
    return [sys.executable, "-m", "convert"], env


def entry_points_folder(tree: str, dest: str) -> str:
    """A folder holding an ``fmconvert`` dist-info whose entry points are those the
    ``pyproject.toml`` of ``tree`` declares (the registry reads the first it finds on sys.path)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    with open(os.path.join(tree, "pyproject.toml"), "rb") as fh:
        groups = tomllib.load(fh)["project"]["entry-points"]
    info = os.path.join(dest, "fmconvert-0.0.0.dist-info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "entry_points.txt"), "w", encoding="utf-8") as fh:
        for group, entries in groups.items():
            fh.write(f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n")
    return dest


class Checkout:
    """A commit of this repository checked out in a temporary folder (``git worktree add``),
    its bytecode compiled; removed on exit."""

    def __init__(self, rev: str) -> None:
        self.rev = rev
        self.repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.tmp = tempfile.mkdtemp(prefix="fmbench-rev-")
        self.tree = os.path.join(self.tmp, "tree")

    def __enter__(self) -> Checkout:
        import compileall

        subprocess.run(["git", "-C", self.repo, "worktree", "add", "--detach", "-q", self.tree, self.rev], check=True)
        compileall.compile_dir(os.path.join(self.tree, "convert"), quiet=1)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["git", "-C", self.repo, "worktree", "remove", "--force", self.tree], check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)


def alternate(commands: dict[str, tuple[list[str], dict[str, str] | None]], rounds: int) -> dict[str, list[float]]:
    """Run each command once per round, in turn (A B C A B C ...), so a machine busy with
    something else slows all of them alike; the seconds of each run by label."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(rounds):
        for label, (cmd, env) in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - t)
    return times


def print_alternated(times: dict[str, list[float]], base: str) -> None:
    """Median and fastest run of each label, and the ratio of medians to ``base``'s."""
    ref = statistics.median(times[base])
    print(f"\n{'command':<44} {'median s':>9} {'min s':>8} {'vs ' + base[:12]:>16}")
    for label, runs in times.items():
        med = statistics.median(runs)
        print(f"{label:<44} {med:9.2f} {min(runs):8.2f} {med / ref:15.2f}x")
