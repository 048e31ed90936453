"""Promises about hostile documents: a clear error (exit 1 or 2) or correct output, never an
internal error; linear time where the input is large; no request to the machine's own network."""

from __future__ import annotations

import http.server
import json
import os
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import examples, run_cli
from tests.imageserver import dribble, serve

WRITERS = ("json", "md", "xhtml", "epub", "html")


def _convert_every_way(tmp_path, name: str, data: bytes, *extra: str) -> dict[str, object]:
    path = tmp_path / name if isinstance(name, str) else tmp_path / os.fsdecode(name)
    path.write_bytes(data)
    results = {}
    for to in WRITERS:
        out = tmp_path / f"out.{to}"
        result = run_cli("convert", str(path), "-t", to, "-o", str(out), "--no-download-images", *extra)
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode in (0, 1, 2), (to, err)
        assert "internal error" not in err and "Traceback" not in err, (to, err)
        assert all(line.startswith("fmconvert: ") for line in err.strip().splitlines()), err  # one line each
        results[to] = (result.returncode, err, out if result.returncode == 0 else None)
    return results


BIG = "7" * 5000


@pytest.mark.parametrize(
    "name, text",
    [
        ("yaml.html", f"---\ntitle: big\nn: {BIG}\n---\n<p>x</p>\n"),
        ("toml.html", f"+++\ntitle = 'big'\nn = {BIG}\n+++\n<p>x</p>\n"),
        ("json-fm.html", '{"title": "big", "n": ' + BIG + "}\n<p>x</p>\n"),
        ("doc.json", '{"schema": "fmconvert/document/1", "metadata": {"n": [1, ' + BIG + ']}, "body": "<p>x</p>"}'),
    ],
)
def test_integers_too_long_to_write_are_a_clear_error(tmp_path, name, text):
    for code, err, _ in _convert_every_way(tmp_path, name, text.encode()).values():
        assert code == 1 and "integer of more than 4,300 digits" in err and name in err


def test_lone_surrogates_from_json_become_replacement_characters(tmp_path):
    doc = '{"schema": "fmconvert/document/1", "metadata": {"title": "a\\ud800b", "t\\udc00": 1}, "body": "<p>x\\udfffy</p>"}'
    results = _convert_every_way(tmp_path, "s.json", doc.encode())
    assert all(code == 0 for code, _, _ in results.values())
    back = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert back["metadata"]["title"] == "a\ufffdb" and "x\ufffdy" in back["body"]


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "utf-7", "zlib"])
def test_charsets_that_are_not_text_encodings(tmp_path, label):
    meta = b'<meta charset="' + label.encode() + b'"><p>caf\xe9 ' + b"\xff" * 3 + b"</p>\n"
    _convert_every_way(tmp_path, "meta.html", meta)
    key = b"---\ncharset: " + label.encode() + b"\n---\n<p>caf\xe9</p>\n"
    _convert_every_way(tmp_path, "key.html", key)
    forced = run_cli("convert", str(tmp_path / "key.html"), "-t", "json", "--encoding", label)
    assert forced.returncode == 1
    assert "is not a text encoding" in forced.stderr.decode() or "unknown encoding" in forced.stderr.decode()


def test_attribute_names_that_are_not_xml_names_are_dropped_with_the_content_kept(tmp_path):
    page = '<div aria-x²="1" {{ attrs }} data-ü="2" class="keep"><p q{%x%}="3" title="t">text stays</p></div>\n'
    results = _convert_every_way(tmp_path, "attrs.html", page.encode(), "-v")
    xhtml = etree.fromstring((tmp_path / "out.xhtml").read_bytes())  # well-formed XML
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    p = xhtml.find(".//h:p", ns)
    assert p.text == "text stays" and p.get("title") == "t"
    assert xhtml.find(".//h:div", ns).get("class") == "keep"
    assert "not an XML name" in results["xhtml"][1]


def test_broken_data_uris_and_nul_paths_in_an_epub(tmp_path):
    page = (
        '<p><img src="data:image/png;base64,!!!!" alt="broken data">'
        '<img src="a%00b.png" alt="nul path"><img src="data:,hello" alt="not an image">'
        '<img src="http://[bad" alt="bad url"></p>\n'
        '<p><a href="other%00.html">nul link</a> <a href="sub/%00/x.html#top">nul folder</a></p>\n'
    )
    results = _convert_every_way(tmp_path, "data.html", page.encode())
    code, err, out = results["epub"]
    # Three broken images, each named; the web address is left out on request (one line for all).
    assert code == 0 and err.count("replaced by its alt text") == 3 and "1 remote image not downloaded" in err
    chapter = etree.fromstring(zipfile.ZipFile(out).read("EPUB/chapter-001.xhtml"))
    text = "".join(chapter.itertext())
    assert all(alt in text for alt in ("broken data", "nul path", "not an image", "bad url"))
    # Links to no chapter of the book: their text stays, the link goes.
    spans = chapter.xpath("//x:span/text()", namespaces={"x": "http://www.w3.org/1999/xhtml"})
    assert "nul link" in spans and "nul folder" in spans and "other" not in "".join(chapter.xpath("//@href"))


def test_a_nul_in_a_chapter_list_is_a_clear_error(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.html").write_text("---\ntitle: A\n---\n<p>a</p>\n")
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"posts/a.html\nposts/b\x00.html\n")
    result = run_cli("batch", str(posts), "-t", "epub", "--book", str(tmp_path / "b.epub"), "--chapters", str(listing))
    assert result.returncode == 1 and b"list.txt: line 2: posts/b\\x00.html is not a file" in result.stderr, result.stderr
    assert not (tmp_path / "b.epub").exists()


def test_messages_quoting_hostile_names_stay_one_printable_line(tmp_path):
    # A file name with a terminal escape and a line feed, a post quoting control characters.
    name = "e\x1b[2Jvil\nname.html"
    (tmp_path / name).write_bytes(b"---\ntitle: [unclosed\n---\n<p>x</p>\n")
    result = run_cli("convert", str(tmp_path / name), "-t", "md")
    err = result.stderr.decode()
    assert result.returncode == 1 and "\x1b" not in err and err.count("\n") == 1, err
    assert "e\\x1b[2Jvil\\x0aname.html:2:" in err
    # U+009B (the one-character CSI of C1), written as UTF-8, in an image source quoted by a warning
    (tmp_path / name).write_bytes(b"---\ntitle: x\n---\n<p><img alt=x src='\xc2\x9b31m.png'></p>\n")
    result = run_cli("convert", str(tmp_path / name), "-t", "epub", "-o", str(tmp_path / "o.epub"))
    err = result.stderr.decode()
    assert result.returncode == 0 and "not found" in err and "\x1b" not in err and "\x9b" not in err, err
    assert all(line.startswith("fmconvert: warning: ") for line in err.splitlines()), err


def test_file_names_that_are_not_utf8(tmp_path):
    name = b"caf\xe9-\xff.html"
    raw = os.path.join(os.fsencode(tmp_path), name)
    with open(raw, "wb") as fh:
        fh.write(b"---\ntitle: x\n---\n<p>x</p>\n")
    shown = os.fsdecode(raw)
    result = run_cli("convert", shown, "-t", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"]["path"].endswith("caf\\xe9-\\xff.html")
    bad = os.path.join(os.fsencode(tmp_path), b"bad-\xfe.html")
    with open(bad, "wb") as fh:
        fh.write(b"---\ntitle: [unclosed\n---\n<p>x</p>\n")
    failed = run_cli("convert", os.fsdecode(bad), "-t", "json")
    assert failed.returncode == 1 and "bad-\\xfe.html:2:" in failed.stderr.decode()
    batch = run_cli("batch", str(tmp_path), "-o", str(tmp_path / "out"), "-t", "md")
    assert b"internal error" not in batch.stderr and os.path.exists(os.path.join(os.fsencode(tmp_path), b"out", b"caf\xe9-\xff.md"))
    lint = run_cli("lint", str(tmp_path), "--format", "json")
    assert lint.returncode == 1 and b"internal error" not in lint.stderr  # 1: a file it could not read is a finding
    unread = [r for r in json.loads(lint.stdout) if r["code"] == "DOC001"]
    assert [(r["path"].endswith("bad-\\xfe.html"), r["line"]) for r in unread] == [(True, 2)]
    assert unread[0]["message"].startswith("malformed YAML")


def test_control_characters_in_title_and_author_keep_the_package_well_formed(tmp_path):
    page = '---\ntitle: "Tea\\x01 and\\x1f talk"\nauthor: "Li\\x02 Lei"\n---\n<h2>One\x0b</h2><p>hi</p>\n'
    results = _convert_every_way(tmp_path, "ctrl.html", page.encode())
    with zipfile.ZipFile(results["epub"][2]) as z:
        for name in ("EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/chapter-001.xhtml"):
            etree.fromstring(z.read(name))  # raises on a control character
        assert b"<dc:title>Tea and talk</dc:title>" in z.read("EPUB/package.opf")


@pytest.mark.parametrize(
    "table, key",
    [
        ("[tool.fmconvert.lint]\nselect = 5\n", "select"),
        ("[tool.fmconvert.lint]\nhosts = [1, 2]\n", "hosts"),
        ("[tool.fmconvert.lint]\nseverity = [\"ALT001\"]\n", "severity"),
        ("[tool.fmconvert.lint]\nseverity = { ALT001 = 3 }\n", "ALT001"),
        ("[tool.fmconvert.lint]\nroot = 7\n", "root"),
        ("[tool.fmconvert.lint]\nimage-keys = { a = 1 }\n", "image-keys"),
        ("[tool.fmconvert]\nlint = 3\n", "lint"),
        ("[tool.fmconvert.fetch]\ntimeout = \"soon\"\n", "timeout"),
        ("[tool.fmconvert.fetch]\nallow-private-hosts = \"yes\"\n", "allow-private-hosts"),
        ("[tool.fmconvert.fetch.hosts.\"*.example.com\"]\nheaders = [1]\n", "headers"),
    ],
)
def test_malformed_configuration_is_a_usage_error_naming_the_key(tmp_path, table, key):
    (tmp_path / "pyproject.toml").write_text(table)
    (tmp_path / "p.html").write_text('<p><img src="a.png" alt="a"></p>\n')
    result = run_cli("lint", "p.html", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2 and key in err and "internal error" not in err, err
    assert f"{tmp_path / 'pyproject.toml'}: " in err  # the file the value is written in


@pytest.mark.parametrize(
    "table, args",
    [
        ("[tool.fmconvert]\nfetch = 3\n", ("-t", "epub", "-o", "p.epub", "--offline")),
        ("[tool.fmconvert]\nfetch = 3\n", ("-t", "json", "--localize-images", "media", "--offline")),
        ("[tool.fmconvert]\nepub = \"x\"\n", ("-t", "epub", "-o", "p.epub", "--offline")),
    ],
    ids=["fetch-epub", "fetch-localize", "epub"],
)
def test_a_section_that_is_not_a_table_names_its_file(tmp_path, table, args):
    (tmp_path / "pyproject.toml").write_text(table)
    (tmp_path / "p.html").write_text("<p>Text.</p>\n")
    result = run_cli("convert", "p.html", *args, cwd=tmp_path)
    err = result.stderr.decode()
    section = table.split("\n")[1].split(" =")[0]
    assert result.returncode == 2 and f"{tmp_path / 'pyproject.toml'}: [tool.fmconvert.{section}] must be a table" in err, err
    assert not (tmp_path / "p.epub").exists()


def test_a_command_line_error_names_no_configuration_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.fmconvert.lint]\nselect = ["ALT"]\n')
    (tmp_path / "p.html").write_text("<p>Text.</p>\n")
    err = run_cli("lint", "p.html", "--select", "NOPE", cwd=tmp_path).stderr.decode()
    assert "select: unknown rule code(s) NOPE" in err and "pyproject.toml" not in err, err


def test_a_command_reads_its_configuration_once(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import convert.config
    from convert.cli import cli

    (tmp_path / ".fmconvert.toml").write_text('profile = "hugo"\n[fetch]\ndeadline = 2\n')
    (tmp_path / "p.html").write_text("---\ntitle: t\n---\n<p>Text.</p>\n")
    read = []
    real = convert.config.read_config
    monkeypatch.setattr(convert.config, "read_config", lambda path: read.append(path) or real(path))
    monkeypatch.chdir(tmp_path)
    # The profile and the fetch policy both come from the configuration: one file, read once.
    result = CliRunner().invoke(cli, ["convert", "p.html", "-t", "md", "--localize-images", "media", "--offline"])
    assert result.exit_code == 0, result.output
    assert read == [str(tmp_path / ".fmconvert.toml")]


@pytest.mark.parametrize(
    "page",
    [
        "<div>" + '<p id="dup">a</p>' * 20000 + "</div>",
        "<div " + " ".join(f'a{i}="{i}"' for i in range(200_000)) + ' title="t">kept</div><p>after</p>',
    ],
    ids=["20k-duplicate-ids", "200k-attributes"],
)
def test_quadratic_inputs_take_linear_time(tmp_path, page):
    path = tmp_path / "big.html"
    path.write_text(page)
    for to in ("xhtml", "md"):
        started = time.monotonic()
        result = run_cli("convert", str(path), "-t", to, "-o", str(tmp_path / f"o.{to}"), timeout=60)
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - started < 10
    xhtml = etree.fromstring((tmp_path / "o.xhtml").read_bytes())
    ids = [el.get("id") for el in xhtml.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert "kept" in "".join(xhtml.itertext()) or len(ids) == 20000


def test_many_unclosed_code_blocks_take_linear_time(tmp_path):
    """30,000 code blocks that never close (each would run to the one </pre> at the end):
    converted, or refused for their depth, in seconds."""
    path = tmp_path / "pre.html"
    path.write_text("<div>" + '<pre><span class="k">a</span>' * 30000 + "</pre></div>\n")
    for to in ("md", "xhtml", "html", "text"):
        started = time.monotonic()
        result = run_cli("convert", str(path), "-t", to, "-o", str(tmp_path / f"o.{to}"), timeout=60)
        if to == "html":  # carried as markup: never parsed, so nothing is too deep
            assert result.returncode == 0 and result.stderr == b"", result.stderr
        else:  # each <pre> opens inside the last, as a browser nests them: refused for the depth
            assert result.returncode == 1 and result.stderr == f"fmconvert: {path}: elements nested deeper than 512 levels; refused\n".encode(), result.stderr
            assert not (tmp_path / f"o.{to}").exists()
        assert time.monotonic() - started < 10


# ---- the network: server-side request forgery and deadlines ------------------------------------


class _Hosts:
    """A local server that plays a slow host (one byte a second) and counts requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if self.path.startswith("/slow"):
                    dribble(self, 1000, 1, length=1000)
                    return
                if self.path.startswith("/to-metadata"):
                    self.send_response(302)
                    self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.base = serve(Handler)

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def hosts():
    server = _Hosts()
    yield server
    server.close()


@pytest.mark.parametrize("target", ["epub", "localize", "lint"])
def test_private_addresses_are_not_fetched_unless_allowed(tmp_path, hosts, target):
    post = tmp_path / "p.html"
    post.write_text(
        f'<p><img src="{hosts.base}/a.png" alt="loopback"><img src="http://169.254.169.254/latest/x.png" alt="metadata">'
        f'<img src="http://[::ffff:127.0.0.1]:{hosts.base.rsplit(":", 1)[1]}/b.png" alt="mapped"><img src="http://0.0.0.0:9/c.png" alt="any"></p>\n'
    )
    args = {
        "epub": ("convert", str(post), "-o", str(tmp_path / "b.epub")),
        "localize": ("convert", str(post), "-t", "xhtml", "--localize-images", str(tmp_path / "img")),
        "lint": ("lint", str(post), "--check-remote", "--remote-cache", "0", "--ignore", "SRC005"),
    }[target]
    result = run_cli(*args)
    assert "internal error" not in result.stderr.decode()
    assert hosts.requests == []
    if target != "lint":
        assert result.stderr.decode().count("loopback, private or link-local address") == 4
    allowed = run_cli(*args, "--allow-private-hosts")
    assert "internal error" not in allowed.stderr.decode()
    assert hosts.requests  # the same command reaches the local server when allowed


def test_a_redirect_to_a_private_address_is_refused_on_the_hop(tmp_path, hosts):
    from convert.fetch import Fetcher, FetchPolicy
    from convert.fetch.guard import is_public

    # The test server's address is allowed; the hop to the metadata address is checked again.
    response = Fetcher(FetchPolicy(allow_private_hosts=("127.0.0.1/32",))).get(f"{hosts.base}/to-metadata")
    assert response.error and "169.254.169.254" in response.error and "link-local" in response.error
    assert hosts.requests == ["/to-metadata"]

    assert not any(is_public(a) for a in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1", "0.0.0.0", "::ffff:10.0.0.1", "100.64.0.1"))
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1:248:1893:25c8:1946")


def test_a_dribbling_server_cannot_hold_a_conversion(tmp_path, hosts):
    (tmp_path / "pyproject.toml").write_text("[tool.fmconvert.fetch]\ndeadline = 2\ndocument-deadline = 4\n")
    post = tmp_path / "p.html"
    post.write_text("<p>" + "".join(f'<img src="{hosts.base}/slow/{i}.png" alt="{i}">' for i in range(6)) + "</p>\n")
    started = time.monotonic()
    result = run_cli("convert", "p.html", "-o", "b.epub", "--allow-private-hosts", cwd=tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 15  # six images, each cut at its 2 s deadline, four at a time (per host)
    assert result.stderr.decode().count("no complete answer within 2 s") + result.stderr.decode().count("had passed") == 6


@pytest.mark.parametrize(
    "date",
    [
        "Thu, 07 Sep 99999999999999999999 08:15:42 GMT",
        "Thu, 07 Sep 2023 99999999999:15:42 GMT",
        "Thu, 07 Sep 2023 08:15:42 +99999999999999",
        "'99999-05-13'",
        "99999-05-13 10:00:00",
        "2023-99-99",
    ],
)
def test_dates_no_calendar_holds_are_text_not_internal_errors(tmp_path, date):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.html").write_text(f"---\ntitle: A\ndate: {date}\n---\n<p>a</p>\n")
    (posts / "b.html").write_text("---\ntitle: B\ndate: 2023-05-13\n---\n<p>b</p>\n")
    _convert_every_way(tmp_path, "one.html", (posts / "a.html").read_bytes())
    for profile in ("hugo", "jekyll"):
        # Hugo and Jekyll fail the build on such a date: it is left out, with one warning line
        result = run_cli("convert", str(posts / "a.html"), "-t", "md", "--profile", profile)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 0 and len(lines) == 1 and f"is no date {profile.title()} reads; left out" in lines[0], result.stderr
        assert b"date:" not in result.stdout
    for toc in ("month", "none"):
        result = run_cli("batch", str(posts), "-t", "epub", "--book", str(tmp_path / f"{toc}.epub"), "--toc-by", toc, "-q")
        assert result.returncode == 0 and result.stderr == b"", result.stderr


_DATE_PARTS = ["Sat,", "13", "May", "2023", "00:00:00", "10:11", "GMT", "EST", "-0000", "+0800", "+99999999999999", "99999999999", "31", "Feb", "70", "99:00:00", "23:59:60", "x", ""]


@settings(max_examples=examples(150), deadline=None)
@given(words=st.lists(st.sampled_from(_DATE_PARTS), max_size=7), noise=st.text(alphabet="0123456789 :+-,ADFGJMNOSTaeuy", max_size=12))
def test_mail_dates_are_read_as_the_standard_library_reads_them(words, noise):
    """convert.dates reads with email's own parser (not email.utils, 2 MiB of imports): the
    oracle is email.utils.parsedate_to_datetime, a date it refuses being None."""
    from email.utils import parsedate_to_datetime

    from convert.dates import mail_date

    for text in (" ".join(words), noise):
        try:
            expected = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            expected = None
        got = mail_date(text)
        assert got == expected and (got is None or got.tzinfo == expected.tzinfo)
