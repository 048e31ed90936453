"""A real HTTP server on 127.0.0.1 that serves images for any original URL.

``mapped(url)`` rewrites ``https://img.host/a/b.jpg`` to ``http://127.0.0.1:PORT/img.host/a/b.jpg``;
the server answers with a small real image whose type follows the extension (PNG by default), 404
for paths containing ``missing``, and records every request so tests can prove what was fetched.
"""

from __future__ import annotations

import http.server
import threading
import time
from urllib.parse import urlsplit

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c"
    "20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000"
    "000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342"
    "b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778"
    "797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7"
    "e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


class ImageServer:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append((self.command, self.path, self.headers.get("Referer")))
                if "missing" in self.path:
                    self.send_response(404)
                    self.end_headers()
                    return
                lower = self.path.lower().split("?")[0]
                body, kind = (JPEG, "image/jpeg") if lower.endswith((".jpg", ".jpeg")) else (GIF, "image/gif") if lower.endswith(".gif") else (PNG, "image/png")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ImageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()

    def mapped(self, url: str) -> str:
        if url.startswith("//"):
            url = "https:" + url
        parts = urlsplit(url)
        return f"{self.base}/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def dribble(handler: http.server.BaseHTTPRequestHandler, count: int, delay: float, length: int | None = None) -> None:
    """Answer 200 with an image type, then send one byte every ``delay`` seconds, ``count``
    times: a server that holds a fetch open (the client's deadline must cut it)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    try:
        for _ in range(count):
            handler.wfile.write(b"\x89")
            handler.wfile.flush()
            time.sleep(delay)
    except OSError:
        pass


def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A real HTTP server for ``handler`` on 127.0.0.1 (a free port), serving from a daemon
    thread; the server (``shutdown()`` ends it) and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
