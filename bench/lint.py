"""Lint speed on a big tree, beside htmlhint and html-proofer, in one run.

    python bench/lint.py [--files 1000] [--htmlhint PATH] [--htmlproofer PATH]

Generates ``--files`` posts of about 24 KB (bench/corpus.py) as ``.html`` files and times:

* ``fmconvert lint DIR`` (all rules, no network);
* htmlhint with its image rules (``alt-require,src-not-empty``): ``npm install htmlhint``, then
  pass ``--htmlhint node_modules/.bin/htmlhint`` or have it on PATH;
* html-proofer, images check only, no external links (Debian ``ruby-html-proofer``).

Each is run three times; the median wall time is reported with the ratio to fmconvert.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus import make_post  # noqa: E402


def timed(cmd: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="lint speed")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--htmlhint", default=shutil.which("htmlhint"))
    parser.add_argument("--htmlproofer", default=shutil.which("htmlproofer"))
    args = parser.parse_args()
    fmconvert = shutil.which("fmconvert")
    if not fmconvert:
        sys.exit("fmconvert is not installed in this environment")
    tmp = tempfile.mkdtemp(prefix="fmlint-")
    try:
        for i in range(args.files):
            with open(os.path.join(tmp, f"post-{i:05d}.html"), "w", encoding="utf-8") as fh:
                fh.write(make_post(500 + i, 24_000))
        size = sum(os.path.getsize(os.path.join(tmp, n)) for n in os.listdir(tmp)) / 2**20
        print(f"{args.files} posts, {size:.1f} MB")
        rows = [("fmconvert lint", timed([fmconvert, "lint", tmp]))]
        if args.htmlhint:
            rows.append(("htmlhint (alt-require,src-not-empty)", timed([args.htmlhint, "--rules", "alt-require,src-not-empty", tmp])))
        else:
            print("  htmlhint not found: npm install htmlhint, then --htmlhint node_modules/.bin/htmlhint")
        if args.htmlproofer:
            cmd = [args.htmlproofer, tmp, "--disable-external", "--checks-to-ignore", "LinkCheck,ScriptCheck,FaviconCheck,HtmlCheck,OpenGraphCheck"]
            rows.append(("html-proofer (images, no external)", timed(cmd)))
        else:
            print("  html-proofer not found: apt-get install ruby-html-proofer")
        base = rows[0][1]
        print(f"{'tool':<40} {'seconds':>8} {'vs fmconvert':>13}")
        for label, secs in rows:
            print(f"{label:<40} {secs:8.2f} {secs / base:12.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
