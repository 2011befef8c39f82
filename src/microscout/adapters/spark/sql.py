"""The warehouse's queries on Spark: DuckDB SQL translated to Spark SQL by sqlglot.

The adapters write their queries once, in DuckDB's dialect; the Spark engine runs the same text
translated, so the two engines cannot drift apart. Tests compare both engines' results on the
same data (tests/integration/test_spark_engine.py).
"""

from __future__ import annotations

import functools

import sqlglot


@functools.lru_cache(maxsize=64)
def spark_sql(duckdb_sql: str) -> str:
    """``duckdb_sql`` in Spark's dialect (one statement)."""
    statements = sqlglot.transpile(duckdb_sql, read="duckdb", write="spark")
    if len(statements) != 1:
        raise ValueError(f"expected one statement, got {len(statements)}")
    return statements[0]


__all__ = ["spark_sql"]
