"""The one place that builds real adapters from Settings."""

from __future__ import annotations

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings


def open_warehouse(settings: Settings, *, read_only: bool = False) -> Warehouse:
    """Open (creating and migrating when needed) the warehouse the settings point at."""
    return Warehouse(
        settings.warehouse_file,
        memory_limit=settings.duckdb_memory_limit,
        threads=settings.duckdb_threads,
        read_only=read_only,
    )
