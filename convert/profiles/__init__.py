"""Profiles: what each publishing engine needs from the Markdown we write (one place for them).

| profile | engine (site generator) | typography | footnotes | notes |
|---|---|---|---|---|
| ``gfm`` (default) | cmark-gfm (GitHub) | none | yes | autolinks ``www.`` and URLs in text |
| ``commonmark`` | any CommonMark engine | none | yes | |
| ``hexo`` | marked (hexo-renderer-marked) | smartypants on by default | no: kept as HTML | ``breaks: true``; relative image paths get the site root prepended, so they stay ``<img>`` |
| ``hugo`` | goldmark | typographer on by default | yes | linkify on |
| ``jekyll`` | kramdown, GFM parser | smart quotes and symbols, always | yes | a line with ``|`` is a table row; an ``<iframe>`` is HTML only where a block starts |

Every profile writes text so that none of these engines reads more into it than the HTML had:
``|`` is escaped (kramdown makes a table of any line holding one), bare ``www.`` and URLs do not
become links (GFM autolinks), an ``&`` that could start an entity is written ``&amp;``. A profile
with a typographer escapes straight quotes, ``--``, ``...`` (and kramdown's ``<<`` ``>>``) so
the engine leaves them as they were.

Profiles also map front matter to the generator's conventions (:mod:`convert.profiles.frontmatter`).
"""

from __future__ import annotations

from dataclasses import dataclass

from convert.errors import FormatError


@dataclass(frozen=True)
class Profile:
    name: str
    engine: str
    typography: bool = False  # the engine turns "quotes", --, ... into typographic characters
    footnotes: bool = True  # the engine reads [^1] footnotes
    relative_images_as_html: bool = False  # the engine rewrites relative image paths (Hexo's prependRoot)
    # The generator puts a shortcode's output in after Markdown is read (Hugo's {{< >}}), and the
    # engine drops raw HTML (goldmark's default): [a]({{< ref "x" >}}) is the way to link to one.
    shortcode_links: bool = False
    front_matter: str = ""  # the front-matter convention (convert.profiles.frontmatter)
    inline_iframes: bool = True  # an <iframe> inside a line of text is read as HTML (kramdown: as text)


PROFILES = {
    "gfm": Profile("gfm", "cmark-gfm"),
    "commonmark": Profile("commonmark", "CommonMark"),
    "hexo": Profile("hexo", "marked", typography=True, footnotes=False, relative_images_as_html=True, front_matter="hexo"),
    "hugo": Profile("hugo", "goldmark", typography=True, shortcode_links=True, front_matter="hugo"),
    "jekyll": Profile("jekyll", "kramdown", typography=True, front_matter="jekyll", inline_iframes=False),
}
DEFAULT = "gfm"


def get_profile(name: str | None) -> Profile:
    key = (name or DEFAULT).strip().lower()
    if key not in PROFILES:
        raise FormatError(f"unknown profile {name!r}: one of {', '.join(PROFILES)}")
    return PROFILES[key]
