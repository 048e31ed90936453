"""--localize-images (--extract-media) for every writer, against a real HTTP server on 127.0.0.1
that plays the hosts of the real world: one that refuses a foreign Referer, one that answers 200
with an HTML page, a slow one, an oversize one, one that redirects to file://, gzip, and a lazy
page whose src is a placeholder."""

from __future__ import annotations

import gzip
import http.server
import re
import time
from collections import Counter

import pytest

import convert
from tests.conftest import run_cli
from tests.imageserver import GIF, JPEG, PNG, dribble, serve

GIF_PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


class Hosts:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.referers: list[str | None] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                outer.requests[path] += 1
                outer.referers.append(self.headers.get("Referer"))
                kind, body, extra = "image/png", PNG, {}
                if path.startswith("/protected/") and self.headers.get("Referer"):
                    return self._send(403, "text/html", b"<h1>hotlinking forbidden</h1>")
                if path.startswith("/page/"):
                    kind, body = "image/jpeg", b"<!doctype html><html><body>Image not available</body></html>"
                elif path.startswith("/slow/"):
                    dribble(self, 60, 0.5)
                    return
                elif path.startswith("/big/"):
                    body = PNG + b"\0" * (2 * 1024 * 1024)
                elif path.startswith("/to-file/"):
                    self.send_response(302)
                    self.send_header("Location", "file:///etc/passwd")
                    self.end_headers()
                    return
                elif path.startswith("/gzip/"):
                    body, extra = gzip.compress(PNG), {"Content-Encoding": "gzip"}
                elif path.endswith(".jpg"):
                    kind, body = "image/jpeg", JPEG
                elif path.endswith(".gif"):
                    kind, body = "image/gif", GIF
                elif path.endswith("-other.png"):
                    body = PNG + path.encode()  # distinct bytes: a distinct file
                self._send(200, kind, body, extra)

            def _send(self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.base = serve(Handler)


@pytest.fixture
def hosts():
    h = Hosts()
    yield h
    h.server.shutdown()


def _post(base: str) -> str:
    return (
        f"---\ntitle: 图片测试\nheadimg: '{base}/cover.jpg'\nthumbnail: '{base}/page/thumb.jpg'\n---\n"
        f'<p><img src="{base}/protected/a.png" alt="protected" referrerpolicy="no-referrer"></p>\n'
        f'<p><img src="{base}/page/b.jpg" alt="an html page"></p>\n'
        f'<p><img src="{base}/slow/c.png" alt="slow"></p>\n'
        f'<p><img src="{base}/big/d.png" alt="too big"></p>\n'
        f'<p><img src="{base}/to-file/e.png" alt="redirected to a file"></p>\n'
        f'<p><img src="{base}/gzip/f.png" alt="gzipped"></p>\n'
        f'<p><img class="lazyload" src="{GIF_PLACEHOLDER}" data-src="{base}/real/g.jpg" alt="lazy"></p>\n'
        f'<p><img src="{base}/h-other.png" srcset="{base}/h-other.png 1x, {base}/h2-other.png 2x" alt="responsive"></p>\n'
        '<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" alt="inline"></p>\n'
    )


def _links(text: str) -> list[str]:
    return re.findall(r'(?:src|srcset|data-src)="([^"]+)"|\]\(([^)\s]+)\)|^(?:headimg|thumbnail): \'?([^\'\n]+)', text, re.M)


@pytest.mark.parametrize("to, ext", [("md", "md"), ("html", "html"), ("xhtml", "xhtml"), ("json", "json"), ("text", "txt")])
def test_every_writer_localizes_what_can_be_had_and_keeps_the_rest(tmp_path, hosts, to, ext):
    (tmp_path / "pyproject.toml").write_text("[tool.fmconvert.fetch]\ndeadline = 2\nmax-mib = 1\n")
    post = tmp_path / "post.html"
    post.write_text(_post(hosts.base), encoding="utf-8")
    out = tmp_path / "site" / f"post.{ext}"
    out.parent.mkdir()
    result = run_cli("convert", "post.html", "-t", to, "-o", str(out), "--extract-media", "site/media", "--allow-private-hosts", cwd=tmp_path, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    text = out.read_text(encoding="utf-8")
    media = sorted(p.name for p in (tmp_path / "site" / "media").iterdir())
    # Named by content: the protected image and the gzipped one are the same bytes, so are the
    # cover and the lazy image; with the two srcset candidates and the data: URI, five files.
    assert len(media) == 5 and all(re.fullmatch(r"[0-9a-f]{20}\.(png|jpg)", m) for m in media), media
    assert all(r is None for r in hosts.referers)
    for url in ("/page/b.jpg", "/slow/c.png", "/big/d.png", "/to-file/e.png", "/page/thumb.jpg"):
        assert hosts.base + url in text or to == "text", url  # the original stays
        assert url in err  # and the warning names it
    assert "post.html" in err and "an HTML page" in err and "2 s" in err and "MiB" in err and "only http and https" in err
    if to in ("md", "html", "xhtml"):
        assert "media/" in text and GIF_PLACEHOLDER not in text  # the lazy image's real source
        local = [x for groups in _links(text) for x in groups if x and x.startswith("media/")]
        assert local and all((out.parent / x.split()[0]).is_file() for link in local for x in link.split(", "))
    if to in ("md", "html"):
        assert "headimg: 'media/" in text or "headimg: media/" in text


def test_every_front_matter_image_field_is_localized(tmp_path, hosts):
    post = tmp_path / "post.html"
    post.write_text(
        f"---\ntitle: t\nfeatured_image: '{hosts.base}/f.jpg'\nog_image: '{hosts.base}/o-other.png'\n"
        f"cover_image: '{hosts.base}/c.gif'\nhero: '{hosts.base}/h.jpg'\n---\n<p>Text.</p>\n"
    )
    out = tmp_path / "out.md"
    result = run_cli("convert", str(post), "-o", str(out), "--localize-images", str(tmp_path / "media"), "--allow-private-hosts")
    assert result.returncode == 0, result.stderr
    meta = convert.read_file(out).metadata
    for key in ("featured_image", "og_image", "cover_image", "hero"):
        assert meta[key].startswith("media/") and (tmp_path / meta[key]).is_file(), (key, meta[key])
    assert meta["featured_image"] == meta["hero"]  # the same bytes: one file


def test_localized_output_passes_lint(tmp_path, hosts):
    post = tmp_path / "post.html"
    post.write_text(f'<p><img src="{hosts.base}/protected/a.png" alt="a"> <img src="{hosts.base}/x.gif" alt="b"></p>\n')
    result = run_cli("convert", str(post), "-o", str(tmp_path / "out.md"), "--localize-images", str(tmp_path / "media"), "--allow-private-hosts")
    assert result.returncode == 0, result.stderr
    lint = run_cli("lint", str(tmp_path / "out.md"), "--select", "SRC")
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_strict_makes_a_missing_image_an_error_and_writes_nothing(tmp_path, hosts):
    post = tmp_path / "post.html"
    post.write_text(f'<p><img src="{hosts.base}/page/x.jpg" alt="x"></p>\n')
    out = tmp_path / "out.md"
    result = run_cli("convert", str(post), "-o", str(out), "--localize-images", str(tmp_path / "media"), "--strict", "--allow-private-hosts")
    assert result.returncode == 1 and "--strict" in result.stderr.decode() and not out.exists()


def test_a_batch_fetches_each_shared_image_once_and_a_rerun_none(tmp_path, hosts):
    src = tmp_path / "src"
    for i in range(1000):
        path = src / f"{i % 10}" / f"post-{i}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        shared = "".join(f'<img src="{hosts.base}/img/{(i * 7 + k) % 300}-other.png" alt="{k}">' for k in range(5))
        path.write_text(f"---\ntitle: {i}\n---\n<p>{shared}</p>\n")
    media = tmp_path / "out" / "media"
    result = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "-t", "md", "--localize-images", str(media), "--allow-private-hosts", "-j", "2", timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(hosts.requests) == 300 and set(hosts.requests.values()) == {1}  # each image once
    assert len(list(media.iterdir())) == 300
    for out in (tmp_path / "out").rglob("*.md"):
        for link in re.findall(r"\]\(([^)]+)\)", out.read_text()):
            assert (out.parent / link).is_file(), (out, link)

    # A rerun (everything converted again) asks the hosts nothing: the images come from the cache.
    again = run_cli("batch", str(src), "-o", str(tmp_path / "out2"), "-t", "html", "--localize-images", str(tmp_path / "out2" / "media"), "--allow-private-hosts", "--force", timeout=120)
    assert again.returncode == 0, again.stderr
    assert sum(hosts.requests.values()) == 300 and len(list((tmp_path / "out2" / "media").iterdir())) == 300
    for out in (tmp_path / "out2").rglob("*.html"):
        for link in re.findall(r'src="([^"]+)"', out.read_text()):
            assert (out.parent / link).is_file(), (out, link)


def test_offline_uses_the_cache_only(tmp_path, hosts):
    post = tmp_path / "post.html"
    post.write_text(f'<p><img src="{hosts.base}/never-fetched-other.png" alt="x"></p>\n')
    env = {"FMCONVERT_CACHE_DIR": str(tmp_path / "empty-cache")}
    result = run_cli("convert", str(post), "-o", str(tmp_path / "o.md"), "--localize-images", str(tmp_path / "m"), "--offline", "--allow-private-hosts", env=env)
    assert result.returncode == 0 and "not in the cache (--offline)" in result.stderr.decode()
    assert sum(hosts.requests.values()) == 0 and hosts.base in (tmp_path / "o.md").read_text()
    run_cli("convert", str(post), "-o", str(tmp_path / "o.md"), "--localize-images", str(tmp_path / "m"), "--allow-private-hosts", env=env)
    offline = run_cli("convert", str(post), "-o", str(tmp_path / "o2.md"), "--localize-images", str(tmp_path / "m2"), "--offline", "--allow-private-hosts", env=env)
    assert offline.returncode == 0 and offline.stderr == b"" and "m2/" in (tmp_path / "o2.md").read_text()
    assert sum(hosts.requests.values()) == 1


@pytest.mark.parametrize("layout", ["post-folder", "bundle"])
@pytest.mark.parametrize("to, pattern", [("md", r"\]\(([^)]+)\)"), ("html", r'src="([^"]+)"')])
def test_media_layouts_resolve_from_each_output(tmp_path, hosts, layout, to, pattern):
    src = tmp_path / "src"
    for i in range(4):
        path = src / "2021" / f"post-{i}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<p><img src="{hosts.base}/{i}-other.png" alt="a"> <img src="{hosts.base}/shared.gif" alt="b"></p>\n')
    dest = tmp_path / "out"
    result = run_cli("batch", str(src), "-o", str(dest), "-t", to, "--localize-images", str(dest / "media"), "--media-layout", layout, "--allow-private-hosts")
    assert result.returncode == 0, result.stderr
    outputs = sorted(dest.rglob(f"*.{to}"))
    assert len(outputs) == 4
    for out in outputs:
        if layout == "bundle":
            assert out.name == f"index.{to}" and out.parent.name.startswith("post-")
        links = re.findall(pattern, out.read_text())
        assert len(links) == 2 and all("/" not in link for link in links)  # plain file names
        assert all((out.parent / link).is_file() if layout == "bundle" else (out.with_suffix("") / link).is_file() for link in links)


def test_a_batch_names_and_counts_the_images_it_could_not_bring_home(tmp_path, hosts):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.html").write_text(f'<p><img src="{hosts.base}/page/x.jpg" alt="x"> <img src="{hosts.base}/ok.gif" alt="y"></p>\n')
    (src / "b.html").write_text(f'<p><img src="{hosts.base}/to-file/z.png" alt="z"></p>\n')
    result = run_cli("batch", str(src), "-o", str(tmp_path / "out"), "-t", "md", "--localize-images", str(tmp_path / "out" / "media"), "--allow-private-hosts")
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "a.html: image" in err and "/page/x.jpg" in err and "b.html: image" in err and "/to-file/z.png" in err
    assert "2 converted, 0 unchanged, 0 failed, 2 images not localized" in err
    strict = run_cli("batch", str(src), "-o", str(tmp_path / "out2"), "-t", "md", "--localize-images", str(tmp_path / "out2" / "media"), "--allow-private-hosts", "--strict")
    assert strict.returncode == 1 and "0 converted, 0 unchanged, 2 failed" in strict.stderr.decode()


def test_sigkill_during_a_localizing_batch_leaves_nothing_partial(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    slow = Hosts()
    try:
        src = tmp_path / "src"
        for i in range(200):
            path = src / f"{i % 4}" / f"p{i}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(f'<p><img src="{slow.base}/slow-ish/{(i * 3 + k) % 90}-other.png" alt="{k}"></p>' for k in range(3)) + "\n")
        env = {**os.environ, "FMCONVERT_CACHE_DIR": str(tmp_path / "cache")}
        args = [sys.executable, "-m", "convert", "batch", str(src), "-t", "md", "--allow-private-hosts"]
        dest = tmp_path / "out"
        proc = subprocess.Popen([*args, "-o", str(dest), "--localize-images", str(dest / "media")], env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(dest.rglob("*.md"))) < 30:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 0 < len(list(dest.rglob("*.md"))) < 200, "the kill should land part way through"
        assert [p.name for p in dest.rglob("*.tmp")] == [] or all(p.name.startswith(".") for p in dest.rglob("*.tmp"))
        for image in (dest / "media").iterdir():
            if not image.name.startswith("."):
                import hashlib

                assert hashlib.sha256(image.read_bytes()).hexdigest()[:20] == image.stem  # whole, never partial
        rerun = subprocess.run([*args, "-o", str(dest), "--localize-images", str(dest / "media")], env=env, capture_output=True)
        assert rerun.returncode == 0, rerun.stderr
        clean = tmp_path / "clean"
        subprocess.run([*args, "-o", str(clean), "--localize-images", str(clean / "media")], env={**env, "FMCONVERT_CACHE_DIR": str(tmp_path / "cache2")}, check=True, capture_output=True)
        def tree(root):
            return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")}
        assert tree(dest) == tree(clean)  # the interrupted run, completed, equals an uninterrupted one
    finally:
        slow.server.shutdown()


def test_host_rules_send_the_referer_a_host_wants(tmp_path):
    import http.server

    seen: list[str | None] = []

    class Own(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Referer"))
            ok = self.headers.get("Referer") == "http://127.0.0.1/" and self.headers.get("X-Client") == "fmconvert"
            body = PNG if ok else b"<html>only our own site</html>"
            self.send_response(200 if ok else 403)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server, base = serve(Own)
    try:
        (tmp_path / "post.html").write_text(f'<p><img src="{base}/own-site.png" alt="x"></p>\n')
        args = ("convert", "post.html", "-o", "out.md", "--localize-images", "media", "--allow-private-hosts")
        refused = run_cli(*args, cwd=tmp_path)
        assert "HTTP 403" in refused.stderr.decode() and seen == [None]  # no Referer by default
        (tmp_path / "pyproject.toml").write_text('[tool.fmconvert.fetch.hosts."127.0.0.1"]\nreferer = "site"\nheaders = { "X-Client" = "fmconvert" }\n')
        allowed = run_cli(*args, cwd=tmp_path)
        assert allowed.returncode == 0 and allowed.stderr == b"", allowed.stderr
        assert "](media/" in (tmp_path / "out.md").read_text()
    finally:
        server.shutdown()
