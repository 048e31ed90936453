"""Small functions the tag table names (``function = "..."``): each completes the parameters a
pattern read (``None``: the tag does not match after all, and is unknown). A function may set
``kind`` to hand the tag to another entry (a WordPress ``[embed]`` of a YouTube address is a
``youtube`` tag), and report what it could not resolve through ``context.warn``."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit


class Context(Protocol):
    path: str | None

    def warn(self, message: str) -> None: ...


Params = dict[str, Any]
FUNCTIONS: dict[str, Callable[[Params, Context], Params | None]] = {}


def register(name: str) -> Callable[[Callable[[Params, Context], Params | None]], Callable[[Params, Context], Params | None]]:
    def add(fn: Callable[[Params, Context], Params | None]) -> Callable[[Params, Context], Params | None]:
        FUNCTIONS[name] = fn
        return fn

    return add


def _words(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else ([value] if value else [])


_URL = re.compile(r"((([A-Za-z]{3,9}:(?://)?)(?:[-;:&=+$,\w]+@)?[A-Za-z0-9.-]+|(?:www.|[-;:&=+$,\w]+@)[A-Za-z0-9.-]+)((?:/[+~%/.\w\-_]*)?\??(?:[-+=&;%@.\w_]*)#?(?:[.!/\\w]*))?)")
_QUOTED_META = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|(.*?))(?:\s+(?:"([^"]*)"|'([^']*)'))?\s*$""", re.DOTALL)


def _img(params: Params, asset: bool) -> Params | None:
    """Hexo's ``{% img [class names] /path [width] [height] [title [alt]] %}`` (``asset_img``:
    the first word is the asset's name)."""
    words = _words(params.get("args"))
    classes: list[str] = []
    src = ""
    while words:
        word = words.pop(0)
        if asset or _URL.match(word) or word.startswith("/"):
            src = word
            break
        classes.append(word)
    if not src:
        return None
    width = height = ""
    if words and words[0].isdigit():
        width = words.pop(0)
        if words and words[0].isdigit():
            height = words.pop(0)
    meta = " ".join(words)
    m = _QUOTED_META.match(meta)
    title = alt = ""
    if meta and m:
        title = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else (m.group(3) or "")
        alt = m.group(4) if m.group(4) is not None else (m.group(5) or "")
    return {**params, "src": src, "class": " ".join(classes), "width": width, "height": height, "title": title, "alt": alt}


@register("hexo_img")
def hexo_img(params: Params, context: Context) -> Params | None:
    return _img(params, asset=False)


@register("hexo_asset_img")
def hexo_asset_img(params: Params, context: Context) -> Params | None:
    return _img(params, asset=True)


@register("code")
def code(params: Params, context: Context) -> Params | None:
    """A code block's language and title: Hexo's ``codeblock [title] [lang:x] [url] [link text]``,
    Jekyll's and Hugo's ``highlight LANG [options]``. Leading and trailing line ends of the code
    go, as every engine drops them."""
    words = _words(params.get("args"))
    lang = str(params.get("lang") or "")
    title: list[str] = []
    for word in words:
        if word.startswith("lang:"):
            lang = word[5:]
        elif re.match(r"(?:line_number|line_threshold|first_line|wrap|mark|language_attr|highlight):", word):
            continue
        elif re.match(r"https?://|/", word):
            break
        else:
            title.append(word)
    text = str(params.get("code") or "")
    text = re.sub(r"\A[\r\n]+|[\r\n]+\Z", "", text)
    if params.get("dedent"):
        import textwrap

        text = textwrap.dedent(text)
    return {**params, "lang": lang if re.fullmatch(r"[\w#+.-]+", lang) else "", "title": " ".join(title), "code": text}


@register("hexo_code")
def hexo_code(params: Params, context: Context) -> Params | None:
    return code({**params, "dedent": True}, context)


_CITE_TITLED = re.compile(r"(\S.*)\s+(https?://\S+)\s+(.+)", re.IGNORECASE)
_CITE = re.compile(r"(\S.*)\s+(https?://\S+)", re.IGNORECASE)
_AUTHOR_TITLE = re.compile(r"([^,]+),\s*([^,]+)")


@register("hexo_blockquote")
def hexo_blockquote(params: Params, context: Context) -> Params | None:
    """Hexo's ``blockquote [author[, source]] [link] [source_link_title]`` footer, as Hexo writes it."""
    from html import escape

    text = " ".join(_words(params.get("args")))
    author = source = title = ""
    if m := _CITE_TITLED.match(text):
        author, source, title = m.groups()
    elif m := _CITE.match(text):
        author, source = m.groups()
    elif m := _AUTHOR_TITLE.match(text):
        author, title = m.groups()
    else:
        author = text
    footer = f"<strong>{escape(author)}</strong>" if author else ""
    if source:
        shown = title or re.sub(r"^https?://|/(index.html?)?$", "", source)
        footer += f'<cite><a href="{escape(source, quote=True)}">{escape(shown)}</a></cite>'
    elif title:
        footer += f"<cite>{escape(title)}</cite>"
    return {**params, "footer_html": footer}


_DATED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


def _slug_of(target: str) -> tuple[str, str, str]:
    """(folder, slug, fragment) of a post named by a tag: a Hexo slug, a Jekyll post name
    (``2010-07-21-name``) or path (``_posts/2010-07-21-name.md``), a Hugo content path."""
    target, _, fragment = target.strip().partition("#")
    folder, _, name = target.strip("/").rpartition("/")
    name = re.sub(r"\.(?:md|markdown|html?|textile)$", "", name)
    if name in ("index", "_index") and folder:
        folder, _, name = folder.rpartition("/")
    name = _DATED.sub("", name)
    folder = "" if folder.strip("/") in ("", "_posts", "posts", "post", "content/posts", "source/_posts") else folder.strip("/")
    return folder, name, fragment


@lru_cache(maxsize=16)
def _posts_in(folder: str) -> dict[str, str | bool] | None:
    """The posts of ``folder`` by slug: a file's path, True for a page bundle's folder (read
    once per folder: a batch links among the same posts many times)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    found: dict[str, str | bool] = {}
    for name in names:
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            found.setdefault(name, True)
        else:
            found.setdefault(_DATED.sub("", os.path.splitext(name)[0]), full)
    return found


def _beside(path: str | None, slug: str) -> str | bool | None:
    """The post named ``slug`` in the folder of ``path`` (a path; True for a page bundle's
    folder; False: none there; None: nothing to look in)."""
    if not path or not os.path.isfile(path):
        return None
    posts = _posts_in(os.path.dirname(os.path.abspath(path)))
    if posts is None:
        return None
    found = posts.get(slug, False)
    return False if found == os.path.abspath(path) else found


def _title_of(path: str) -> str:
    """The title in the front matter of the post at ``path`` ("" when it has none or cannot be read)."""
    from convert.front import parse_front_matter, split_front_matter

    try:
        with open(path, encoding="utf-8-sig") as fh:
            head = fh.read(65536)
        metadata, _ = parse_front_matter(split_front_matter(head.replace("\r\n", "\n")))
    except Exception:  # a neighbour that cannot be read only costs its title
        return ""
    title = metadata.get("title")
    return title if isinstance(title, str) else ""


@register("post_link")
def post_link(params: Params, context: Context) -> Params | None:
    """A link to another post, by its slug: ``../slug/`` beside this one, ``/folder/slug/`` for a
    page in a folder of its own. A post not found beside this one is reported."""
    target = str(params.get("slug") or params.get("path") or "")
    if not target.strip():
        context.warn("a post link names no post; written as a link to nothing")
        return {**params, "url": "", "title": " ".join(_words(params.get("title"))) or ""}
    folder, slug, fragment = _slug_of(target)
    url = (f"/{folder}/{slug}/" if folder else f"../{slug}/") + (f"#{fragment}" if fragment else "")
    found = _beside(context.path, slug) if not folder else None
    if found is False:
        context.warn(f"post link to {target!r}: no post {slug!r} beside this one (written as {url})")
    title = " ".join(w for w in _words(params.get("title")) if w not in ("true", "false"))
    if not title:  # as Hexo's post_link writes it: the post's title
        title = (_title_of(found) if isinstance(found, str) else "") or slug
    return {**params, "url": url, "title": title}


@register("asset_link")
def asset_link(params: Params, context: Context) -> Params | None:
    title = " ".join(w for w in _words(params.get("title")) if w not in ("true", "false"))
    return {**params, "title": title or str(params.get("slug") or "")}


@register("literal")
def literal(params: Params, context: Context) -> Params | None:
    """A filter over a quoted string (``{{ "/a.png" | relative_url }}``): the string; over a
    variable (``{{ page.url | relative_url }}``) nothing can be said."""
    value = str(params.get("path") or "")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return {**params, "path": value[1:-1]}
    return None


@register("figure")
def figure(params: Params, context: Context) -> Params | None:
    """Hugo's figure: the title and caption under the image, the caption as alt text when
    there is none."""
    if not params.get("src"):
        return None
    caption = " ".join(str(params.get(k) or "") for k in ("title", "caption") if params.get(k))
    return {**params, "figcaption": caption, "alt": params.get("alt") or params.get("caption") or ""}


def youtube_id(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        return parts.path.strip("/").split("/")[0]
    if host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path.startswith(("/embed/", "/shorts/", "/v/", "/live/")):
            return parts.path.split("/")[2]
        return (parse_qs(parts.query).get("v") or [""])[0]
    return ""


@register("youtube")
def youtube(params: Params, context: Context) -> Params | None:
    value = str(params.get("id") or "")
    found = youtube_id(value) if "/" in value else value
    return {**params, "id": found} if re.fullmatch(r"[\w-]{6,20}", found) else None


@register("wp_embed")
def wp_embed(params: Params, context: Context) -> Params | None:
    url = str(params.get("url") or params.get("src") or "").strip()
    found = youtube_id(url)
    if found:
        return {"kind": "youtube", "id": found}
    return {**params, "url": url} if url else None


_IMG = re.compile(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", re.IGNORECASE)


@register("wp_caption")
def wp_caption(params: Params, context: Context) -> Params | None:
    """``[caption ...]<img ...> Text[/caption]``: the image (and its link) and the caption."""
    content = str(params.get("content_html") or "")
    m = _IMG.search(content)
    if m is None:
        return None
    caption = (content[: m.start()] + content[m.end() :]).strip()
    return {**params, "image_html": m.group(0), "caption_html": caption}


@register("wp_media")
def wp_media(params: Params, context: Context) -> Params | None:
    for key in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav", "wmv", "flv"):
        if params.get(key):
            return {**params, "src": params[key]}
    return None


@register("wp_gallery")
def wp_gallery(params: Params, context: Context) -> Params | None:
    ids = str(params.get("ids") or params.get("include") or "")
    context.warn(f"a WordPress [gallery{' ids=' + repr(ids) if ids else ''}] cannot be written without the site's media library; left out")
    return params
