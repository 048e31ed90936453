"""Conversion on Dask: :func:`convert_bag` for pipelines that already hold Dask collections.

A batch on a Dask cluster (``fmconvert batch ... --scheduler ADDRESS``) is run by
:mod:`convert.batch.cluster`; its names are importable from here too.

Install with ``pip install "fmconvert[dask]"``; nothing here imports Dask until it is used.
"""

from __future__ import annotations

from typing import Any

from convert.batch.cluster import PARTITION_BYTES, client_for, map_tasks, partitions, require_dask, run_partition

__all__ = ["PARTITION_BYTES", "client_for", "convert_bag", "map_tasks", "partitions", "require_dask", "run_partition"]


def _convert_item(item: tuple[str, bytes], to: str, options: dict[str, Any]) -> dict[str, Any]:
    from convert.api import convert_bytes
    from convert.errors import ConvertError, internal_error
    from convert.formats import WriteOptions

    path, data = item
    settings = dict(options, consume_body=True)
    repair = bool(settings.pop("repair", True))
    write_options = WriteOptions.from_settings(settings)
    try:
        out = convert_bytes(data, to, path=path, options=write_options, repair=repair)
    except ConvertError as err:
        return {"path": path, "status": "failed", "error": str(err), "data": None, "warnings": []}
    except Exception as err:  # a bug must not stop the pipeline
        return {"path": path, "status": "failed", "error": f"{path}: {internal_error(err)}", "data": None, "warnings": []}
    return {"path": path, "status": "converted", "error": None, "data": out, "warnings": list(write_options.warnings)}


def convert_bag(bag: Any, to: str = "markdown", **options: Any) -> Any:
    """Map the conversion over a Dask bag of ``(path, bytes)``; a bag of dicts comes back:
    ``path``, ``status`` (``converted`` or ``failed``), ``data`` (the output bytes), ``error``,
    ``warnings``. ``options`` are the writer options of ``convert`` by their Python names
    (``profile="hugo"``, ``image_style="html"``, ``newline="crlf"``), and ``repair=False`` for
    ``--no-repair``."""
    require_dask()
    return bag.map(_convert_item, to=to, options=options)
