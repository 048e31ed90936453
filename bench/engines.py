"""Posts fully preserved in the engines blogs publish with, per converter, beside the control.

    python bench/engines.py [--generated 200]

Each post (the fixtures, and ``--generated`` real-shaped posts from bench/corpus.py with the
quirks of tests/test_engines.py) is converted to Markdown by fmconvert (with the profile of each
engine's generator), pandoc (``-t gfm --wrap=none``) and html2text (no wrapping), rendered by
markdown-it-py, cmark-gfm, Hexo's marked and Jekyll's kramdown (tests/render_engines.py: run
``npm install`` in tests/engines and install kramdown first), and compared with the source:
the same blocks of text, links, images and code. The control is the untouched HTML body pasted
into the same engine. Template code is run first, as the generators run it, for the engines of
Hexo and Jekyll (our Markdown is written with ``--source-engine`` naming that generator, so its
code stays live); for markdown-it and cmark-gfm, which no generator runs, template-looking text
is text (``--source-engine none``), as a browser shows it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fidelity import find_pandoc  # noqa: E402

import convert  # noqa: E402
from convert.front.split import split_front_matter  # noqa: E402
from tests.render_engines import ENGINES, PROFILE, available, difference, run_templates, signature, source_signature  # noqa: E402
from tests.test_engines import CASES, _page, applies  # noqa: E402

GENERATOR = {"marked": "hexo", "kramdown": "jekyll"}


def _as_text(text: str, spans: list[str]) -> str:
    return text


def body_of(markdown: str) -> str:
    return split_front_matter(markdown.lstrip("\ufeff").replace("\r\n", "\n")).body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=200)
    args = parser.parse_args()
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="fmengines-"))
    paths = list(CASES)
    for seed in range(args.generated):
        path = tmp / f"generated-{seed:04d}.html"
        path.write_text(_page(1000 + seed), encoding="utf-8")
        paths.append(path)
    pandoc = find_pandoc()
    import html2text

    converters = ["untouched HTML", "fmconvert", "pandoc -t gfm", "html2text"]
    print(f"{len(paths)} posts ({len(CASES)} fixtures, {args.generated} generated)\n")
    print(f"{'engine':<12} " + " ".join(f"{c:>16}" for c in converters))
    for engine in ENGINES:
        missing = available(engine)
        if missing:
            print(f"{engine:<12} not installed ({missing})")
            continue
        cases = [p for p in paths if applies(p, engine)]
        generator = GENERATOR.get(engine, "none")
        if generator == "none":
            sources = [(signature(convert.read_file(p).body_html()), []) for p in cases]
            run = _as_text
        else:
            sources = [source_signature(str(p)) for p in cases]
            run = run_templates
        outputs: dict[str, list[str]] = {c: [] for c in converters}
        for p, (_, spans) in zip(cases, sources, strict=True):
            doc = convert.read_file(p)
            doc.body  # noqa: B018
            html = doc.body_html()
            outputs["untouched HTML"].append(run(html, spans))
            ours = convert.write(convert.read_file(p), "markdown", profile=PROFILE[engine], source_engine=generator).decode()
            outputs["fmconvert"].append(run(body_of(ours), spans))
            if pandoc:
                md = subprocess.run([pandoc, "--sandbox", "-f", "html", "-t", "gfm", "--wrap=none"], input=html.encode(), capture_output=True, check=False).stdout.decode()
                outputs["pandoc -t gfm"].append(run(md, spans))
            h = html2text.HTML2Text(bodywidth=0)
            outputs["html2text"].append(run(h.handle(html), spans))
        row = []
        for c in converters:
            if not outputs[c]:
                row.append(f"{'-':>16}")
                continue
            rendered = ENGINES[engine](outputs[c])
            kept = sum(difference(sig, signature(h)) is None for (sig, _), h in zip(sources, rendered, strict=True))
            row.append(f"{kept:>5}/{len(cases):<4} {100 * kept / len(cases):5.1f}%")
        print(f"{engine:<12} " + " ".join(row) + f"   (--profile {PROFILE[engine]})")
    os.system(f"rm -rf {tmp}")


if __name__ == "__main__":
    main()
