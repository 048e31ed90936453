"""The caches on disk: a rerun downloads nothing it already has, and checks no image again.

``$FMCONVERT_CACHE_DIR/images`` (else ``$XDG_CACHE_HOME/fmconvert/images`` or
``~/.cache/fmconvert/images``) holds each image once, named by the hash of its bytes
(``blobs/``), and one small record per URL (``urls/``: the blob, its media type and the answer's
validators, ``ETag`` and ``Last-Modified``). Records and blobs are written atomically, so
processes of a batch share the cache safely and a killed run leaves nothing half-written. Only
images are kept, never failures: an image that was missing is asked for again next time.
``--offline`` reads the cache only.

``lint --check-remote`` keeps its answers beside it, in ``remote-images.json`` (one file: URL ->
whether the image came without and with a foreign Referer, and when that was checked), for a
number of hours (:func:`load_checks`, :func:`save_checks`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def cache_root() -> str:
    """fmconvert's cache folder: ``$FMCONVERT_CACHE_DIR``, else ``$XDG_CACHE_HOME/fmconvert``,
    else ``~/.cache/fmconvert``."""
    return os.environ.get("FMCONVERT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "fmconvert"
    )


def cache_dir() -> str:
    """The image cache: ``images`` in :func:`cache_root`."""
    return os.path.join(cache_root(), "images")


def checks_path() -> str:
    """The file of ``lint --check-remote``'s answers."""
    return os.path.join(cache_root(), "remote-images.json")


def load_checks(max_age_hours: float) -> dict[str, dict[str, Any]]:
    """The remote checks of the last ``max_age_hours`` hours, by URL (``{}`` when there are none,
    or the file cannot be read)."""
    try:
        with open(checks_path(), encoding="utf-8") as fh:
            entries = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    oldest = time.time() - max_age_hours * 3600
    return {
        url: entry
        for url, entry in entries.items()
        if isinstance(entry, dict) and isinstance(entry.get("checked"), (int, float)) and entry["checked"] >= oldest
    }


def save_checks(entries: dict[str, dict[str, Any]], max_age_hours: float) -> None:
    """Add ``entries`` (URL -> answer), checked now, to the file; it is read again first (other
    processes may have added theirs) and entries older than ``max_age_hours`` go. A file that
    cannot be written only costs the next run some fetching."""
    if not entries:
        return
    from convert.fsutil import atomic_write

    kept = load_checks(max_age_hours)
    now = time.time()
    for url, entry in entries.items():
        kept[url] = {**entry, "checked": now}
    path = checks_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def _record_path(url: str) -> str:
    return os.path.join(cache_dir(), "urls", hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest() + ".json")


def lookup(url: str) -> tuple[bytes, str] | None:
    """The cached bytes and media type of ``url``, or None."""
    try:
        with open(_record_path(url), encoding="utf-8") as fh:
            record = json.load(fh)
        with open(os.path.join(cache_dir(), "blobs", record["blob"]), "rb") as fh:
            data = fh.read()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if hashlib.sha256(data).hexdigest() != record.get("blob"):
        return None  # a damaged blob is not an image
    return data, str(record.get("type", ""))


def store(url: str, data: bytes, media_type: str, headers: dict[str, Any] | None = None) -> None:
    """Keep an image for ``url``; a cache that cannot be written only costs a later download."""
    from convert.fsutil import atomic_write

    blob = hashlib.sha256(data).hexdigest()
    headers = headers or {}
    record = {"url": url, "blob": blob, "type": media_type, "etag": headers.get("etag"), "last_modified": headers.get("last-modified"), "fetched": time.time()}
    try:
        blob_path = os.path.join(cache_dir(), "blobs", blob)
        if not os.path.exists(blob_path):
            os.makedirs(os.path.dirname(blob_path), exist_ok=True)
            atomic_write(blob_path, data)
        record_path = _record_path(url)
        os.makedirs(os.path.dirname(record_path), exist_ok=True)
        atomic_write(record_path, json.dumps(record).encode())
    except OSError:
        pass


@contextmanager
def url_lock(url: str) -> Iterator[None]:
    """Held while ``url`` is fetched, across the processes of a batch: the second process to
    want an image waits, then finds it in the cache (each image is fetched once per cache)."""
    import fcntl

    path = _record_path(url)[: -len(".json")] + ".lock"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # no cache folder: fetch without the lock
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
