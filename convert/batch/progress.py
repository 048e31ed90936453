"""The progress line of a batch on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """One self-rewriting line on a terminal: done/total, failures, rate, time left."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, failed: int, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        left = (self.total - done) / rate if rate > 0 else 0
        width = 24
        filled = int(width * done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {done}/{self.total}  {failed} failed  {rate:,.0f} files/s  {int(left) // 60}:{int(left) % 60:02d} left "
        sys.stderr.write(line)
        if final:
            sys.stderr.write("\n")
        sys.stderr.flush()


