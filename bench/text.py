"""Plain text of 1,000 posts, side by side in one run: fmconvert, bare html2text, pandoc.

    python bench/text.py [--files 1000] [--pandoc-sample 200]

* ``fmconvert batch -t text`` over all cores and with ``-j 1`` (front matter read, boilerplate
  and not-text removed, links listed, nothing visible lost);
* bare html2text in one process with the same settings (no wrapping, no emphasis marks, links and
  images ignored, padded tables, unicode as is) on the body after the front matter;
* pandoc ``-t plain --wrap=none`` per file, sequentially on a sample and with ``xargs -P``.

Throughput in files per second and peak memory of the largest process of each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import fmconvert_and_html2text_rows, fmconvert_command, html2text_script, pandoc_rows, print_rows  # noqa: E402
from corpus import write_corpus  # noqa: E402
from fidelity import find_pandoc  # noqa: E402

HTML2TEXT = html2text_script("h.unicode_snob = True", "h.ignore_emphasis = True", "h.ignore_links = True", "h.ignore_images = True", "h.pad_tables = True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--pandoc-sample", type=int, default=200)
    args = parser.parse_args()
    fmc = fmconvert_command()
    pandoc = find_pandoc()
    cores = os.cpu_count() or 1
    tmp = tempfile.mkdtemp(prefix="fmtext-")
    try:
        src = os.path.join(tmp, "src")
        paths = write_corpus(src, args.files, seed=21)
        listing = os.path.join(tmp, "files.txt")
        with open(listing, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        n = len(paths)
        print(f"corpus: {n} posts, {sum(os.path.getsize(p) for p in paths) / 2**20:.1f} MB, {cores} cores")
        labels = (f"fmconvert batch -t text -j {cores}", "fmconvert batch -t text -j 1", "html2text, same settings, one process")
        rows = fmconvert_and_html2text_rows(fmc, src, tmp, "text", listing, HTML2TEXT, n, labels)
        if pandoc:
            labels = (f"pandoc -t plain per file ({args.pandoc_sample} files)", f"pandoc -t plain, xargs -P {cores}")
            rows.extend(pandoc_rows(pandoc, paths, listing, tmp, "plain", args.pandoc_sample, cores, labels))
        rates = print_rows(rows)
        h2t = rates["html2text, same settings, one process"]
        print(f"\nfmconvert -j 1 time / html2text time: {h2t / rates['fmconvert batch -t text -j 1']:.2f}x")
        if pandoc:
            print(f"fmconvert (all cores) / pandoc xargs -P{cores}: {rates[f'fmconvert batch -t text -j {cores}'] / rates[f'pandoc -t plain, xargs -P {cores}']:.1f}x throughput")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
