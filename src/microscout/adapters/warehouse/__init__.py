"""The warehouse: canonical tables and scores in DuckDB, reached through Ibis and named queries.

``store`` opens the file, migrates it and moves Arrow tables in and out; the capability modules
beside it (``discovery``, ``planning``, ``vetting``, ``browse``, ``charts``) hold the SQL that the
services run by name, so no service writes SQL of its own.
"""

from microscout.adapters.warehouse.store import UpsertCounts, Warehouse, duck_type

__all__ = ["UpsertCounts", "Warehouse", "duck_type"]
