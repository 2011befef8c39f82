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

from microscout.adapters.warehouse.store import Warehouse
from microscout.core.schema import TableSpec

MANIFEST = "_manifest.json"


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
    stale = lake / f".{spec.name}.old"
    shutil.rmtree(stale, ignore_errors=True)
    if final.exists():
        final.rename(stale)
    draft.rename(final)
    shutil.rmtree(stale, ignore_errors=True)
    return rows


def write_manifest(lake: Path, schema_version: int, counts: dict[str, int]) -> Path:
    path = lake / MANIFEST
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(),
        "warehouse_schema_version": schema_version,
        "partitioned_by": "platform",
        "tables": counts,
    }
    draft = path.with_name(f".{MANIFEST}.writing")
    draft.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    draft.replace(path)
    return path


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


__all__ = ["MANIFEST", "write_manifest", "write_table"]
