"""``--profile hugo|jekyll|hexo``: front matter in a language the generator reads, its fields in
the generator's conventions, no value that fails the build (convert/profiles/blocks.py and
frontmatter.py; the real builds are in tests/test_sites.py and tests/test_site_posts.py).
Expected blocks are written by hand from what each generator was seen to read."""

from __future__ import annotations

import datetime as dt

import pytest

import convert
from tests.conftest import run_cli

UTC = dt.timezone.utc


def front(text: str, profile: str, **extra: object) -> tuple[str, list[str]]:
    """The output's text up to its body's first line ("Body."), and the warnings."""
    options = convert.WriteOptions(extra={"profile": profile, **extra})
    out = convert.write(convert.read(text.encode(), "html", path="p.html"), "markdown", options=options).decode()
    return out[: out.index("Body.")], options.warnings


BODY = "<p>Body.</p>\n"


@pytest.mark.parametrize(
    ("source", "profile", "expected"),
    [
        # YAML closed by "..." (Hugo fails the build, Hexo reads it as Markdown), opened by
        # "----" (Hugo fails, Jekyll does not read it): plain "---" fences, entries as written
        ("---\ntitle: Dots\n...\n", "hugo", "---\ntitle: Dots\n---\n\n"),
        ("---\ntitle: Dots\n...\n", "hexo", "---\ntitle: Dots\n---\n\n"),
        ("----\ntitle: Four\n----\n", "jekyll", "---\ntitle: Four\n---\n\n"),
        # Jekyll reads YAML only, from the first byte
        ('+++\ntitle = "T"\nweight = 3\n+++\n', "jekyll", "---\ntitle: T\nweight: 3\n---\n\n"),
        ('{"title": "T", "weight": 3}\n', "jekyll", "---\ntitle: T\nweight: 3\n---\n\n"),
        ('"title": "T",\n"weight": 3\n;;;\n', "jekyll", "---\ntitle: T\nweight: 3\n---\n\n"),
        ("\n\n---\ntitle: T\n---\n", "jekyll", "---\ntitle: T\n---\n\n"),
        # Hugo keeps TOML and JSON objects as they came; Hexo's JSON becomes an object
        ('+++\ntitle = "T"\n+++\n', "hugo", '+++\ntitle = "T"\n+++\n\n'),
        ('{"title": "T"}\n', "hugo", '{"title": "T"}\n\n'),
        ('"title": "T",\n"weight": 3\n;;;\n', "hugo", '{\n  "title": "T",\n  "weight": 3\n}\n\n'),
        (';;;\n"title": "T"\n;;;\n', "hugo", '{\n  "title": "T"\n}\n\n'),
        # Hexo keeps its own JSON, and gets YAML for TOML and a JSON object
        ('"title": "T",\n"weight": 3\n;;;\n', "hexo", '"title": "T",\n"weight": 3\n;;;\n\n'),
        (';;;\n"title": "T"\n;;;\n', "hexo", ';;;\n"title": "T"\n;;;\n\n'),
        ('+++\ntitle = "T"\n+++\n', "hexo", "---\ntitle: T\n---\n\n"),
        ('{"title": "T", "tags": ["a"]}\n', "hexo", "---\ntitle: T\ntags:\n- a\n---\n\n"),
        # an empty block: Hexo shows "---" "---" as two rules, and needs none here
        ("---\n---\n", "hexo", ""),
        ("---\n---\n", "jekyll", "---\n---\n\n"),
    ],
)
def test_the_block_is_in_a_language_the_generator_reads(source, profile, expected):
    assert front(source + BODY, profile) == (expected, [])


def test_values_keep_their_types_when_the_language_changes():
    out, _ = front("+++\ndate = 2012-03-04T21:15:00+08:00\nday = 2012-03-04\ncount = 3\nratio = 0.5\nflag = true\nlabel = '2020'\n+++\n" + BODY, "jekyll")
    meta = convert.read(out.encode() + b"Body.\n", "markdown").metadata
    assert meta == {
        "date": dt.datetime(2012, 3, 4, 21, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "day": dt.date(2012, 3, 4),
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "label": "2020",
    }
    out, _ = front('{"title": "T", "date": "2019-06-21T07:00:00Z", "year": "2019"}\n' + BODY, "hexo")
    assert out == "---\ntitle: T\ndate: '2019-06-21T07:00:00Z'\nyear: '2019'\n---\n\n"  # strings stay strings


def test_a_language_asked_for_is_written_with_a_warning_when_the_generator_does_not_read_it():
    assert front("---\ntitle: T\n---\n" + BODY, "jekyll", front_matter="toml")[1] == []  # (no such option in extra)
    options = convert.WriteOptions(front_matter="toml", extra={"profile": "jekyll"})
    out = convert.write(convert.read(("---\ntitle: T\n---\n" + BODY).encode(), "html"), "markdown", options=options).decode()
    assert out.startswith('+++\ntitle = "T"\n+++\n')
    assert options.warnings == ["front matter: Jekyll does not read TOML front matter; written as asked (--front-matter)"]
    options = convert.WriteOptions(front_matter="json", extra={"profile": "hexo"})
    out = convert.write(convert.read(("---\ntitle: T\n---\n" + BODY).encode(), "html"), "markdown", options=options).decode()
    assert out.startswith('"title": "T"\n;;;\n') and options.warnings == []  # the JSON Hexo reads


def test_a_post_without_front_matter_gets_an_empty_block_where_the_generator_would_misread_it():
    diff = "<pre><code>--- a/x.py\n+++ b/x.py\n</code></pre>\n"
    # Hexo takes the text before a line starting with "---" for front matter
    assert convert.write(convert.read(diff.encode(), "html"), "markdown", profile="hexo").decode().startswith("---\n{}\n---\n```\n--- a/x.py")
    assert convert.write(convert.read(b"<p>Plain.</p>", "html"), "markdown", profile="hexo") == b"Plain.\n"
    # Hugo takes a post starting with "-" (a list) for front matter
    assert convert.write(convert.read(b"<ul><li>one</li></ul>", "html"), "markdown", profile="hugo") == b"---\n---\n- one\n"
    assert convert.write(convert.read(b"<ul><li>one</li></ul>", "html"), "markdown", profile="jekyll") == b"- one\n"
    # The first character is the one the generator reads, template code put back: "{{ ... }}"
    # opens the post, and Hugo would read "{" as a JSON block
    assert convert.write(convert.read(b"<p>{{ site.title }} and more</p>", "html"), "markdown", profile="hugo").startswith(b"---\n---\n")


@pytest.mark.parametrize(
    ("profile", "value", "expected"),
    [
        ("hugo", "2013/7/13 20:46:25", dt.datetime(2013, 7, 13, 20, 46, 25, tzinfo=UTC)),  # Hugo fails on it as written
        ("hugo", "2021-8-7", dt.datetime(2021, 8, 7, tzinfo=UTC)),
        ("hugo", "May 13, 2023", dt.datetime(2023, 5, 13, tzinfo=UTC)),
        ("jekyll", "2023年5月13日 10:30", dt.datetime(2023, 5, 13, 10, 30, tzinfo=UTC)),
        ("jekyll", "Sat, 13 May 2023 08:00:00 +0800", dt.datetime(2023, 5, 13, tzinfo=UTC)),
        ("hexo", "2023年5月13日", dt.datetime(2023, 5, 13)),  # Hexo reads a zone-less time in the site's zone
        ("hexo", "2013/7/13 20:46:25", "2013/7/13 20:46:25"),  # Hexo reads it: as written
    ],
)
def test_dates_become_what_the_generator_reads(profile, value, expected):
    out, warnings = front(f"---\ntitle: T\ndate: '{value}'\n---\n" + BODY, profile)
    assert convert.read(out.encode() + b"Body.\n", "markdown").metadata["date"] == expected and warnings == []


def test_a_date_no_generator_reads_is_left_out_with_a_warning():
    for profile in ("hugo", "jekyll"):
        out, warnings = front("---\ntitle: T\ndate: yesterday\nupdated:\n---\n" + BODY, profile)
        assert out == "---\ntitle: T\n---\n\n"
        assert warnings == [f"front matter: date 'yesterday' is no date {profile.title()} reads; left out"]
    out, _ = front("---\ntitle: T\ndate: 1683936000\n---\n" + BODY, "jekyll")  # Jekyll fails on a number; Hugo reads Unix time
    assert "date: 2023-05-13 00:00:00+00:00\n" in out
    assert front("---\ntitle: T\ndate: 1683936000\n---\n" + BODY, "hugo")[0] == "---\ntitle: T\ndate: 1683936000\n---\n\n"


def test_modified_dates_drafts_and_redirects_get_each_generators_names():
    source = "---\ntitle: T\nupdated: 2022/1/2 03:04:05\npublished: false\nredirect_from: [/old/, 'https://old.example.com/x/']\n---\n" + BODY
    out, warnings = front(source, "hugo")
    assert out == "---\ntitle: T\nlastmod: 2022-01-02 03:04:05+00:00\naliases:\n- /old/\ndraft: true\n---\n\n"
    assert warnings == ["front matter: aliases 'https://old.example.com/x/' is not a path of this site (Hugo fails on it); left out"]
    out, _ = front("---\ntitle: T\nlastmod: 2022-01-02T03:04:05Z\ndraft: true\naliases: /old/\n---\n" + BODY, "jekyll")
    assert out == "---\ntitle: T\nlast_modified_at: 2022-01-02 03:04:05+00:00\nredirect_from:\n- /old/\npublished: false\n---\n\n"
    out, _ = front("---\ntitle: T\nlast_modified_at: 2022-01-02 03:04:05\ndraft: false\n---\n" + BODY, "hexo")
    assert out == "---\ntitle: T\nupdated: 2022-01-02 03:04:05\n---\n\n"


@pytest.mark.parametrize("root", ["/", "''", "/index.html", "/./", "/#top"])
def test_a_permalink_to_the_site_root_is_never_an_alias_nor_a_permalink(root):
    for profile in ("hugo", "jekyll", "hexo"):
        out, warnings = front(f"---\ntitle: T\npermalink: {root}\n---\n" + BODY, profile)
        assert out == "---\ntitle: T\n---\n\n", profile
        assert len(warnings) == 1 and "names the site's root" in warnings[0]
    out, warnings = front("---\ntitle: T\npermalink: /2013/07/tea/\n---\n" + BODY, "hugo")
    assert out == "---\ntitle: T\npermalink: /2013/07/tea/\naliases:\n- /2013/07/tea/\n---\n\n" and warnings == []
    out, warnings = front("---\ntitle: T\naliases: ['/', /old/]\n---\n" + BODY, "hugo")
    assert out == "---\ntitle: T\naliases:\n- /old/\n---\n\n" and warnings == ["front matter: aliases '/' names the site's root; left out"]


def test_terms_are_lists_of_text():
    out, _ = front("---\ntitle: T\ncategories: Hacker News\ntags: [2021, [tea, city], tea]\n---\n" + BODY, "hugo")
    assert out == "---\ntitle: T\ncategories:\n- Hacker News\ntags:\n- '2021'\n- tea\n- city\n---\n\n"
    out, _ = front("---\ntitle: T\ncategories: life notes\n---\n" + BODY, "jekyll")
    assert out == "---\ntitle: T\ncategories:\n- life\n- notes\n---\n\n"  # as Jekyll splits a string
    out, _ = front("---\ntitle: T\ncategories: [[a, b], c]\n---\n" + BODY, "hexo")
    assert out == "---\ntitle: T\ncategories: [[a, b], c]\n---\n\n"  # Hexo's hierarchy, as written


def test_hugo_images_name_each_image_once():
    out, _ = front("---\ntitle: T\nheadimg: https://img.example.com/a.jpg\nthumbnail: https://img.example.com/a.jpg\n---\n" + BODY, "hugo")
    assert out.endswith("images:\n- https://img.example.com/a.jpg\n---\n\n")


def test_the_cli_prints_the_warnings_and_keeps_a_blank_line_out_of_jekyll_html(tmp_path):
    post = tmp_path / "p.html"
    post.write_text("\n---\ntitle: T\ndate: yesterday\n---\n<p>Body.</p>\n", encoding="utf-8")
    result = run_cli("convert", str(post), "-t", "html", "--profile", "jekyll")
    assert result.returncode == 0 and result.stdout.startswith(b"---\ntitle: T\n---\n<p>Body.</p>")
    assert "date 'yesterday' is no date Jekyll reads; left out" in result.stderr.decode()
    hugo = run_cli("convert", str(post), "-t", "html", "--profile", "hugo")
    assert hugo.stdout.startswith(b"\n---\ntitle: T\n---\n")  # a blank line is fine for Hugo: kept
