"""What a batch run works with: its options, the tasks it plans, the results it gathers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

DOCUMENT_EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".xhtml", ".json")
MANIFEST = ".fmconvert-manifest.sqlite"
MANIFEST_VERSION = 3
#: Write options that change what is reported, not what is written: not in the fingerprint.
NOT_IN_OUTPUT = frozenset({"verbose"})


def digest(data: bytes) -> str:
    """The digest of a file's bytes that the manifest records (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class BatchOptions:
    to: str
    from_: str = "auto"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int = 0
    force: bool = False
    copy_assets: bool = False
    dry_run: bool = False
    strip: tuple[str, ...] = ()
    encoding: str | None = None
    repair: bool = True  # escape lost '<' when reading (convert.html); --no-repair: False
    extension: str | None = None  # output extension, from the target format
    write_options: dict[str, Any] = field(default_factory=dict)
    scheduler: str | None = None  # a Dask scheduler address, or local[:N] (convert.batch.cluster)

    def fingerprint(self) -> str:
        """What, besides the input bytes, decides an output: a change re-converts everything."""
        from convert._version import __version__

        key = json.dumps(
            [__version__, self.to, self.from_, list(self.strip), self.encoding, self.repair, sorted((k, v) for k, v in self.write_options.items() if k not in NOT_IN_OUTPUT)],
            default=str,
        )
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Task:
    source: str  # absolute path
    relpath: str  # relative to SRC, with '/' separators
    output: str  # absolute output path
    kind: str  # "document" | "asset"
    size: int = 0  # from a listing (object storage); locally the manifest asks the file system
    stamp: str | None = None  # a change stamp from the listing (ETag, mtime), None for local files


@dataclass(slots=True)
class Result:
    relpath: str
    status: str  # converted | unchanged | failed | copied
    error: str | None = None
    digest: str | None = None
    size: int = 0
    mtime_ns: int = 0
    stamp: str | None = None  # the change stamp recorded (the task's, or the file's mtime_ns)
    data: bytes | None = None  # JSON Lines output, gathered by the parent
    warnings: list[str] = field(default_factory=list)  # what the writer reported (images not had...)
    images_missed: int = 0  # images --localize-images could not bring home
    templates: dict[str, int] = field(default_factory=dict)  # template code by what became of it (convert.templates)


@dataclass
class Summary:
    converted: int = 0
    unchanged: int = 0
    failed: int = 0
    copied: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    images_missed: int = 0
    templates: dict[str, int] = field(default_factory=dict)  # template code by what became of it


