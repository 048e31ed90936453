"""The Markdown engines blogs publish with, run for real, and what "the same document" means.

* ``markdown-it``: markdown-it-py as our reader runs it (CommonMark, GFM tables, strikethrough);
* ``cmark-gfm``: GitHub's cmark-gfm (PyPI ``cmarkgfm``) with the GFM extensions but the tag
  filter (see :func:`render_cmark`), raw HTML kept;
* ``marked``: Hexo's ``hexo-renderer-marked`` with Hexo's default configuration (breaks and
  smartypants on), under node (``tests/engines``: ``npm install`` there);
* ``kramdown``: Jekyll's kramdown with the GFM parser and Jekyll's defaults (Debian packages
  ``kramdown`` and ``ruby-kramdown-parser-gfm``).

Each renderer takes a list of Markdown texts and returns their HTML (one process for the whole
list). :func:`signature` reduces HTML to what a reader gets from it: the text of each block in
order (with the headings, list items, quotes, table cells and code blocks around it; a line
break counts as a boundary, so ``a<br><br>b`` and two paragraphs read the same), link
targets, image sources and alternative texts, and the code text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

ENGINES_DIR = Path(__file__).resolve().parent / "engines"


def render_markdown_it(texts: list[str]) -> list[str]:
    """markdown-it as our reader runs it, read back as HTML; no generator runs template code
    here: what looks like it is text (``--source-engine none``)."""
    import convert

    return [convert.write(convert.read(text.encode(), "markdown"), "html", source_engine="none").decode() for text in texts]


def render_cmark(texts: list[str]) -> list[str]:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # GitHub's extensions but its tag filter, which shows an <iframe> (and <script>, <style>,
    # <title>, <textarea>, which no writer of ours keeps) as the text of its tag: on GitHub an
    # embedded video is text whoever wrote the Markdown; other cmark-gfm sites leave it out.
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_GITHUB_PRE_LANG
    extensions = ["table", "autolink", "strikethrough", "tasklist"]
    return [cmarkgfm.markdown_to_html_with_extensions(t, options=options, extensions=extensions) for t in texts]


def _batch(cmd: list[str], texts: list[str]) -> list[str]:
    result = subprocess.run(cmd, input=json.dumps(texts).encode(), capture_output=True, timeout=300, check=True, cwd=ENGINES_DIR)
    return json.loads(result.stdout)


def render_marked(texts: list[str]) -> list[str]:
    return _batch(["node", str(ENGINES_DIR / "render-marked.js")], texts)


def render_kramdown(texts: list[str]) -> list[str]:
    return _batch(["ruby", str(ENGINES_DIR / "render-kramdown.rb")], texts)


ENGINES = {"markdown-it": render_markdown_it, "cmark-gfm": render_cmark, "marked": render_marked, "kramdown": render_kramdown}
#: the profile of each engine's site generator
PROFILE = {"markdown-it": "commonmark", "cmark-gfm": "gfm", "marked": "hexo", "kramdown": "jekyll"}


#: the system components (tests/components.py) each engine runs on
COMPONENT: dict[str, tuple[str, ...]] = {"markdown-it": (), "cmark-gfm": ("cmarkgfm",), "marked": ("marked",), "kramdown": ("kramdown",)}


def available(engine: str) -> str | None:
    """None when the engine can run here, else what is missing and how to install it."""
    from tests.components import missing

    return next((reason for name in COMPONENT[engine] if (reason := missing(name))), None)


# ---- what a reader gets ---------------------------------------------------------------------

BLOCK = set("address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split())
STRUCTURE = {"h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th"}
# Not content, or drawn differently by each engine: Hexo's heading anchors, footnote marks and
# back-links (a note's text and its place are compared, not how its number is drawn); buttons,
# form controls and dialogs are interface (a form's and a label's own text is content).
NOT_CONTENT = (
    "//style|//script|//template|//svg|//math|//*[contains(concat(' ', @class, ' '), ' headerlink ')]"
    "|//*[contains(@class,'copy-code-btn')]|//button|//input|//select|//option|//datalist|//textarea|//dialog"
    "|//sup[a[starts-with(@href,'#')]]|//a[starts-with(@href,'#fn')][not(ancestor::li[starts-with(@id,'fn')])]"
    "|//a[contains(@class,'backref') or contains(@class,'reversefootnote') or contains(@class,'footnote-back') or @data-footnote-backref]"
)
_WS = re.compile(r"\s+")


def _url(value: str) -> str:
    """A URL as engines may spell it: percent-encoding, a bare host's slash, entities, a host's
    punycode (Hexo writes ``xn--fsqu00a`` as ``例子``) undone."""
    value = unquote(value.strip("\t\n\f\r "))  # what a browser strips: ASCII white space, not a no-break space
    parts = urlsplit(value) if "://" in value else None
    if parts is not None and parts.path == "" and not parts.query and not parts.fragment:
        value += "/"
    if parts is not None and "xn--" in parts.netloc:
        labels = [label[4:].encode().decode("punycode") if label.startswith("xn--") else label for label in parts.netloc.split(".")]
        value = value.replace(parts.netloc, ".".join(labels), 1)
    return value


def signature(markup: str | None = None, body: object = None) -> dict[str, list]:
    """What a reader gets from ``markup`` (or from a parsed ``body`` tree, which is changed)."""
    if body is None:
        if not (markup or "").strip():
            return {"blocks": [], "links": [], "images": [], "code": []}
        body = lxml_html.document_fromstring("<html><body>" + markup + "</body></html>").find("body")
    for el in body.xpath(NOT_CONTENT):  # type: ignore[attr-defined]
        el.drop_tree()
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    context: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(current)).strip()
        if text:
            blocks.append(("/".join(context), text))
        current.clear()

    def walk(el: object) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if not tag:
            current.append(el.tail or "")  # type: ignore[attr-defined]
            return
        block = tag in BLOCK
        if block:
            flush()
        if tag in STRUCTURE:
            context.append("h" if tag[0] == "h" and tag[1:].isdigit() else "cell" if tag in ("td", "th") else tag)
        if tag == "img":
            current.append(" " + (el.get("alt") or "") + " ")  # type: ignore[attr-defined]
        elif tag == "br":
            flush()  # a line break ends a line of text as a block boundary does
        current.append(el.text or "")  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            walk(child)
        if block:
            flush()
        if tag in STRUCTURE:
            context.pop()
        current.append(el.tail or "")  # type: ignore[attr-defined]

    current.append(body.text or "")
    for child in body:
        walk(child)
    flush()
    links = [_url(a.get("href")) for a in body.iter("a") if a.get("href") and not a.get("href").startswith("#")]
    images = [(_url(i.get("src") or ""), _WS.sub(" ", i.get("alt") or "").strip()) for i in body.iter("img")]
    # A carriage return in code (Windows line ends written &#13;) is a line end to Markdown, which
    # cannot hold one: code is compared line by line, as a browser shows it.
    code = [pre.text_content().replace("\r\n", "\n").replace("\r", "\n").strip("\n") for pre in body.iter("pre")]
    return {"blocks": blocks, "links": links, "images": images, "code": code}


def difference(expected: dict[str, list], got: dict[str, list]) -> str | None:
    """The first way ``got`` differs from ``expected``, or None."""
    for key in ("blocks", "links", "images", "code"):
        a, b = expected[key], got[key]
        if a != b:
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    return f"{key}[{i}]: {x!r} became {y!r}"
            return f"{key}: {len(a)} expected, {len(b)} rendered ({(a or b)[min(len(a), len(b)):][:2]!r})"
    return None


def engines_env() -> dict[str, str]:
    return dict(os.environ)


# ---- template code, run first as the generators run it ----------------------------------------

_TEMPLATE = re.compile(r"\{\{[<%].{0,2000}?[>%]\}\}|\{\{.{0,2000}?\}\}|\{%.{0,2000}?%\}|\{#.{0,2000}?#\}", re.DOTALL)


def _ids(spans: list[str]) -> dict[str, int]:
    """One value per distinct span (the same code gives the same output), numbered by first use."""
    ids: dict[str, int] = {}
    for span in spans:
        ids.setdefault(span, len(ids))
    return ids


def run_templates(text: str, spans: list[str]) -> str:
    """What a generator's template engine leaves of ``text``: each template span replaced by a
    value of its own (``tpl0``, ``tpl1``, ... in the order of ``spans``, the source's)."""
    ids = _ids(spans)

    def value(m: re.Match[str]) -> str:
        return f"tpl{ids[m.group(0)]}" if m.group(0) in ids else "tpl"

    return _TEMPLATE.sub(value, text)


def source_signature(path: str) -> tuple[dict[str, list], list[str]]:
    """The signature of a fixture as its generator publishes it: the template spans (held out of
    the tree by fmconvert's reader) run first, then the HTML as a browser reads it."""
    import convert
    from convert.html.templates import restore

    doc = convert.read_file(path)
    body = doc.body
    spans = list(doc.templates)
    ids = _ids(spans)
    values = [f"tpl{ids[span]}" for span in spans]
    for el in body.iter():
        if isinstance(el.tag, str):
            for name, value in el.items():
                el.set(name, restore(value, values))
        if el.text:
            el.text = restore(el.text, values)
        if el.tail:
            el.tail = restore(el.tail, values)
    return signature(body=body), spans
