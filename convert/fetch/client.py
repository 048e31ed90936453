"""The one HTTP client of fmconvert, on urllib3: every network read goes through :class:`Fetcher`.

Localizing images, packaging an EPUB and ``lint --check-remote`` all fetch URLs that untrusted
posts name, so the same rules hold for each of them:

* **addresses** are checked after DNS resolution, on every hop (:mod:`convert.fetch.guard`);
* **redirects** are followed by hand, at most ``max_redirects``, and only to ``http``/``https``
  (a redirect to ``file://`` or ``ftp://`` is refused);
* **time**: a connect and a read time-out, and above them one *deadline* per resource that covers
  every hop, the headers and the body: a server that sends one byte every few seconds is cut off
  when the deadline passes (a watchdog shuts the socket), not after the last byte;
* **size**: bodies are read up to ``max_bytes`` (after decompression: a gzip bomb stops there);
* **retries** with backoff for connection errors, connection pooling per host, and
  a per-host limit on concurrent requests; :func:`convert.fetch.images.fetch_images` runs a
  document's fetches concurrently within the document's deadline.

No Referer is sent unless asked: that is what ``referrerpolicy="no-referrer"`` asks a browser to
do, and what hot-link-protected hosts accept. Per-host headers come from the configuration
(:class:`HostRule`).
"""

from __future__ import annotations

import fnmatch
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from convert._version import __version__

USER_AGENT = f"fmconvert/{__version__} (+https://pypi.org/project/fmconvert/)"
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class HostRule:
    """Headers for hosts matching ``pattern`` (``img.example.com``, ``*.example.com``).
    ``referer``: ``None`` sends none (the default), ``"site"`` the host's own site, or a URL."""

    pattern: str
    referer: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def matches(self, host: str) -> bool:
        host = host.lower()
        pattern = self.pattern.lower()
        if pattern.startswith("*."):
            return host == pattern[2:] or host.endswith(pattern[1:])
        return fnmatch.fnmatchcase(host, pattern)


@dataclass
class FetchPolicy:
    """What a fetch may cost and where it may go. Times in seconds."""

    allow_private_hosts: bool | tuple[str, ...] = False  # True, or networks ("10.0.0.0/8") allowed
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 30.0  # one resource, every hop and byte included
    document_deadline: float = 120.0  # every fetch of one document (convert.fetch.images)
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    concurrency: int = 8
    per_host: int = 4
    host_rules: tuple[HostRule, ...] = ()
    use_cache: bool = False  # keep images on disk and serve reruns from there (convert.fetch.cache)
    offline: bool = False  # the disk cache only, no network

    def headers_for(self, url: str) -> dict[str, str]:
        host = urlsplit(url).hostname or ""
        headers: dict[str, str] = {}
        for rule in self.host_rules:
            if rule.matches(host):
                if rule.referer == "site":
                    headers["Referer"] = f"{urlsplit(url).scheme}://{host}/"
                elif rule.referer:
                    headers["Referer"] = rule.referer
                headers.update(dict(rule.headers))
        return headers


@dataclass
class Response:
    """The outcome of one fetch. ``status`` is None when no server answered (time-out, refused
    connection, blocked address); ``error`` says why the body is not what was asked for."""

    url: str
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def answered(self) -> bool:
        return self.status is not None

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()


class _Watch(threading.local):
    """The sockets the current thread's request uses, so its deadline can cut them."""

    def __init__(self) -> None:
        self.conns: list[Any] | None = None
        self.cut: threading.Event | None = None


_watch = _Watch()


def _connection_classes(allow_private: bool | tuple[str, ...], resolve_timeout: float = 5.0) -> tuple[type, type]:
    from urllib3.connection import HTTPConnection, HTTPSConnection

    from convert.fetch.guard import resolve_allowed

    class Guarded:
        def _new_conn(self) -> Any:
            host = self._dns_host  # type: ignore[attr-defined]
            address = resolve_allowed(host, self.port, allow_private, resolve_timeout)  # type: ignore[attr-defined]
            self._dns_host = address
            try:
                return super()._new_conn()  # type: ignore[misc]
            finally:
                self._dns_host = host

        def request(self, *args: Any, **kwargs: Any) -> Any:
            watch = _watch.conns
            if watch is not None:
                watch.append(self)  # before sending: a deadline that passes now still cuts it
            if _watch.cut is not None and _watch.cut.is_set():
                raise TimeoutError("the deadline passed")  # no retry after the watchdog cut
            sent = super().request(*args, **kwargs)  # type: ignore[misc]
            sock = self.sock  # type: ignore[attr-defined]
            if watch is not None and sock is not None:
                watch.append(sock)  # http.client may drop conn.sock; the response still reads it
                if _watch.cut is not None and _watch.cut.is_set():
                    _shutdown(sock)
            return sent

    class GuardedHTTP(Guarded, HTTPConnection):
        pass

    class GuardedHTTPS(Guarded, HTTPSConnection):
        pass

    return GuardedHTTP, GuardedHTTPS


class Fetcher:
    """A pooled, guarded HTTP client. Thread-safe; one per process is enough (:func:`fetcher`)."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        import urllib3
        from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

        self.policy = policy or FetchPolicy()
        http_conn, https_conn = _connection_classes(self.policy.allow_private_hosts, self.policy.connect_timeout)
        self._pm = urllib3.PoolManager(num_pools=64, maxsize=self.policy.per_host, block=False)
        self._pm.pool_classes_by_scheme = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self.policy.per_host)
            return self._hosts[host]

    def get(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        max_bytes: int | None = None,
        deadline: float | None = None,
        truncate: bool = False,
    ) -> Response:
        """Fetch ``url``. Never raises for network trouble: the :class:`Response` says what
        happened. ``deadline`` is an absolute :func:`time.monotonic` time (default: now plus the
        policy's per-resource deadline). ``truncate``: a body longer than ``max_bytes`` is cut
        there (a sample), not an error."""
        started = time.monotonic()
        if url.startswith("//"):
            url = "https:" + url
        result = Response(url)
        with self._host_slot(url):
            # The image's own clock starts when its host has a free slot; the document's
            # deadline (``deadline``) bounds the waiting too.
            end = min(deadline or float("inf"), time.monotonic() + self.policy.deadline)
            if time.monotonic() >= end:
                result.error = f"not fetched: the document's {self.policy.document_deadline:g} s for images had passed"
                result.seconds = time.monotonic() - started
                return result
            conns: list[Any] = []
            cut = threading.Event()
            _watch.conns, _watch.cut = conns, cut
            timer = threading.Timer(max(0.0, end - time.monotonic()), self._cut, (conns, cut))
            timer.daemon = True
            timer.start()
            try:
                self._follow(url, method, headers or {}, max_bytes or self.policy.max_bytes, end, result, truncate)
            finally:
                timer.cancel()
                _watch.conns = _watch.cut = None
            if cut.is_set() and (not result.ok or method != "HEAD"):
                # Cut by the watchdog: whatever arrived is not the whole answer.
                result.error = f"no complete answer within {self.policy.deadline:g} s"
                result.data = b""
        result.seconds = time.monotonic() - started
        return result

    @staticmethod
    def _cut(conns: list[Any], cut: threading.Event) -> None:
        cut.set()
        for item in list(conns):
            sock = getattr(item, "sock", None) if not hasattr(item, "shutdown") else item
            if sock is not None:
                _shutdown(sock)

    def _follow(self, url: str, method: str, headers: dict[str, str], max_bytes: int, end: float, result: Response, truncate: bool) -> None:
        import urllib3
        from urllib3.exceptions import HTTPError as Urllib3Error

        from convert.fetch.guard import BlockedAddress

        timeout = urllib3.Timeout(connect=self.policy.connect_timeout, read=self.policy.read_timeout)
        retries = urllib3.Retry(total=self.policy.retries, connect=self.policy.retries, read=1, status=0, redirect=False, other=0, backoff_factor=0.2, raise_on_status=False)
        for _hop in range(self.policy.max_redirects + 1):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("http", "https"):
                result.error = f"{scheme or 'a relative'} URL {url!r} refused: only http and https are fetched"
                return
            if time.monotonic() >= end:
                result.error = f"no complete answer within {self.policy.deadline:g} s"
                return
            sent = {"User-Agent": USER_AGENT, "Accept": "image/avif,image/webp,image/*,*/*;q=0.5", "Accept-Encoding": "gzip, deflate"}
            sent.update(self.policy.headers_for(url))
            sent.update(headers)
            try:
                response = self._pm.urlopen(method, url, headers=sent, redirect=False, retries=retries, timeout=timeout, preload_content=False, decode_content=True)
            except BlockedAddress as err:
                result.error = str(err)
                return
            except (Urllib3Error, OSError, ValueError) as err:
                result.error = _reason(err)
                return
            result.final_url = url
            result.status = response.status
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status in REDIRECTS and response.headers.get("Location"):
                response.drain_conn()
                response.release_conn()
                url = urljoin(url, response.headers["Location"])
                if response.status == 303:
                    method = "GET"
                continue
            try:
                if method != "HEAD":
                    result.data = _read_capped(response, max_bytes)
                    if len(result.data) > max_bytes and truncate:
                        result.data = result.data[:max_bytes]
                    elif len(result.data) > max_bytes:
                        result.data = b""
                        result.error = f"larger than {max_bytes // 2**20 or max_bytes} {'MiB' if max_bytes >= 2**20 else 'bytes'}"
            except (Urllib3Error, OSError, ValueError) as err:
                result.error = _reason(err)
            finally:
                response.release_conn()
            if result.error is None and not 200 <= response.status < 300:
                result.error = f"HTTP {response.status}"
            return
        result.error = f"more than {self.policy.max_redirects} redirects"


def _shutdown(sock: Any) -> None:
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _read_capped(response: Any, max_bytes: int) -> bytes:
    chunks = []
    total = 0
    for chunk in response.stream(16384, decode_content=True):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            break
    return b"".join(chunks)


def _reason(err: BaseException) -> str:
    """A one-line reason from urllib3's nested errors."""
    reason = getattr(err, "reason", None)
    while reason is not None and getattr(reason, "reason", None) is not None and reason is not reason.reason:
        reason = reason.reason
    text = str(reason or err)
    if "Read timed out" in text or "timed out" in text.lower():
        return "timed out"
    if "Connection refused" in text:
        return "connection refused"
    return " ".join(text.split())[:300]


_shared: dict[tuple[Any, ...], Fetcher] = {}
_shared_lock = threading.Lock()


def fetcher(policy: FetchPolicy | None = None) -> Fetcher:
    """The process's fetcher for ``policy`` (created once: pooled connections are reused)."""
    policy = policy or FetchPolicy()
    key = tuple(sorted(vars(policy).items()))
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Fetcher(policy)
        return _shared[key]
