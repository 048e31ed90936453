"""The lint rules, one function each: code, name, severity, explanation, examples.

Codes are stable: ``ALT`` alt text, ``SRC`` image references, ``REF`` referrer policies,
``NET`` findings of ``--check-remote``, ``DOC`` the document itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from convert.html.attrs import REFERRER_POLICIES, srcset_urls
from convert.lint.core import Finding, Fix, Image, LintContext, looks_like_filename, rule

_POLICY_TYPOS = {"noreferrer": "no-referrer", "no_referrer": "no-referrer", "none": "no-referrer", "never": "no-referrer", "no-referer": "no-referrer", "noreferer": "no-referrer"}

#: Image hosts known to refuse requests whose Referer is a foreign site (hot-link protection).
#: Seeded from the hosts in real RSS-to-blog posts; extend with ``hosts`` in the configuration.
HOTLINK_HOSTS = (
    "image.woshipm.com",
    "static.cnbetacdn.com",
    "dockone.io",
    "p1-juejin.byteimg.com",
    "p3-juejin.byteimg.com",
    "p6-juejin.byteimg.com",
    "p9-juejin.byteimg.com",
    "mmbiz.qpic.cn",
    "mmbiz.qlogo.cn",
    "pic1.zhimg.com",
    "pic2.zhimg.com",
    "pic3.zhimg.com",
    "pic4.zhimg.com",
    "picx.zhimg.com",
    "upload-images.jianshu.io",
    "i0.hdslb.com",
    "i1.hdslb.com",
    "i2.hdslb.com",
    "img-blog.csdnimg.cn",
    "cdn.sspai.com",
    "ws1.sinaimg.cn",
    "ws2.sinaimg.cn",
    "ws3.sinaimg.cn",
    "ws4.sinaimg.cn",
    "wx1.sinaimg.cn",
    "wx2.sinaimg.cn",
    "wx3.sinaimg.cn",
    "wx4.sinaimg.cn",
    "tva1.sinaimg.cn",
    "*.sinaimg.cn",
    "*.byteimg.com",
    "*.zhimg.com",
    "*.qpic.cn",
    "*.hdslb.com",
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DECORATIVE_ROLES = ("presentation", "none")


def _is_decorative(image: Image) -> bool:
    return (image.get("role") or "").strip().lower() in _DECORATIVE_ROLES or (image.get("aria-hidden") or "").strip().lower() == "true"


def _in_body(image: Image) -> bool:
    return image.kind in ("img", "markdown")


def image_urls(image: Image) -> Iterator[str]:
    """``src`` and each ``srcset`` candidate."""
    src = image.get("src")
    if src:
        yield src.strip()
    yield from srcset_urls(image.get("srcset") or "")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) or host == pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


@rule(
    "ALT001",
    "missing-alt",
    "error",
    "image has no alt attribute",
    bad=('<img src="a.png">',),
    good=('<img src="a.png" alt="a chart">', '<img src="a.png" alt="">', '<pre><img src="a.png"></pre>'),
)
def missing_alt(ctx: LintContext) -> Iterator[Finding]:
    """An ``<img>`` without an ``alt`` attribute. Screen readers then read the file name, and
    EPUBCheck rejects the book. Describe the image in ``alt``; if it is purely decorative, write
    ``alt=""`` (the XHTML writer adds ``alt=""`` on conversion, but the source should say so)."""
    for image in ctx.images:
        if image.kind == "img" and not image.has("alt"):
            yield ctx.finding(image, "ALT001", "image has no alt attribute")


@rule(
    "ALT002",
    "empty-alt",
    "warning",
    "image has an empty alt text and is not marked decorative",
    bad=('<img src="a.png" alt>', '<img src="a.png" alt="  ">', "![](a.png)"),
    good=('<img src="a.png" alt="" role="presentation">', '<img src="a.png" alt="" aria-hidden="true">', "![a chart](a.png)"),
)
def empty_alt(ctx: LintContext) -> Iterator[Finding]:
    """An image whose ``alt`` is empty or only spaces (``<img alt src=...>`` is empty too, and so
    is Markdown's ``![](x.png)``) that is not marked decorative with ``role="presentation"``,
    ``role="none"`` or ``aria-hidden="true"``. An empty alt says "skip me": right for decoration,
    wrong for content."""
    for image in ctx.images:
        if not _in_body(image) or not image.has("alt") or _is_decorative(image):
            continue
        if not (image.get("alt") or "").strip():
            yield ctx.finding(image, "ALT002", "image has an empty alt text and is not marked decorative")


@rule(
    "ALT003",
    "filename-alt",
    "info",
    "alt text is only a file name",
    bad=('<img src="x.webp" alt="z9llmfya.webp">', '<img src="a" alt="image.png">'),
    good=('<img src="a.png" alt="Architecture of the mesh">',),
)
def filename_alt(ctx: LintContext) -> Iterator[Finding]:
    """The ``alt`` text is just a file name (``image.png``, ``IMG_1234.JPG``): editors and
    importers fill it in when nobody wrote one. It says nothing to a reader who cannot see the
    image."""
    for image in ctx.images:
        alt = image.get("alt")
        if _in_body(image) and alt and looks_like_filename(alt):
            yield ctx.finding(image, "ALT003", f"alt text {alt.strip()!r} is only a file name")


@rule(
    "SRC001",
    "missing-src",
    "error",
    "image has no src",
    bad=("<img alt=x>", '<img alt=x src="">', '<img alt=x src="  ">'),
    good=('<img alt=x src="a.png">', '<img alt=x srcset="a.png 1x">'),
)
def missing_src(ctx: LintContext) -> Iterator[Finding]:
    """An image with no ``src`` (or an empty one) and no ``srcset``: nothing will be shown. An
    image that has only a lazy-loading ``data-src`` is reported by SRC002 instead."""
    for image in ctx.images:
        if image.kind == "metadata":
            if not (image.get("src") or "").strip():
                yield ctx.finding(image, "SRC001", f"front-matter field {image.key!r} names no image")
            continue
        if (image.get("src") or "").strip() or (image.get("srcset") or "").strip() or image.get("data-src"):
            continue
        yield ctx.finding(image, "SRC001", "image has no src" if not image.has("src") else "image has an empty src")


@rule(
    "SRC002",
    "lazy-src-only",
    "error",
    "image has only a lazy-loading data-src",
    bad=('<img alt=x data-src="a.png" class="lazyload">',),
    good=('<img alt=x src="a.png" data-src="a.png">',),
)
def lazy_src_only(ctx: LintContext) -> Iterator[Finding]:
    """The image has a ``data-src`` but no ``src``. Lazy-loading scripts swap ``data-src`` in on
    the original site; in a saved post, a feed or an EPUB no script runs and the image never
    appears. Copy the URL into ``src``."""
    for image in ctx.images:
        if image.kind == "img" and not (image.get("src") or "").strip() and image.get("data-src"):
            yield ctx.finding(image, "SRC002", "image has only data-src, which nothing will swap in")


@rule(
    "SRC003",
    "local-image-missing",
    "error",
    "local image file does not exist",
    bad=('<img alt=x src="no/such/file.png">', '<img alt=x src="https://example.com/a.png" srcset="missing@2x.png 2x">'),
    good=('<img alt=x src="data:image/png;base64,iVBORw0KGgo=">', '<img alt=x src="https://example.com/a.png">'),
)
def local_missing(ctx: LintContext) -> Iterator[Finding]:
    """A local image (in ``src``, in a ``srcset`` candidate, or in a front-matter field such as
    ``cover``, ``headimg``, ``thumbnail``, ``image``: :data:`convert.model.IMAGE_FIELDS`) that does not exist. Relative paths are
    resolved against the document's folder; site-absolute paths (``/images/a.png``) against
    ``--root`` (or ``root`` in the configuration), and are not checked without one."""
    base = os.path.dirname(os.path.abspath(ctx.path)) if ctx.path not in ("-", "<stdin>") else os.getcwd()
    for image in ctx.images:
        for url in image_urls(image):
            parts = _safe_split(url)
            if parts is None or parts.scheme or parts.netloc or url.startswith(("#", "//")):
                continue
            path = unquote(parts.path)
            if not path:
                continue
            if path.startswith("/"):
                if not ctx.config.root:
                    continue
                full = os.path.join(ctx.config.root, path.lstrip("/"))
            else:
                full = os.path.join(base, path)
            if not os.path.exists(full):
                where = f"front-matter field {image.key!r}: " if image.kind == "metadata" else ""
                yield ctx.finding(image, "SRC003", f"{where}local image {url!r} does not exist")


def _safe_split(url: str):  # type: ignore[no-untyped-def]
    try:
        return urlsplit(url)
    except ValueError:
        return None


@rule(
    "SRC004",
    "malformed-url",
    "error",
    "image URL is malformed",
    bad=('<img alt=x src="https://exa mple.com/a.png">', '<img alt=x src="htp:/a.png">', '<img alt=x src="a%2.png">', '<img alt=x src="https://[::1/a.png">'),
    good=('<img alt=x src="https://example.com/a%20b.png">', '<img alt=x src="data:image/gif;base64,R0lGOD==">'),
)
def malformed_url(ctx: LintContext) -> Iterator[Finding]:
    """An image URL a browser cannot load as written: spaces inside, an unknown or misspelt
    scheme (``htp:``), a broken percent-escape (``%2`` not followed by two hex digits), a host
    that does not parse."""
    known = {"http", "https", "data", "file", "ftp", "blob"}
    for image in ctx.images:
        for url in image_urls(image):
            problem = None
            m = _SCHEME.match(url)
            if m and m.group(1).lower() not in known and len(m.group(1)) > 1:
                problem = f"unknown scheme {m.group(1)!r}"
            elif url.lower().startswith("data:"):
                continue
            elif re.search(r"\s", url):
                problem = "contains spaces"
            elif _BAD_PERCENT.search(url):
                problem = "has a broken percent-escape"
            elif m and url[m.end() :].startswith("/") and not url[m.end() :].startswith("//") and m.group(1).lower() in ("http", "https"):
                problem = "is missing '//' after the scheme"
            else:
                parts = _safe_split(url)
                if parts is None:
                    problem = "does not parse"
                else:
                    try:
                        parts.port  # noqa: B018 - raises on a bad port
                    except ValueError:
                        problem = "has an invalid port"
                    if parts.scheme in ("http", "https") and not parts.hostname:
                        problem = "has no host"
            if problem:
                yield ctx.finding(image, "SRC004", f"image URL {url!r} {problem}")


@rule(
    "SRC005",
    "insecure-image",
    "warning",
    "image is loaded over plain http",
    bad=('<img alt=x src="http://img.example.com/a.png">',),
    good=('<img alt=x src="https://img.example.com/a.png">',),
)
def insecure_image(ctx: LintContext) -> Iterator[Finding]:
    """An image on an ``http://`` URL. On an https site it is mixed content: browsers upgrade or
    block it, and the image may not appear. Proxied URLs count by what they fetch
    (``https://proxy/?http://host/a.jpg`` is fine for the page, so it is not reported)."""
    for image in ctx.images:
        for url in image_urls(image):
            if url.lower().startswith("http://"):
                yield ctx.finding(image, "SRC005", f"image {url!r} is loaded over plain http")


@rule(
    "REF001",
    "invalid-referrerpolicy",
    "error",
    "referrerpolicy value is not a valid policy",
    fixable=True,
    bad=('<img alt=x src="a.png" referrerpolicy="noreferrer">', '<img alt=x src="a.png" referrerpolicy="never">'),
    good=('<img alt=x src="a.png" referrerpolicy="no-referrer">', '<img alt=x src="a.png" referrerpolicy="strict-origin-when-cross-origin">'),
)
def invalid_policy(ctx: LintContext) -> Iterator[Finding]:
    """A ``referrerpolicy`` value that is not one of the WHATWG Referrer Policy values
    (``no-referrer``, ``no-referrer-when-downgrade``, ``same-origin``, ``origin``,
    ``strict-origin``, ``origin-when-cross-origin``, ``strict-origin-when-cross-origin``,
    ``unsafe-url``). Browsers ignore an invalid value, so the Referer is sent after all and a
    hot-link-protected image breaks. ``noreferrer`` (the ``rel`` keyword) is the usual typo.
    ``--fix`` corrects known typos and case."""
    for image in ctx.images:
        if image.kind != "img" or not image.has("referrerpolicy"):
            continue
        value = image.get("referrerpolicy") or ""
        if value in REFERRER_POLICIES:
            continue
        fixed = value.strip().lower()
        fixed = fixed if fixed in REFERRER_POLICIES else _POLICY_TYPOS.get(fixed.replace(" ", ""))
        fix = _set_policy_fix(ctx, image, fixed) if fixed else None
        hint = f" (did you mean {fixed!r}?)" if fixed else ""
        yield ctx.finding(image, "REF001", f"referrerpolicy {value!r} is not a valid policy{hint}", fix)


@rule(
    "REF002",
    "hotlink-needs-no-referrer",
    "warning",
    "hot-linked image needs referrerpolicy=\"no-referrer\"",
    fixable=True,
    bad=('<img alt=x src="https://image.woshipm.com/a.jpg">', '<img alt=x src="https://mmbiz.qpic.cn/a.jpg" referrerpolicy="origin">'),
    good=('<img alt=x src="https://image.woshipm.com/a.jpg" referrerpolicy="no-referrer">', '<img alt=x src="https://example.com/a.jpg">'),
)
def hotlink(ctx: LintContext) -> Iterator[Finding]:
    """An image on a host that refuses requests whose Referer is a foreign site (hot-link
    protection), without ``referrerpolicy="no-referrer"``: on any site but the original it shows
    as broken. Hosts come from a built-in list of image hosts known to do this, the ``hosts``
    setting, and, with ``--check-remote``, from asking the host. ``--fix`` adds the attribute to
    ``<img>`` tags (Markdown image syntax cannot carry it: write an ``<img>`` tag instead)."""
    hosts = tuple(HOTLINK_HOSTS) + tuple(ctx.config.hosts)
    for image in ctx.images:
        if image.kind == "metadata":
            continue
        policy = (image.get("referrerpolicy") or "").strip().lower()
        if policy == "no-referrer" or (image.kind == "img" and _POLICY_TYPOS.get(policy) == "no-referrer"):
            continue
        for url in image_urls(image):
            host = host_of(url)
            remote = ctx.remote.get(url)
            protected = host_matches(host, hosts) or (remote is not None and remote.referer_blocked)
            if protected:
                how = "refused a foreign Referer when checked" if remote is not None and remote.referer_blocked else "is known to refuse foreign Referers"
                fix = _set_policy_fix(ctx, image, "no-referrer") if image.kind == "img" else None
                yield ctx.finding(image, "REF002", f"image host {host} {how}; add referrerpolicy=\"no-referrer\"", fix)
                break


@rule(
    "NET001",
    "broken-remote-image",
    "error",
    "remote image cannot be fetched",
    bad=(),
    good=(),
)
def broken_remote(ctx: LintContext) -> Iterator[Finding]:
    """With ``--check-remote``: the image could not be fetched either with or without a Referer
    (404, 410, a refused connection, a time-out, a response that is not an image). Only reported
    when remote checks ran."""
    for image in ctx.images:
        for url in image_urls(image):
            remote = ctx.remote.get(url)
            if remote is not None and remote.broken:
                yield ctx.finding(image, "NET001", f"image {url!r} cannot be fetched ({remote.reason})")


@rule(
    "DOC001",
    "unreadable-document",
    "error",
    "document cannot be read",
    bad=("---\ntitle: Tea\ntags: [tea, city\n---\n<p>x</p>", "+++\ntitle = 'Tea\n+++\n<p>x</p>"),
    good=("---\ntitle: Tea\ntags: [tea, city]\n---\n<p>x</p>",),
)
def unreadable(ctx: LintContext) -> Iterator[Finding]:
    """The file cannot be read as a document, so none of its images were checked: malformed
    front matter (an unclosed list or quote, a tab in YAML indentation, a duplicate key), an
    integer too long to write as text (more than 4,300 digits), bytes that are not text in any
    encoding that can be determined, binary data (NUL bytes), a file over 256 MiB or one that
    cannot be opened. Reported at the file's line where the problem is (line 1 when it has
    none), beside the other files' findings, whatever ``--select`` and ``--ignore`` say: a file
    that was not read was not checked. ``--fix`` leaves the file alone; ``fmconvert convert``
    gives the same message."""
    return iter(())  # lint_bytes reports it when reading fails; a document that was read has none


def _set_policy_fix(ctx: LintContext, image: Image, value: str) -> Fix | None:
    """An edit of just this tag: replace the referrerpolicy value, or add the attribute."""
    if image.tag_start is None or image.tag_end is None:
        return None
    tag = ctx.text[image.tag_start : image.tag_end]
    m = re.search(r"""(\sreferrerpolicy)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""", tag, re.IGNORECASE)
    if m:
        start = image.tag_start + m.start()
        end = image.tag_start + m.end()
        return Fix(start, end, f' referrerpolicy="{value}"', f'set referrerpolicy="{value}"')
    close = len(tag) - 2 if tag.endswith("/>") else len(tag) - 1
    while close > 4 and tag[close - 1] in " \t\n":
        close -= 1
    pos = image.tag_start + close
    return Fix(pos, pos, f' referrerpolicy="{value}"', f'add referrerpolicy="{value}"')
