"""Batch conversion of directory trees: parallel, incremental, atomic.

The per-document work is :func:`convert.api.convert_bytes` (bytes and options in, bytes out); this
module only walks the tree, decides what needs doing, maps that function over files with a process
pool in bounded windows (memory stays flat however many files there are), writes each output
atomically and records what it did in a manifest in DEST, so a second run converts only what
changed and a killed run is finished by the next one.
"""

from __future__ import annotations

from convert.batch.driver import run_batch
from convert.batch.model import DOCUMENT_EXTENSIONS, MANIFEST, BatchOptions, Result, Summary, Task
from convert.batch.stream import run_stream
from convert.batch.tree import output_path, walk
from convert.batch.work import convert_file, convert_line

__all__ = ["DOCUMENT_EXTENSIONS", "MANIFEST", "BatchOptions", "Result", "Summary", "Task", "convert_file", "convert_line", "output_path", "run_batch", "run_stream", "walk"]
