"""The manifest in DEST: what the last runs converted, so a second run converts only what changed."""

from __future__ import annotations

import json
import os
from typing import Any

from convert.batch.model import MANIFEST, MANIFEST_VERSION, Result, Task
from convert.batch.work import _digest


class Manifest:
    """What the last runs converted: input size, mtime and hash, per relative path."""

    def __init__(self, dest: str | None, fingerprint: str) -> None:
        self.path = os.path.join(dest, MANIFEST) if dest else None
        self.fingerprint = fingerprint
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if data.get("version") == MANIFEST_VERSION and data.get("fingerprint") == fingerprint:
                    self.entries = data.get("entries", {})
            except (OSError, ValueError):
                self.entries = {}

    def unchanged(self, task: Task) -> bool:
        entry = self.entries.get(task.relpath)
        if entry is None or not os.path.exists(task.output):
            return False
        try:
            st = os.stat(task.source)
        except OSError:
            return False
        if entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
            return True
        try:
            with open(task.source, "rb") as fh:
                same = _digest(fh.read()) == entry.get("sha256")
        except OSError:
            return False
        if same:
            entry["mtime_ns"] = st.st_mtime_ns
        return same

    def record(self, result: Result) -> None:
        if result.status in ("converted", "copied"):
            self.entries[result.relpath] = {"sha256": result.digest, "size": result.size, "mtime_ns": result.mtime_ns}
        elif result.status == "failed":
            self.entries.pop(result.relpath, None)

    def save(self) -> str | None:
        """Write the manifest; the one-line reason when it cannot be written (a full or
        read-only DEST), None when it was."""
        if not self.path:
            return None
        from convert.fsutil import atomic_write

        data = {"version": MANIFEST_VERSION, "fingerprint": self.fingerprint, "entries": self.entries}
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            atomic_write(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
        except OSError as err:
            return f"{self.path}: cannot write the manifest: {err.strerror or err} (the next run converts these files again)"
        return None


