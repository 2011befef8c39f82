"""Exporting the warehouse's canonical tables to a lake folder (``microscout export --lake``):
partitioned Parquet that Spark, DuckDB or pyarrow read as one dataset per table.

The folder must be new, empty, or a lake exported before (it holds ``_manifest.json``): an
export never writes over a folder of something else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.lake import MANIFEST, LakePath, write_manifest, write_table
from microscout.core.schema import CANONICAL
from microscout.errors import ParameterError


@dataclass(frozen=True)
class LakeExport:
    folder: LakePath
    tables: dict[str, int]  # rows written per table
    manifest: LakePath
    seconds: float


def export_lake(warehouse: Warehouse, folder: LakePath) -> LakeExport:
    """Write every canonical table under ``folder``, replacing an earlier export's tables."""
    clock = time.perf_counter()
    if folder.is_file():
        raise ParameterError("--lake", f"{folder} is a file, not a folder")
    if folder.is_dir() and not folder.is_empty_dir() and not (folder / MANIFEST).exists():
        raise ParameterError(
            "--lake", f"{folder} holds other files; give a new or empty folder, or an earlier lake"
        )
    try:
        folder.mkdir()
    except OSError as exc:
        raise ParameterError("--lake", f"cannot create {folder}: {exc}") from None
    counts = {spec.name: write_table(warehouse, spec, folder) for spec in CANONICAL}
    manifest = write_manifest(folder, warehouse.schema_version(), counts)
    return LakeExport(folder, counts, manifest, time.perf_counter() - clock)


__all__ = ["LakeExport", "export_lake"]
