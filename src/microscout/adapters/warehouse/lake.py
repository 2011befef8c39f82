"""Writing the warehouse's canonical tables to a lake folder as Parquet, partitioned by
platform (Hive style: ``<lake>/<table>/platform=<name>/data_0.parquet``), which Spark, DuckDB
and pyarrow read as one dataset each.

Each table is written beside its final place and renamed over it, so a reader of the lake sees a
table's old files or its new ones, never half of each; ``_manifest.json`` says what was written.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from microscout.adapters.warehouse.store import Warehouse
from microscout.core.schema import TableSpec
from microscout.errors import NotFoundError

MANIFEST = "_manifest.json"
# Where ``score --engine spark`` writes its results in the lake, and the file describing the run.
RESULTS = "_scores"
RUN_FILE = "_run.json"


def require_lake(lake: Path) -> None:
    """NotFoundError unless ``lake`` holds an export (its manifest)."""
    if not (lake / MANIFEST).is_file():
        raise NotFoundError(
            f"no lake at {lake} (no {MANIFEST}): run `microscout export --lake {lake}` first"
        )


def write_table(warehouse: Warehouse, spec: TableSpec, lake: Path) -> int:
    """Write one table to ``lake/<name>/``, replacing what was there; its row count."""
    final = lake / spec.name
    draft = lake / f".{spec.name}.writing"
    shutil.rmtree(draft, ignore_errors=True)
    rows = warehouse.count(spec.name)
    columns = ", ".join(spec.names)
    if rows:
        warehouse.duck.execute(
            f"COPY (SELECT {columns} FROM {spec.name} ORDER BY {', '.join(spec.key)}) "  # noqa: S608 (names come from TableSpec)
            f"TO '{_literal(draft)}' (FORMAT parquet, PARTITION_BY (platform), "
            "COMPRESSION zstd, WRITE_PARTITION_COLUMNS false)"
        )
    else:
        draft.mkdir(parents=True)
    publish(draft, final)
    return rows


def publish(draft: Path, final: Path) -> None:
    """Move a finished folder over the one it replaces; readers see the old or the new one."""
    stale = final.with_name(f".{final.name}.old")
    shutil.rmtree(stale, ignore_errors=True)
    if final.exists():
        final.rename(stale)
    draft.rename(final)
    shutil.rmtree(stale, ignore_errors=True)


def write_manifest(lake: Path, schema_version: int, counts: dict[str, int]) -> Path:
    path = lake / MANIFEST
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(),
        "warehouse_schema_version": schema_version,
        "partitioned_by": "platform",
        "tables": counts,
    }
    write_json(path, manifest)
    return path


def write_json(path: Path, content: dict[str, Any]) -> None:
    """Write ``content`` to ``path`` as JSON, whole or not at all."""
    draft = path.with_name(f".{path.name}.writing")
    draft.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    draft.replace(path)


def read_json(path: Path) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return content


def read_parquet_folder(folder: Path) -> pa.Table:
    """Every Parquet file under ``folder`` (as Spark writes a table: part files) as one table."""
    return pq.read_table(folder)


def write_parquet_folder(table: pa.Table, folder: Path) -> None:
    """Write ``table`` as the one file of ``folder`` (read back by :func:`read_parquet_folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-0.parquet")


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


__all__ = [
    "MANIFEST",
    "RESULTS",
    "RUN_FILE",
    "publish",
    "read_json",
    "read_parquet_folder",
    "require_lake",
    "write_json",
    "write_manifest",
    "write_parquet_folder",
    "write_table",
]
