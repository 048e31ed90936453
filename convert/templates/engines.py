"""Which engine a post's template code is written for (``--source-engine auto``).

``auto`` reads the post: Hugo's shortcodes with a name (or its ``{{</* */>}}`` escape) say Hugo;
Hexo's own tags (``asset_img``, ``post_link``, ``codeblock`` ...) or ``;;;`` front matter say
Hexo; Jekyll's Liquid filters (``| relative_url``), ``post_url``, ``highlight``,
``site.baseurl``, a ``_posts/YYYY-MM-DD-`` file name (in Markdown also ``{% raw %}``) say
Jekyll; a WordPress export's keys (``wp_id``, ``wordpress_id``) or ``[caption id="attachment_``
say WordPress. Signs in code blocks and inline code do not count (a tutorial shows them). The
most signs win; a post without any is ``none``: what it shows is all text (an RSS-to-blog page,
a saved article: the HTML is what was published).
"""

from __future__ import annotations

import re
from typing import Any

SOURCES = ("auto", "none", "hexo", "jekyll", "hugo", "wordpress")

_SIGNS = {
    "hugo": ("{{", re.compile(r"\{\{[<%]\s*/?\s*[A-Za-z_][\w.-]*|\{\{[<%]/\*")),
    "hexo": (
        "{%",
        re.compile(
            r"\{%-?\s*(?:asset_img|asset_link|asset_path|post_link|post_path|codeblock|include_code|pullquote|iframe|jsfiddle|youtube|vimeo|img|blockquote|url_for|full_url_for)\b"
        ),
    ),
    "jekyll": (
        "{",
        re.compile(
            r"\{\{[^{}]{0,300}?\|\s*(?:relative_url|absolute_url|markdownify|jsonify|slugify|date_to_string|date_to_xmlschema|xml_escape|cgi_escape|uri_escape|number_of_words|where_exp|sort_natural)\b"
            r"|\{%-?\s*(?:post_url|highlight|include_relative)\b|\{\{-?\s*site\.baseurl\b"
        ),
    ),
}
_CAPTION = re.compile(r"\[caption\s+id=[\"']attachment_")
_PRE = re.compile(r"<pre\b[\s\S]*?</pre\s*>", re.IGNORECASE)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}")
WP_KEYS = ("wp_id", "wordpress_id", "wp:post_id", "wp_post_id", "wp_status")
_JEKYLL_NAME = re.compile(r"(?:^|[/\\])_posts[/\\](?:[^/\\]+[/\\])*\d{4}-\d{2}-\d{2}-[^/\\]+$")


def _outside_code(markup: str, language: str) -> str:
    """``markup`` with its code blanked: template code shown in a code block (a tutorial's
    ``{{% notice %}}``) says nothing of the post's engine."""
    from convert.templates.spans import code_ranges

    ranges = [(m.start(), m.end()) for m in _PRE.finditer(markup)]
    ranges += code_ranges(markup, language)
    if not ranges:
        return markup
    out, last = [], 0
    for a, b in sorted(ranges):
        if a >= last:
            out.append(markup[last:a])
            last = b
        elif b > last:
            last = b
    out.append(markup[last:])
    return " ".join(out)


def detect(markup: str, metadata: dict[str, Any] | None = None, path: str | None = None, frontmatter_style: str | None = None, language: str = "html") -> str:
    """The engine ``markup`` is written for (``none`` when no template code says). In Markdown,
    ``{% raw %}`` says Jekyll too (our Markdown for Jekyll writes it); in published HTML it
    would have been consumed, so there it is shown text."""
    scores: dict[str, int] = {}
    if "{" in markup and ("<code" in markup or "<pre" in markup or language == "markdown"):
        markup = _outside_code(markup, language)
    if "{" in markup:
        for engine, (needle, sign) in _SIGNS.items():
            scores[engine] = len(sign.findall(markup)) if needle in markup else 0
        if language == "markdown" and "raw" in markup:
            scores["jekyll"] += len(_RAW.findall(markup))
    if "[caption" in markup:
        scores["wordpress"] = len(_CAPTION.findall(markup))
    if metadata and any(key in metadata for key in WP_KEYS):
        scores["wordpress"] = scores.get("wordpress", 0) + 2
    if frontmatter_style in ("hexo-json", ";;;"):
        scores["hexo"] = scores.get("hexo", 0) + 2
    if path and _JEKYLL_NAME.search(path):
        scores["jekyll"] = scores.get("jekyll", 0) + 2
    best = max(scores.items(), key=lambda item: item[1], default=("none", 0))
    return best[0] if best[1] > 0 else "none"
