"""The README's promises as a fuzz oracle: mutated real-shaped posts through the real command.

Each case is a fixture mutated by a few random edits (byte flips, hostile snippets, truncation,
doubling, odd encodings and line ends) and converted by ``fmconvert convert`` (in process, the
same entry point as the shell) to every writer (Markdown under a publishing engine's profile
half the time). Whatever the input, the outcome must be one the README promises:

* exit code 0, 1 or 2, never "internal error" and never a traceback;
* on 0: JSON that parses and has the schema's fields, XHTML that is well-formed XML, an EPUB whose
  package and chapters are well-formed, Markdown and HTML that are UTF-8;
* on 1 or 2: one line per message, each naming the file, and no output file written;
* time and memory bounded: no case over 20 s, and the process stays under 2 GiB.

The default run stops after about 40 seconds of cases (CI); ``FMCONVERT_FUZZ=long`` runs 20
minutes and ``FMCONVERT_FUZZ=N`` runs N cases. ``FMCONVERT_FUZZ_SEED`` repeats a run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import resource
import time
import zipfile

from lxml import etree

from tests.conftest import FIXTURES

SNIPPETS = [
    "9" * 4400,
    "\\ud800",
    '<div aria-x²="1" {{ attrs }}>',
    '<meta charset="rot13">',
    '<meta charset="utf-7">',
    "charset: base64\n",
    "<svg><author:x>t</author:x></svg>",
    '<img src="data:image/png;base64,!!!">',
    '<img src="a%00b.png">',
    '<img src="http://169.254.169.254/x.png">',
    '<a href="b%00.html">l</a><a href="sub/">s</a><a href="/p/%2e%2e/x">p</a>',
    "\x1b[2J\x9b31m",
    "\ndate: Thu, 07 Sep 99999999999 08:15:42 GMT\n",
    "<ol start class><li>x</li></ol><img src alt><a href title>l</a><td colspan rowspan>c</td>",
    '<a href="{{ site.url }}/x">{% raw %}</a>',
    "{{< figure src=\"x.png\" >}}",
    "<" * 50,
    "<div>" * 600,
    "&#123;&#125;&#13;&#0;&#xD800;",
    "\x00",
    "\x01\x1f\x7f",
    "\ufeff",
    "\r",
    "---\n",
    "+++\n",
    ";;;\n",
    "{\n",
    "\t- x\n",
    "'unclosed",
    '<p id="x"><p id="x"><a href="#x">x</a>',
    "<table><tr><td><div><p>cell</td></table>",
    "<pre><code>a <= b && Producer<String, String></code></pre>",
    " " * 3000,
    "é",
    "中文「」，。",
    "\ud83d\ude00\ufe0f",
]
TARGETS = ("json", "markdown", "xhtml", "html", "epub", "text")


def _fixtures() -> list[bytes]:
    paths = sorted((FIXTURES / "posts").iterdir()) + sorted((FIXTURES / "markdown").glob("*.html")) + sorted((FIXTURES / "bad").glob("*.html"))
    return [p.read_bytes() for p in paths]


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        pos = rng.randrange(len(out) + 1)
        if roll < 0.45:
            snippet = rng.choice(SNIPPETS)
            encoded = snippet.encode("utf-8", "surrogatepass") if "\\u" not in snippet else snippet.encode()
            out[pos:pos] = encoded
        elif roll < 0.6 and out:
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(out))
                out[i] = rng.randrange(256)
        elif roll < 0.7:
            del out[pos:]
        elif roll < 0.78:
            out[pos:pos] = bytes(out[: rng.randrange(len(out) + 1)])
        elif roll < 0.86:
            out = bytearray(bytes(out).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"])))
        elif roll < 0.93:
            try:
                out = bytearray(bytes(out).decode("utf-8").encode(rng.choice(["utf-16", "gb18030", "shift_jis", "big5"]), "replace"))
            except UnicodeError:
                pass
        else:
            i = rng.randrange(len(out) + 1)
            j = min(len(out), i + rng.randrange(200))
            del out[i:j]
    return bytes(out)


def run(argv: list[str]) -> tuple[int, str]:
    from convert.cli import main

    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, err.getvalue()


_XML = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)  # nesting up to our 512 levels


def check_output(target: str, out: str) -> None:
    with open(out, "rb") as fh:
        data = fh.read()
    if target == "json":
        doc = json.loads(data)
        assert {"schema", "metadata", "body", "source"} <= set(doc)
    elif target == "xhtml":
        etree.fromstring(data, _XML)
    elif target == "epub":
        with zipfile.ZipFile(out) as z:
            assert z.read("mimetype") == b"application/epub+zip"
            for name in z.namelist():
                if name.endswith((".opf", ".xhtml")):
                    etree.fromstring(z.read(name), _XML)
    else:
        data.decode("utf-8")


def _budget() -> tuple[int, float]:
    setting = os.environ.get("FMCONVERT_FUZZ", "")
    if setting == "long":
        return 10**9, 20 * 60.0
    if setting.isdigit():
        return int(setting), float("inf")
    return 10**9, 20.0  # CI's fixed budget; FMCONVERT_FUZZ=long or a case count for more


def test_mutated_posts_keep_every_promise(tmp_path):
    seed = int(os.environ.get("FMCONVERT_FUZZ_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    corpus = _fixtures()
    cases, seconds = _budget()
    started = time.monotonic()
    done = 0
    outcomes: dict[int, int] = {}
    while done < cases and time.monotonic() - started < seconds:
        data = mutate(rng, rng.choice(corpus))
        name = f"case{done}.{rng.choice(['html', 'md', 'htm', 'json', 'xhtml', 'txt'])}"
        path = tmp_path / name
        path.write_bytes(data)
        for target in TARGETS:
            out = tmp_path / f"out-{target}"
            if out.exists():
                out.unlink()
            t0 = time.monotonic()
            profile = ["--profile", rng.choice(["hugo", "jekyll", "hexo", "gfm"])] if target == "markdown" and rng.random() < 0.5 else []
            code, err = run(["convert", str(path), "-t", target, "-o", str(out), "--no-download-images", *profile])
            elapsed = time.monotonic() - t0
            where = f"seed {seed}, case {done} ({name} -> {target}); input kept at {path}"
            assert code in (0, 1, 2), f"{where}: exit {code}: {err}"
            assert "internal error" not in err and "Traceback" not in err, f"{where}: {err}"
            assert elapsed < 20, f"{where}: took {elapsed:.1f} s"
            if code == 0:
                check_output(target, str(out))
            else:
                assert not out.exists(), f"{where}: an output was written on failure"
                lines = [line for line in err.splitlines() if line.strip()]
                assert lines and all(line.startswith("fmconvert: ") for line in lines), f"{where}: {err}"
                assert any(name in line or "Usage" in err for line in lines), f"{where}: the file is not named: {err}"
            outcomes[code] = outcomes.get(code, 0) + 1
        path.unlink()
        done += 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak < 2048, f"seed {seed}: the process peaked at {peak:.0f} MiB"
    print(f"fuzz: {done} cases x {len(TARGETS)} writers, seed {seed}, outcomes {outcomes}, peak {peak:.0f} MiB")
    assert done > 0


def test_mutated_trees_keep_the_batch_promises(tmp_path):
    """Trees of mutated posts through ``fmconvert batch`` (a real process) to a tree, JSON Lines
    and a book: exit 0 or 1 (some posts fail), never an internal error, a line per failure
    naming its file, valid JSON Lines and a well-formed book."""
    import subprocess
    import sys

    seed = int(os.environ.get("FMCONVERT_FUZZ_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    corpus = _fixtures()
    trees = 8 if os.environ.get("FMCONVERT_FUZZ") else 2
    for tree in range(trees):
        src = tmp_path / f"src{tree}"
        (src / "sub").mkdir(parents=True)
        for i in range(30):
            folder = src if rng.random() < 0.7 else src / "sub"
            (folder / f"p{i}.{rng.choice(['html', 'md', 'htm', 'json', 'xhtml'])}").write_bytes(mutate(rng, rng.choice(corpus)))
        out = tmp_path / f"out{tree}"
        for args in (["-t", "text", "-o", str(out / "txt"), "-j", "2"], ["-t", "jsonl", "--jsonl", str(out / "all.jsonl")], ["-t", "epub", "--book", str(out / "book.epub"), "--no-download-images", "--toc-by", "month"]):
            result = subprocess.run([sys.executable, "-m", "convert", "batch", str(src), *args, "-q"], capture_output=True, timeout=300)
            err = result.stderr.decode("utf-8", "replace")
            where = f"seed {seed}, tree {tree}, {args[1]}"
            assert result.returncode in (0, 1), f"{where}: exit {result.returncode}: {err[-2000:]}"
            assert "internal error" not in err and "Traceback" not in err, f"{where}: {err[-2000:]}"
            assert all(line.startswith("fmconvert: ") for line in err.splitlines() if line.strip()), f"{where}: {err[-2000:]}"
        lines = (out / "all.jsonl").read_bytes().splitlines()
        assert lines and list((out / "txt").rglob("*.txt"))  # most mutated posts still convert
        for line in lines:
            assert {"schema", "metadata", "body"} <= set(json.loads(line))
        if (out / "book.epub").exists():
            check_output("epub", str(out / "book.epub"))
