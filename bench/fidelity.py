"""Markdown fidelity: HTML -> Markdown -> HTML, on the CommonMark spec and on real-shaped posts.

    python bench/fidelity.py [--no-pandoc] [--show-failures N]

**Spec figure.** For each example of the CommonMark spec (bench/data/commonmark-0.31.2.json, made
by make_spec_json.py), the example's expected HTML is converted to Markdown by each tool, the
Markdown is rendered back to HTML by one renderer for all (fmconvert's reader: markdown-it-py,
CommonMark + GFM tables and strikethrough), and the two HTMLs are compared after normalizing.
Tools: fmconvert's writer; pandoc (``-f html -t gfm --wrap=none``); html2text with its defaults and
configured as well as its options allow (see ``html2text_configured``).

**The normalizer** (``normalize``) parses HTML with lxml and writes a canonical form in which:
whitespace runs in text become one space, and whitespace at the start and end of block elements
and between blocks is dropped (it does not render); attributes are sorted; character references
are resolved; text inside ``<pre>`` is kept exactly, except one trailing newline. Nothing else is
forgiven: a lost character, a changed tag or a lost attribute is a mismatch.

**Posts figure.** For the fixtures and a generated set of longer posts, compares what a reader
cares about: visible text (whitespace aside), the heading sequence, link targets, and image
(src, alt) pairs, before and after HTML -> Markdown -> HTML.

**Soup figure.** Seeded random inline mixes (``soup_cases``): text dense with Markdown's special
characters, CJK included, links, emphasis nested three deep, code spans, images and breaks, one
block each. A case counts when every character (white space aside), every link and every image
alt comes back: the "text is never lost" promise under stress.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "data" / "commonmark-0.31.2.json"
BLOCKS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


def load_examples() -> list[dict]:
    return json.loads(SPEC.read_text(encoding="utf-8"))["examples"]


def normalize(html: str) -> str:
    """Canonical form of an HTML fragment (see the module docstring)."""
    from lxml import etree
    from lxml import html as lhtml

    if not html.strip():
        return ""
    try:
        root = lhtml.document_fromstring("<html><body>" + html + "</body></html>").find("body")
    except (etree.ParserError, ValueError):
        return html.strip()
    out: list[str] = []

    def text(t: str | None, in_pre: bool) -> str:
        if not t:
            return ""
        return html_lib.escape(t if in_pre else re.sub(r"\s+", " ", t), quote=False)

    def walk(el, in_pre: bool) -> None:  # type: ignore[no-untyped-def]
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            return
        attrs = "".join(f' {k}="{html_lib.escape(v)}"' for k, v in sorted(el.attrib.items()))
        pre = in_pre or (tag in ("pre", "code") and in_pre) or tag == "pre"
        out.append(f"<{tag}{attrs}>")
        if tag == "pre":
            inner = "".join(el.itertext())
            out.append(html_lib.escape(inner[:-1] if inner.endswith("\n") else inner, quote=False))
        else:
            out.append(text(el.text, pre))
            for child in el:
                walk(child, pre)
                out.append(text(child.tail, pre))
        out.append(f"</{tag}>")

    out.append(text(root.text, False))
    for child in root:
        walk(child, False)
        out.append(text(child.tail, False))
    result = "".join(out)
    # whitespace next to block boundaries does not render
    tags = "|".join(sorted(BLOCKS))
    result = re.sub(rf"\s*(</?(?:{tags})(?:\s[^>]*)?>)\s*", r"\1", result)
    return result.strip()


def render(markdown: str) -> str:
    """Markdown to HTML with fmconvert's reader (front matter, if any, is not body)."""
    import convert

    try:
        return convert.read(markdown.encode("utf-8"), "markdown").body_html()
    except convert.ConvertError:
        from convert.readers.markdown import markdown_to_html

        return markdown_to_html(markdown)


def ours(html: str) -> str:
    import convert

    doc = convert.Document(body_html=html)
    return convert.write(doc, "markdown").decode("utf-8")


def html2text_default(html: str) -> str:
    import html2text

    return html2text.html2text(html)


def html2text_configured(html: str) -> str:
    """html2text set up as well as its options allow for CommonMark: no wrapping, ``-`` bullets,
    ``*`` emphasis and ``escape_snob`` (escape every special character). The best of the option
    combinations tried; it shows how far configuration alone goes."""
    import html2text

    engine = html2text.HTML2Text(bodywidth=0)
    engine.ul_item_mark = "-"
    engine.emphasis_mark = "*"
    engine.escape_snob = True
    return engine.handle(html)


def find_pandoc() -> str | None:
    import shutil

    path = shutil.which("pandoc")
    if path:
        return path
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:
        return None


def pandoc_tool(pandoc: str):  # type: ignore[no-untyped-def]
    def run(html: str) -> str:
        result = subprocess.run(
            [pandoc, "--sandbox", "-f", "html", "-t", "gfm", "--wrap=none"],
            input=html.encode(),
            capture_output=True,
            timeout=60,
        )
        return result.stdout.decode("utf-8", "replace")

    return run


def spec_score(tool, examples: list[dict], workers: int = 1) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """How many examples come back equal; and the numbers of those that do not."""

    def one(example: dict) -> bool:
        try:
            back = render(tool(example["html"]))
        except Exception:
            return False
        return normalize(back) == normalize(example["html"])

    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(one, examples))
    else:
        results = [one(e) for e in examples]
    failures = [e["example"] for e, ok in zip(examples, results, strict=True) if not ok]
    return sum(results), failures


_SOUP_CHARS = [*"ab []()!:^\\*_`<>&#-1.x~|+=\"'", "[ ]", "[x] ", "\n", "。", "字", "“", "**"]
_SOUP_BLOCKS = ["<p>{}</p>", "<h2>{}</h2>", "<blockquote><p>{}</p></blockquote>", "<ul><li>{}</li></ul>", "<ol><li>{}</li></ol>"]


def soup_cases(count: int, seed: int = 99) -> list[str]:
    """Random inline mixes: text dense with Markdown's special characters (CJK too), links,
    emphasis nested up to three deep, code spans, images and line breaks, in one block each."""
    import random

    rng = random.Random(seed)

    def inline(depth: int) -> str:
        parts = []
        for _ in range(rng.randint(1, 4)):
            text = html_lib.escape("".join(rng.choice(_SOUP_CHARS) for _ in range(rng.randint(1, 10))))
            k = rng.random()
            if k < 0.15:
                parts.append(f'<a href="https://example.org/{len(parts)}">{text}</a>')
            elif k < 0.3 and depth < 2:
                parts.append(f"<em>{inline(depth + 1)}</em>")
            elif k < 0.4 and depth < 2:
                parts.append(f"<strong>{inline(depth + 1)}</strong>")
            elif k < 0.45:
                parts.append(f"<code>{text}</code>")
            elif k < 0.5:
                parts.append(f'<img src="i{len(parts)}.png" alt="{text}">')
            elif k < 0.55:
                parts.append("<br>")
            else:
                parts.append(text)
        return "".join(parts)

    return [rng.choice(_SOUP_BLOCKS).format(inline(0)) for _ in range(count)]


def soup_score(tool, cases: list[str], workers: int = 1) -> int:  # type: ignore[no-untyped-def]
    """How many cases keep every character (white space aside), link and image."""
    from convert.html import parse_body

    def view(body) -> tuple:  # type: ignore[no-untyped-def]
        return re.sub(r"\s+", "", body.text_content()), len(body.xpath(".//a")), [" ".join((i.get("alt") or "").split()) for i in body.iter("img")]

    def one(html: str) -> bool:
        try:
            return view(parse_body(render(tool(html)))) == view(parse_body(html))
        except Exception:
            return False

    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            return sum(pool.map(one, cases))
    return sum(one(c) for c in cases)


def reader_view(html: str) -> dict[str, list]:
    """What a reader cares about in a body (buttons, form controls and dialogs are interface)."""
    from convert.html import parse_body

    body = parse_body(html)
    for el in body.xpath(".//style|.//script|.//*[contains(@class,'copy-code-btn')]|.//svg"):
        el.getparent().remove(el) if el.tail is None else None
    for el in body.xpath(".//button|.//input|.//select|.//option|.//datalist|.//textarea|.//dialog"):
        el.drop_tree()
    text = re.sub(r"\s+", "", "".join(t for t in body.itertext() if t))
    return {
        "text": [text],
        "headings": [(h.tag, re.sub(r"\s+", " ", h.text_content()).strip()) for h in body.iter("h1", "h2", "h3", "h4", "h5", "h6")],
        "links": [a.get("href") for a in body.iter("a")],
        "images": [(i.get("src"), i.get("alt") or "") for i in body.iter("img")],
    }


def post_score(paths: list[Path]) -> tuple[int, list[str]]:
    import convert

    kept = 0
    failures = []
    for path in paths:
        doc = convert.read_file(path)
        before = reader_view(doc.body_html())
        md = convert.write(convert.read_file(path), "markdown")
        after = reader_view(convert.read(md, "markdown").body_html())
        if before == after:
            kept += 1
        else:
            failures.append(str(path))
    return kept, failures


def main() -> None:
    parser = argparse.ArgumentParser(description="HTML -> Markdown -> HTML fidelity")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    parser.add_argument("--posts", type=int, default=200, help="generated long posts to check")
    parser.add_argument("--soup", type=int, default=500, help="random inline mixes to check")
    args = parser.parse_args()
    examples = load_examples()
    tools = [("fmconvert", ours, 1)]
    pandoc = None if args.no_pandoc else find_pandoc()
    if pandoc:
        tools.append(("pandoc -t gfm", pandoc_tool(pandoc), 2))
    tools.append(("html2text (defaults)", html2text_default, 1))
    tools.append(("html2text (configured)", html2text_configured, 1))
    print(f"CommonMark {json.loads(SPEC.read_text())['version']} spec examples: {len(examples)}")
    print(f"{'tool':<24} {'preserved':>9} {'share':>7}")
    for name, tool, workers in tools:
        score, failures = spec_score(tool, examples, workers)
        print(f"{name:<24} {score:>9} {score / len(examples):>7.1%}")
        if args.show_failures and name == "fmconvert":
            print("  failing examples:", failures[: args.show_failures])

    cases = soup_cases(args.soup)
    print(f"\ninline soup: {len(cases)} random mixes of special characters, links, nested emphasis, code, images, breaks")
    print(f"{'tool':<24} {'intact':>9} {'share':>7}")
    for name, tool, workers in tools:
        kept = soup_score(tool, cases, workers)
        print(f"{name:<24} {kept:>9} {kept / len(cases):>7.1%}")
    print()

    sys.path.insert(0, str(HERE))
    import tempfile

    from corpus import write_corpus

    fixtures = sorted((HERE.parent / "fixtures" / "posts").iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        generated = [Path(p) for p in write_corpus(tmp, args.posts, seed=3)]
        for label, paths in (("fixtures", fixtures), (f"generated posts ({len(generated)})", generated)):
            kept, failures = post_score(paths)
            print(f"{label:<30} text, headings, links, images preserved: {kept}/{len(paths)} ({kept / len(paths):.0%})")
            for f in failures[:5]:
                print("  not preserved:", os.path.basename(f))


if __name__ == "__main__":
    main()
