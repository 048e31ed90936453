"""Localizing batch: 1,000 posts whose images (300 distinct) are served on 127.0.0.1.

    python bench/localize.py [--files 1000] [--images 300] [--pandoc-sample 100]

* ``fmconvert batch -t md --localize-images`` over all cores, a cold disk cache (a fresh
  ``FMCONVERT_CACHE_DIR``), then a rerun with ``--force`` (images from the cache);
* pandoc ``--extract-media`` run per file (what a script around it would do), sequentially on a
  sample and with ``xargs -P``. pandoc is allowed to fetch (no ``--sandbox``), and fetches every
  image of every post again.

The server counts the requests; the table gives files per second and requests made.
"""

from __future__ import annotations

import argparse
import http.server
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from corpus import make_post  # noqa: E402
from fidelity import find_pandoc  # noqa: E402

from tests.imageserver import PNG  # noqa: E402


def serve() -> tuple[http.server.ThreadingHTTPServer, list[int]]:
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            count[0] += 1
            body = PNG + self.path.encode()  # a distinct image per path
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--pandoc-sample", type=int, default=100)
    args = parser.parse_args()
    fmconvert = shutil.which("fmconvert") or sys.executable
    prefix = [] if fmconvert != sys.executable else ["-m", "convert"]
    pandoc = find_pandoc()
    cores = os.cpu_count() or 1
    server, count = serve()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tempfile.mkdtemp(prefix="fmlocal-")
    try:
        src = os.path.join(tmp, "src")
        rng = random.Random(5)
        paths = []
        for i in range(args.files):
            folder = os.path.join(src, f"{i % 10}")
            os.makedirs(folder, exist_ok=True)
            post = make_post(i, rng.randrange(3_000, 20_000))
            images = "".join(f'<p><img src="{base}/img/{rng.randrange(args.images)}.png" alt="figure"></p>\n' for _ in range(5))
            path = os.path.join(folder, f"post-{i}.html")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(post.replace("<div>   \n", "<div>   \n" + images, 1))
            paths.append(path)
        env = {**os.environ, "FMCONVERT_CACHE_DIR": os.path.join(tmp, "cache")}
        rows = []
        for label, extra in (("fmconvert batch, cold cache", []), ("fmconvert batch, rerun (--force)", ["--force"])):
            before = count[0]
            t = time.perf_counter()
            subprocess.run([fmconvert, *prefix, "batch", src, "-o", os.path.join(tmp, "out"), "-t", "md", "-q", "--localize-images", os.path.join(tmp, "out", "media"), "--allow-private-hosts", *extra], env=env, check=True)
            rows.append((f"{label} -j {cores}", args.files, time.perf_counter() - t, count[0] - before))
        if pandoc:
            sample = paths[: args.pandoc_sample]
            before = count[0]
            t = time.perf_counter()
            for p in sample:
                subprocess.run([pandoc, "-f", "html", "-t", "gfm", p, "-o", os.path.join(tmp, "p.md"), "--extract-media", os.path.join(tmp, "pmedia")], check=True, capture_output=True)
            rows.append((f"pandoc --extract-media, per file ({len(sample)})", len(sample), time.perf_counter() - t, count[0] - before))
            listing = os.path.join(tmp, "files.txt")
            with open(listing, "w") as fh:
                fh.write("\n".join(paths))
            before = count[0]
            t = time.perf_counter()
            subprocess.run(["bash", "-c", f'xargs -P {cores} -I{{}} "{pandoc}" -f html -t gfm {{}} -o /dev/null --extract-media {tmp}/pmedia2 < {listing}'], check=True, capture_output=True)
            rows.append((f"pandoc --extract-media, xargs -P {cores}", len(paths), time.perf_counter() - t, count[0] - before))
        print(f"{args.files} posts, 5 images each, {args.images} distinct images\n")
        print(f"{'run':<48} {'files/s':>9} {'seconds':>9} {'requests':>9}")
        for label, n, secs, requests in rows:
            print(f"{label:<48} {n / secs:9.1f} {secs:9.2f} {requests:9d}")
    finally:
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
