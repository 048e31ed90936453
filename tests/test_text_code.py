"""Code in plain text (``-t text``): a code block shows the code a browser shows, line for line,
wherever it stands (a list, a quote, a highlighter's table) and however the body was read (held
code, a large body parsed in pieces). Two oracles: the code written by hand as a browser shows
it, and the code block of the Markdown writer (``-t md``) where it writes one."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from convert import api
from convert.formats import WriteOptions
from tests.conftest import examples

#: pieces of a line of code, and what a browser shows of each: ``<Object>``, ``<Map>`` and
#: ``<Button>`` are elements (their content is the rest of the code), ``<Foo>`` is no element
#: a browser knows (fmconvert keeps it as the text it lost its escaping from)
_WORDS = {
    "List<Object> xs": "List xs",
    "Set<Map> seen": "Set seen",
    "Optional<Button> b": "Optional b",
    "Item<Foo> i": "Item<Foo> i",
    "new ArrayList<>();": "new ArrayList<>();",
    "a &lt; b &amp;&amp; c > d": "a < b && c > d",
    "# not a heading": "# not a heading",
    "&gt; not a quote": "> not a quote",
    "print(x)": "print(x)",
    "中文注释": "中文注释",
    "a_rather_long_name = compute(alpha, beta, gamma)": "a_rather_long_name = compute(alpha, beta, gamma)",
    "    ": "    ",
}
_LINE = st.lists(st.sampled_from(sorted(_WORDS)), max_size=4)
#: where a code block stands; md: whether the Markdown writer writes it as a fenced block
_PLACES = {
    "pre": ("<pre>{}</pre>", True),
    "pre-code": ('<pre><code class="language-java">{}</code></pre>', True),
    "list": ("<ul><li>Step:<pre>{}</pre></li><li>next</li></ul>", True),
    "list-first": ("<ul><li><pre>{}</pre></li><li>next</li></ul>", True),
    "quote-in-list": ("<ol><li>item<blockquote><pre>{}</pre></blockquote></li></ol>", True),
    "nested-list": ("<ol><li>a<ul><li>b<pre><code>{}</code></pre></li></ul></li></ol>", True),
    "quote": ("<blockquote><p>q</p><pre>{}</pre></blockquote>", True),
    "nested-quote": ("<blockquote><blockquote><pre>{}</pre></blockquote></blockquote>", True),
    "table-cell": ("<table><tr><th>Step</th><th>Code</th></tr><tr><td>Load</td><td><pre>{}</pre></td></tr></table>", False),
    "code-table": ('<figure class="highlight java"><table><tr><td class="gutter"><pre>1<br>2</pre></td><td class="code"><pre>{}</pre></td></tr></table></figure>', True),
}


def _write(body: str, to: str, *, hold: bool = False, **extra: object) -> str:
    document = api.read(("---\ntitle: T\n---\n<p>Intro.</p>\n" + body + "\n<p>After.</p>\n").encode(), "html", path="post.html")
    document.hold_code = hold
    return api.write(document, to, options=WriteOptions(extra={"no_download_images": True, **extra})).decode()


def text_code(text: str) -> list[str]:
    """The lines of the code block that opens with BEGIN and ends with END, its indent gone."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if "BEGIN" in line)
    last = next(i for i, line in enumerate(lines) if "END" in line and i >= first)
    indent = lines[first].index("BEGIN")
    assert all(not line[:indent].strip() for line in lines[first : last + 1]), lines[first : last + 1]
    return [line[indent:].rstrip() for line in lines[first : last + 1]]


def md_code(md: str) -> list[str]:
    """The same from the Markdown writer's fenced block, its container's marks gone."""
    lines = md.split("\n")
    first = next(i for i, line in enumerate(lines) if "BEGIN" in line)
    # the fence's line opens with the container's marks; a list item's mark is spaces after it
    prefix = re.sub(r"[-*+] |\d+[.)] ", lambda m: " " * len(m.group()), lines[first - 1][: lines[first - 1].index("```")])
    last = next(i for i, line in enumerate(lines) if "END" in line and i >= first)
    assert lines[last + 1].strip(" >") == "```", "not a fenced block"
    out = []
    for line in lines[first : last + 1]:
        assert line.startswith(prefix) or line == prefix.rstrip(), (prefix, line)
        out.append(line[len(prefix) :].rstrip())
    return out


def _check(lines: list[list[str]], place: str, separator: str, hold: bool, width: int = 0) -> None:
    markup = separator.join(["BEGIN", *(" ".join(words) for words in lines), "END"])
    if hold:  # highlighted, as highlighters write code (held out of the tree when nothing else is in it)
        markup = separator.join(f'<span class="hljs-line">{line}</span>' for line in markup.split(separator))
    shape, fenced = _PLACES[place]
    body = shape.format(markup)
    shown = [" ".join(_WORDS[w] for w in words).rstrip() for words in lines]
    # what a browser shows: an element that opens on a line holds the rest of the code
    expected = ["BEGIN", *shown, "END"]
    assert text_code(_write(body, "text", hold=hold, text_width=width)) == expected
    if fenced:
        assert md_code(_write(body, "md", hold=hold)) == expected


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(_LINE, max_size=6),
    place=st.sampled_from(sorted(_PLACES)),
    separator=st.sampled_from(["<br>", "\n"]),
    hold=st.booleans(),
    width=st.sampled_from([0, 24]),  # --text-width wraps prose, never code
)
@example(lines=[["print(x)"], [], [], ["print(x)"]], place="pre-code", separator="\n", hold=False, width=0)  # two blank lines (PEP 8)
@example(lines=[["a_rather_long_name = compute(alpha, beta, gamma)"]], place="quote", separator="<br>", hold=False, width=24)
def test_code_in_text_is_the_code_a_browser_shows(lines, place, separator, hold, width, monkeypatch):
    import convert.html.held

    monkeypatch.setattr(convert.html.held, "MIN_TAGS", 0)  # every eligible block held, however small
    _check(lines, place, separator, hold, width)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<p>Call <code>register(List<Object> xs)</code> once.</p>", "Call register(List xs) once."),
        ('<p>A <code><Button type="submit">Save</Button></code> button.</p>', "A Save button."),
        ("<p>It printed <samp>List<Object> of 3</samp>.</p>", "It printed List of 3."),
        ("<p>Keep <code>Set<Map> seen</code> and <code>Vec<Option<u8>></code>.</p>", "Keep Set seen and Vec<Option<u8>>."),
    ],
)
def test_inline_code_keeps_what_a_browser_shows(body, expected):
    text = _write(body, "text")
    assert re.sub(r"\s+", " ", text).strip() == f"T Intro. {expected} After."


def test_outside_code_an_object_or_a_button_is_still_not_text():
    text = _write('<p>Before <button>Click me</button> after.</p><object data="x.swf">fallback</object>', "text")
    assert "Click me" not in text and "fallback" not in text and "Before after." in text


def test_a_large_body_read_in_pieces_keeps_every_code_block(monkeypatch):
    """The same code blocks between paragraphs, the body parsed from pieces and laid out a part
    at a time (sizes made small so a small body takes that path)."""
    import convert.html.parse
    import convert.plaintext

    monkeypatch.setattr(convert.html.parse, "_FEED", 2000)
    monkeypatch.setattr(convert.html.parse, "STREAM_FROM", 4000)
    monkeypatch.setattr(convert.plaintext, "_PART", 1500)
    code = "BEGIN<br>List<Object> xs = load();<br>for (Item<Foo> i : xs) {<br>    i.run();<br>}<br>END"
    expected = ["BEGIN", "List xs = load();", "for (Item<Foo> i : xs) {", "    i.run();", "}", "END"]
    blocks = [_PLACES[place][0].format(code) for place in sorted(_PLACES)]
    body = "".join(f"<p>{'Filler text, ' * 60}{i}</p>\n{block}\n" for i, block in enumerate(blocks * 3))
    for consume in (False, True):
        text = _write(body, "text", consume_body=consume)
        lines = text.split("\n")
        starts = [i for i, line in enumerate(lines) if "BEGIN" in line]
        assert len(starts) == len(blocks) * 3
        for i in starts:
            assert text_code("\n".join(lines[i:])) == expected


def test_html_escapes_in_code_are_decoded_once():
    text = _write("<pre>BEGIN<br>&amp;lt;b&amp;gt; is written &lt;b&gt;<br>END</pre>", "text")
    assert text_code(text) == ["BEGIN", "&lt;b&gt; is written <b>", "END"]
