"""The manifest: what the last runs converted, so a second run converts only what changed.

It is an embedded SQLite database, ``.fmconvert-manifest.sqlite`` in DEST, read and written only
by the driver: one row per input (size, a change stamp, SHA-256), looked up by its relative path,
so asking about one document costs the same in a tree of ten or of ten million. Records are
committed per chunk (WAL mode), so a killed run loses at most the chunk in flight and the next
run does only what is left. A manifest of the old kind (a JSON file rewritten whole every 200
documents) is migrated once and removed.

For a DEST in object storage (``s3://...``) the database lives in a local cache folder, named
after DEST, and is copied to DEST when the run ends (object stores hold whole objects, not a
database being written).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from typing import Any

from convert.batch.model import MANIFEST, MANIFEST_VERSION, Result, Task, digest
from convert.errors import reason

OLD_MANIFEST = ".fmconvert-manifest.json"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    relpath BLOB PRIMARY KEY,  -- UTF-8; file names that are not UTF-8 kept byte for byte
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    stamp TEXT NOT NULL
) WITHOUT ROWID;
"""


class Manifest:
    """What the last runs converted: input size, change stamp and hash, per relative path.

    ``path``: the database file (None: no manifest, as for JSON Lines output); ``exists``: how to
    ask whether an output is still there (the local file system by default)."""

    def __init__(self, path: str | None, fingerprint: str, exists: Callable[[str], bool] = os.path.exists) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.exists = exists
        self.pending: dict[str, tuple[str, int, str] | None] = {}
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        self.legacy: str | None = None  # a JSON manifest being migrated
        if path:
            self._open(path)

    @classmethod
    def in_dest(cls, dest: str | None, fingerprint: str) -> Manifest:
        return cls(os.path.join(dest, MANIFEST) if dest else None, fingerprint)

    def _open(self, path: str) -> None:
        """Open the database if there is one; a new one is created by the first save (a dry run,
        or a run that converts nothing, leaves DEST as it was)."""
        if not os.path.exists(path):
            self._legacy(os.path.join(os.path.dirname(path), OLD_MANIFEST))
            return
        try:
            self.db = self._connect(path)
        except (OSError, sqlite3.Error) as err:
            self.error = f"{path}: cannot open the manifest: {reason(err)} (every file is converted)"
            self.db = None

    def _connect(self, path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: a tree of millions stays in cache
            db.execute("PRAGMA mmap_size=268435456")
            db.executescript(SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None or row[0] != self.fingerprint or version is None or version[0] != str(MANIFEST_VERSION):
                with db:
                    db.execute("BEGIN")
                    db.execute("DELETE FROM entries")  # other options or another version: all again
                    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("fingerprint", self.fingerprint), ("version", str(MANIFEST_VERSION))])
        except BaseException:
            db.close()
            raise
        return db

    def _legacy(self, old: str) -> None:
        """The records of a JSON manifest (the old kind), taken over: they are written to the new
        database with its first save, and the JSON file is then removed."""
        if not os.path.exists(old):
            return
        self.legacy = old
        try:
            with open(old, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return
        if data.get("fingerprint") != self.fingerprint:
            return
        for rel, e in data.get("entries", {}).items():
            if isinstance(e, dict) and {"sha256", "size", "mtime_ns"} <= e.keys():
                self.pending[rel] = (str(e["sha256"]), int(e["size"]), str(e["mtime_ns"]))

    def lookup(self, relpath: str) -> tuple[str, int, str] | None:
        if relpath in self.pending:
            return self.pending[relpath]
        if self.db is None:
            return None
        row = self.db.execute("SELECT sha256, size, stamp FROM entries WHERE relpath = ?", (_key(relpath),)).fetchone()
        return (row[0], int(row[1]), row[2]) if row else None

    def unchanged(self, task: Task) -> bool:
        """Whether ``task``'s input is as recorded and its output still there. A local file
        whose time changed but whose bytes did not counts as unchanged (its stamp is updated)."""
        entry = self.lookup(task.relpath)
        if entry is None or not self.exists(task.output):
            return False
        recorded, size, stamp = entry
        if task.stamp is not None:  # from a listing (object storage): size and stamp decide
            return size == task.size and stamp == task.stamp
        try:
            st = os.stat(task.source)
        except OSError:
            return False
        if size == st.st_size and stamp == str(st.st_mtime_ns):
            return True
        try:
            with open(task.source, "rb") as fh:
                same = digest(fh.read()) == recorded
        except OSError:
            return False
        if same:
            self.pending[task.relpath] = (recorded, size, str(st.st_mtime_ns))
        return same

    def record(self, result: Result) -> None:
        if result.status in ("converted", "copied") and result.digest is not None:
            self.pending[result.relpath] = (result.digest, result.size, result.stamp or str(result.mtime_ns))
        elif result.status == "failed":
            self.pending[result.relpath] = None

    def save(self) -> str | None:
        """Commit what was recorded since the last save, in one transaction; the one-line reason
        when it cannot be (a full or read-only DEST), None when it was."""
        if self.error:
            error, self.error = self.error, None
            return error
        if not self.path or not self.pending:
            return None
        rows = [(_key(rel), *entry) for rel, entry in self.pending.items() if entry is not None]
        gone = [(_key(rel),) for rel, entry in self.pending.items() if entry is None]
        created = False
        try:
            if self.db is None:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                created = not os.path.exists(self.path)
                self.db = self._connect(self.path)
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", rows)
                self.db.executemany("DELETE FROM entries WHERE relpath = ?", gone)
        except (OSError, sqlite3.Error) as err:
            if created:  # nothing half-made is left behind
                if self.db is not None:
                    self.db.close()
                    self.db = None
                for suffix in ("", "-wal", "-shm", "-journal"):
                    try:
                        os.remove(self.path + suffix)
                    except OSError:
                        pass
            return f"{self.path}: cannot write the manifest: {reason(err)} (the next run converts these files again)"
        self.pending.clear()
        if self.legacy:
            try:
                os.remove(self.legacy)
            except OSError:
                pass
            self.legacy = None
        return None

    def count(self) -> int:
        return 0 if self.db is None else int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self.db.close()
            self.db = None


def _key(relpath: str) -> bytes:
    return relpath.encode("utf-8", "surrogateescape")


def entries(path: str) -> dict[str, Any]:
    """The records of a manifest database, for tests and tools: relpath -> (sha256, size, stamp)."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT relpath, sha256, size, stamp FROM entries").fetchall()
    return {bytes(rel).decode("utf-8", "surrogateescape"): (sha, size, stamp) for rel, sha, size, stamp in rows}
