"""Property: for any metadata and body, html -> json -> html -> read gives them back."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import convert
from convert.model import Document, same_value
from tests.conftest import examples

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\t -:#'\"{}[]&<>*|!%@`"),
    max_size=30,
)
_key = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_tz = st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-7, minutes=-30))])
_scalar = (
    _text
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.dates(min_value=dt.date(1000, 1, 1))
    | st.builds(lambda d, tz: d.replace(tzinfo=tz), st.datetimes(min_value=dt.datetime(1000, 1, 1)), _tz)
)
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_key, inner, max_size=4), max_leaves=12)
_metadata = st.dictionaries(_key, _value, max_size=8)

_body = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\n<p></p><div>&amp;&#123;--- +++ ;;; {}"),
    max_size=200,
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(metadata=_metadata, body=_body)
def test_html_json_html_is_lossless(metadata, body):
    html = convert.write(Document(metadata, body_html=body), "html")
    first = convert.read(html, "html")
    assert same_value(first.metadata, metadata)
    assert first.body_html() == body
    via_json = convert.read(convert.write(first, "json"), "json")
    again = convert.read(convert.write(via_json, "html"), "html")
    assert same_value(again.metadata, metadata)
    assert again.body_html() == body


# Markdown written from HTML has no trailing spaces, and reading it back and writing it again
# gives the same bytes (md -> html -> md), on the shapes real pages broke: an emphasis, link,
# code span or image followed by spaces (no-break spaces too) and a <br> or the end of a block,
# spans that hold only a space or a break, ideographic indents, carriage returns (&#13;, &#xD;), in paragraphs, list items, quotes, table
# cells, headings, code blocks and HTML blocks, CJK and ASCII.
_WORD = st.sampled_from(["SMB v3 服务器支持", "word", "其余内容", "x", "。", "!"])
_GAP = st.sampled_from(["", " ", "  ", "\n", "\t", "<span> </span>", "<span></span>", "<!-- c -->", "<font> </font>", "&#13;", "&#xD;&#10;", "&nbsp;", "\u3000\u3000"])
_INLINE_PIECE = st.one_of(
    _WORD,
    _GAP,
    st.just("<br>"),
    st.builds(lambda tag, lead, word, trail: f"<{tag}>{lead}{word}{trail}</{tag}>", st.sampled_from(["strong", "em", "b"]), _GAP, _WORD, _GAP),
    st.builds(lambda word, trail: f'<a href="https://example.com/p">{word}{trail}</a>', _WORD, st.sampled_from(["", " ", "<br>"])),
    st.builds(lambda w, gap: f"<code>{w}{gap}{w}</code>", _WORD, st.sampled_from(["", "&#13;", "&#13;\n", "&#xD;"])),
    st.just('<img src="pic.png" alt="a picture">'),
)
_INLINE_RUN = st.recursive(
    st.lists(_INLINE_PIECE, min_size=1, max_size=6).map("".join),
    lambda inner: st.lists(inner | inner.map(lambda s: f"<span>{s}</span>"), min_size=1, max_size=3).map("".join),
    max_leaves=4,
)
_SPACE_BLOCKS = [
    "<p>{}</p>",
    "<div>{}<p>after</p></div>",
    "<ul><li>{}</li><li>next</li></ul>",
    "<blockquote><p>{}</p></blockquote>",
    "<table><tr><th>{}</th></tr><tr><td>cell</td></tr></table>",
    "<h2>{}</h2>",
    "<pre>{}</pre>",  # as a code block, or kept as HTML when it holds a link or an image
    "<dl><dt>{}</dt><dd>kept as HTML</dd></dl>",
]


def _md_fixed_point(html: str, profile: str = "gfm", source_engine: str | None = None) -> bytes:
    """The Markdown of ``html``, checked: no line ends in white space (code aside: its spaces
    are its own), and md -> html -> md gives it back (read back in memory, and through an HTML
    file). ``source_engine``: the engine the template code of ``html`` and of the Markdown read
    back is written for (convert.templates; by default detected)."""
    import re

    engine = {} if source_engine is None else {"source_engine": source_engine}
    markdown = convert.write(convert.read(html.encode(), "html"), "markdown", profile=profile, **engine)
    code = re.compile(r"^ *(`{3,})[^`]*$\n.*?^ *\1 *$|<pre[ >].*?</pre>", re.MULTILINE | re.DOTALL)
    lines = re.split(r"\r\n|\r|\n", code.sub("code", markdown.decode()))
    assert [line for line in lines if line != line.rstrip()] == []  # a no-break space too
    assert convert.write(convert.read(markdown, "markdown"), "markdown", profile=profile, **engine) == markdown
    through = {"profile": profile, **engine} if engine else {}
    html = convert.write(convert.read(markdown, "markdown"), "html", **through)  # through an HTML file
    assert convert.write(convert.read(html, "html"), "markdown", profile=profile, **engine) == markdown
    return markdown


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_INLINE_RUN, st.sampled_from(_SPACE_BLOCKS))
@example("<strong>SMB v3 服务器支持</strong> <br>其余内容", _SPACE_BLOCKS[0])
@example("<strong>SMB v3 服务器支持</strong>&nbsp;", _SPACE_BLOCKS[0])  # a no-break space, which engines trim
@example("<strong>SMB v3 服务器支持</strong>&nbsp;<br>其余内容", _SPACE_BLOCKS[2])
@example("\u3000\u3000段首缩进", _SPACE_BLOCKS[3])
@example("<strong>粗体</strong> <span> </span> <br>下一行", _SPACE_BLOCKS[0])  # an empty piece hid the space before
@example("一行<span>前面<br><br>后面</span>", _SPACE_BLOCKS[0])  # two breaks in a span: a paragraph once read back
@example("<code>x</code><br> x", _SPACE_BLOCKS[5])
@example("a<br><span> </span><br>b", _SPACE_BLOCKS[0])  # a span of a space between two breaks
def test_markdown_has_no_trailing_spaces_and_is_a_fixed_point(run, block):
    _md_fixed_point(block.format(run))


# Link destinations and image sources: share links with query strings, "&amp;", spaces,
# parentheses (paired or not), "<", ">", backslashes, quotes, "%" escapes (upper or lower case,
# of ASCII or UTF-8, or none), raw CJK, entity look-alikes, links the engine refuses, template
# code (Liquid, Hugo shortcodes). The Markdown renders to the source's address (as engines spell
# it; template code as written) and is a fixed point, in every profile. The post's template code
# is the profile's own generator's (gfm: none, all of it text): its code is kept live as written,
# any other shown as text, an address percent-encoded (convert.templates), which reads back the same.
_URL_PART = st.sampled_from(
    [*"ab/?=&()\\%'`#+|[]^~*_:@;,$!", "&amp;", " ", "&lt;", "&gt;", "&quot;", "%20", "%26", "%2F", "%E6%A0%87", "%e7%bb%bf", "%E6%A0",
     "标题", "&amp;copy;", "&#13;", "&#xD;", "&nbsp;", "\u3000", "url=https%3A%2F%2Fexample.com%2Fp%2F1&amp;title=%E6%A0%87+%26+more&amp;pic=",
     "{{ post.url }}", "{% post_url 2020-01-01-x %}", '{{< relref "/docs" >}}', '{{% ref "faq" %}}', "{{ a > b }}"]
)
_URL_BASE = st.sampled_from(
    ["https://service.weibo.com/share/share.php?", "https://example.com/", "https://例子.cn/p?", "http://[::1]:8080/", "/relative/", "",
     "mailto:someone@example.com?subject=", "javascript:void(0);", "data:text/plain,", "data:image/png;base64,", "https://xn--fsqu00a.cn/"]
)
_HREF = st.builds(lambda base, parts: base + "".join(parts), _URL_BASE, st.lists(_URL_PART, max_size=10))
_TITLE = st.sampled_from([None, "a &amp;amp; b", "say &quot;hi&quot;", "two\nlines", "CR&#13;LF", "back\\slash &copy;"])


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HREF, st.sampled_from(["分享到微博", "link", None]), _TITLE, st.sampled_from(["gfm", "hugo", "jekyll"]))
@example("https://service.weibo.com/share/share.php?url=https%3A%2F%2Fexample.com%2Fp%2F1&amp;title=%E6%A0%87%E9%A2%98+%26+more&amp;pic=&amp;appkey=&amp;searchPic=true", "分享到微博", None, "gfm")
@example("https://example.com/a%20b", None, None, "gfm")  # an autolink would show "a b"
@example('{{< relref "/docs" >}}', "the docs", None, "jekyll")  # Liquid to Jekyll: raw HTML, single-quoted
@example('{{< relref "/docs" >}}', "the docs", None, "gfm")  # text: percent-encoded
@example('{{< relref "/docs" >}}', "the docs", None, "hugo")  # Hugo's own [text]({{< relref "x" >}})
def test_link_destinations_render_as_the_source_and_are_fixed_points(href, text, title, profile):
    from convert.templates import attach
    from tests.render_engines import _url

    attrs = f'href="{href}"' + (f' title="{title}"' if title is not None else "")
    body = f'<p>see <a {attrs}>{href if text is None else text}</a> and <img src="{href}" alt="pic"></p>'
    engine = {"profile": profile, "source_engine": profile if profile in ("hugo", "jekyll") else "none"}

    def read(data: bytes, fmt: str) -> Document:  # as the profile's generator reads it (a browser: gfm)
        doc = convert.read(data, fmt)
        attach(doc, engine)
        return doc

    source = read(body.encode(), "html")
    back = read(_md_fixed_point(body, profile, engine["source_engine"]), "markdown")

    def view(doc: Document) -> dict[str, list]:  # template code put back (each document numbers its own)
        put_back = doc.restore_templates
        return {
            "href": [_url(put_back(a.get("href"))) for a in doc.body.iter("a")],
            "src": [_url(put_back(i.get("src"))) for i in doc.body.iter("img")],
            "title": [put_back(a.get("title") or "") for a in doc.body.iter("a")],
            "text": [" ".join(put_back(a.text_content()).split()) for a in doc.body.iter("a")],
        }

    assert view(back) == view(source)
