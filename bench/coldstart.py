"""Cold start: how long one ``fmconvert convert`` takes from a shell, beside the alternatives.

Runs each command N times (default 15) and prints the median and the ratio to pandoc. The input
is a generated 24 KB post (bench/corpus.py), the size of a typical article.

    python bench/coldstart.py [--runs N]

Our package's bytecode is compiled first: with PYTHONDONTWRITEBYTECODE set (as on some CI
machines), an editable install would otherwise recompile every module on every run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import make_post
from fidelity import find_pandoc


def median_ms(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    import convert

    compileall.compile_dir(os.path.dirname(convert.__file__), quiet=1)
    tmp = tempfile.mkdtemp()
    post = os.path.join(tmp, "post.html")
    with open(post, "w", encoding="utf-8") as fh:
        fh.write(make_post(7, 24_000))
    fmconvert = shutil.which("fmconvert") or ""
    py = sys.executable
    rows: list[tuple[str, list[str]]] = [
        ("python -c pass", [py, "-c", "pass"]),
        ("import lxml.html, click, html2text, frontmatter", [py, "-c", "import lxml.html, click, html2text, frontmatter"]),
        # The least any front matter to JSON run can import under the design card: the CLI
        # library, and python-frontmatter with the YAML parser it loads.
        ("floor: import click, frontmatter (+ yaml)", [py, "-c", "import click, frontmatter"]),
        ("fmconvert convert post.html -t json", [fmconvert, "convert", post, "-t", "json"]),
        ("fmconvert convert post.html -t html", [fmconvert, "convert", post, "-t", "html"]),
        ("fmconvert convert post.html -t md", [fmconvert, "convert", post, "-t", "md"]),
    ]
    pandoc = find_pandoc()
    if pandoc:
        rows.append(("pandoc -f html -t json", [pandoc, "-f", "html", "-t", "json", post]))
        rows.append(("pandoc -f html -t gfm", [pandoc, "-f", "html", "-t", "gfm", "--wrap=none", post]))
    results = []
    for label, cmd in rows:
        try:
            results.append((label, median_ms(cmd, args.runs)))
        except (subprocess.CalledProcessError, FileNotFoundError) as err:
            results.append((label, float("nan")))
            print(f"  ({label} failed: {err})", file=sys.stderr)
    base = next((ms for label, ms in results if label.startswith("pandoc -f html -t json")), None)
    print(f"cold start, median of {args.runs} runs, 24 KB post ({os.path.getsize(post)} bytes)")
    print(f"{'command':<52} {'ms':>8} {'vs pandoc':>10}")
    for label, ms in results:
        ratio = f"{ms / base:.2f}x" if base else "-"
        print(f"{label:<52} {ms:8.1f} {ratio:>10}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
