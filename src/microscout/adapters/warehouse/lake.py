"""Writing the warehouse's canonical tables to a lake folder as Parquet, partitioned by
platform (Hive style: ``<lake>/<table>/platform=<name>/data_0.parquet``), which Spark, DuckDB
and pyarrow read as one dataset each.

Each table is written beside its final place and renamed over it, so a reader of the lake sees a
table's old files or its new ones, never half of each (on object stores, which cannot rename, the
swap is a copy); ``_manifest.json`` says what was written. The lake is a :class:`LakePath`: a
local folder or a URL (``lake_path.py``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from microscout.adapters.warehouse.lake_path import LakePath
from microscout.adapters.warehouse.store import Warehouse
from microscout.core.schema import TableSpec
from microscout.errors import NotFoundError

MANIFEST = "_manifest.json"
# Where ``score --engine spark`` writes its results in the lake, and the file describing the run.
RESULTS = "_scores"
RUN_FILE = "_run.json"


def require_lake(lake: LakePath) -> None:
    """NotFoundError unless ``lake`` holds an export (its manifest)."""
    if not (lake / MANIFEST).is_file():
        raise NotFoundError(
            f"no lake at {lake} (no {MANIFEST}): run `microscout export --lake {lake}` first"
        )


def write_table(warehouse: Warehouse, spec: TableSpec, lake: LakePath) -> int:
    """Write one table to ``lake/<name>/``, replacing what was there; its row count."""
    final = lake / spec.name
    draft = lake / f".{spec.name}.writing"
    draft.remove()
    rows = warehouse.count(spec.name)
    if draft.local is not None:
        _copy_table(warehouse, spec, rows, draft.local)
    else:  # DuckDB writes here, then the files go to the lake's file system
        with tempfile.TemporaryDirectory(prefix="microscout-lake-") as scratch:
            _copy_table(warehouse, spec, rows, Path(scratch) / spec.name)
            draft.mkdir()
            draft.upload(Path(scratch) / spec.name)
    publish(draft, final)
    return rows


def _copy_table(warehouse: Warehouse, spec: TableSpec, rows: int, folder: Path) -> None:
    if not rows:
        folder.mkdir(parents=True)
        return
    columns = ", ".join(spec.names)
    warehouse.duck.execute(
        f"COPY (SELECT {columns} FROM {spec.name} ORDER BY {', '.join(spec.key)}) "  # noqa: S608 (names come from TableSpec)
        f"TO '{_literal(folder)}' (FORMAT parquet, PARTITION_BY (platform), "
        "COMPRESSION zstd, WRITE_PARTITION_COLUMNS false)"
    )


def publish(draft: LakePath, final: LakePath) -> None:
    """Move a finished folder over the one it replaces; readers see the old or the new one."""
    stale = final.with_name(f".{final.name}.old")
    stale.remove()
    if final.exists():
        final.rename(stale)
    draft.rename(final)
    stale.remove()


def write_manifest(lake: LakePath, schema_version: int, counts: dict[str, int]) -> LakePath:
    path = lake / MANIFEST
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(),
        "warehouse_schema_version": schema_version,
        "partitioned_by": "platform",
        "tables": counts,
    }
    write_json(path, manifest)
    return path


def write_json(path: LakePath, content: dict[str, Any]) -> None:
    """Write ``content`` to ``path`` as JSON, whole or not at all."""
    draft = path.with_name(f".{path.name}.writing")
    draft.write_text(json.dumps(content, indent=2) + "\n")
    draft.rename(path)


def read_json(path: LakePath) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(path.read_text())
    return content


def read_parquet_folder(folder: LakePath) -> pa.Table:
    """Every Parquet file under ``folder`` (as Spark writes a table: part files) as one table."""
    return pq.read_table(folder.path, filesystem=folder.fs)


def write_parquet_folder(table: pa.Table, folder: LakePath) -> None:
    """Write ``table`` as the one file of ``folder`` (read back by :func:`read_parquet_folder`)."""
    folder.mkdir()
    pq.write_table(table, (folder / "part-0.parquet").path, filesystem=folder.fs)


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


__all__ = [
    "MANIFEST",
    "RESULTS",
    "RUN_FILE",
    "LakePath",
    "publish",
    "read_json",
    "read_parquet_folder",
    "require_lake",
    "write_json",
    "write_manifest",
    "write_parquet_folder",
    "write_table",
]
