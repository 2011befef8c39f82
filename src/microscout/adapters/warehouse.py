"""The warehouse: canonical tables in one DuckDB file, read through Ibis.

Writes go through a DuckDB transaction so an import either lands whole or not at all. Reads hand
out Ibis table expressions so the pure metrics in ``core`` run unchanged on DuckDB or on Spark.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from microscout.adapters.migrations import LATEST_VERSION, MIGRATIONS, Migration
from microscout.core.schema import TableSpec
from microscout.errors import SchemaVersionError, StoreError

_DUCK_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
}
# Columns that record where a value came from, not the value: a re-import that differs only here
# is "unchanged".
_PROVENANCE = frozenset({"source", "fetched_at"})


@dataclass(frozen=True)
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def duck_type(dtype: str) -> str:
    return _DUCK_TYPES[dtype]


class Warehouse:
    """A DuckDB warehouse file, migrated to the latest schema when opened."""

    def __init__(
        self,
        path: Path,
        *,
        memory_limit: str = "4GB",
        threads: int | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
        read_only: bool = False,
    ) -> None:
        self.path = path
        config: dict[str, Any] = {"memory_limit": memory_limit}
        if threads:
            config["threads"] = threads
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.ibis = ibis.duckdb.connect(str(path), read_only=read_only, **config)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"cannot open the warehouse {path}: {exc}") from None
        self.duck: duckdb.DuckDBPyConnection = self.ibis.con
        self.duck.execute("SET TimeZone = 'UTC'")
        if not read_only:
            self._migrate(migrations)
        self._check_version(migrations[-1].version if migrations else 0)

    # -- schema -----------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.duck.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or exists[0] == 0:
            return 0
        row = self.duck.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _check_version(self, known: int) -> None:
        found = self.schema_version()
        if found > known:
            raise SchemaVersionError(
                f"{self.path} has schema version {found}, newer than this microscout "
                f"understands ({known}); upgrade microscout to open it"
            )

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        self.duck.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version BIGINT, description VARCHAR, applied_at TIMESTAMP)"
        )
        current = self.schema_version()
        for migration in migrations:
            if migration.version <= current:
                continue
            with self.transaction():
                for statement in migration.statements:
                    self.duck.execute(statement)
                self.duck.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [migration.version, migration.description, datetime.now(UTC)],
                )

    # -- reads ------------------------------------------------------------------------------
    def table(self, name: str) -> ibis.Table:
        return self.ibis.table(name)

    def count(self, name: str) -> int:
        row = self.duck.execute(f"SELECT count(*) FROM {name}").fetchone()
        return int(row[0]) if row else 0

    def fetch_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        return self.duck.execute(sql, list(params)).fetch_arrow_table()

    # -- writes -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside land together or not at all."""
        self.duck.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.duck.execute("ROLLBACK")
            raise
        self.duck.execute("COMMIT")

    def _stage(self, spec: TableSpec, rows: pa.Table, name: str) -> None:
        """Copy ``rows`` into a temp table shaped like ``spec`` (missing columns are NULL)."""
        self.duck.register("_incoming", rows)
        try:
            select = ", ".join(
                f"CAST({_quote(c.name)} AS {duck_type(c.dtype)}) AS {c.name}"
                if c.name in rows.column_names
                else f"CAST(NULL AS {duck_type(c.dtype)}) AS {c.name}"
                for c in spec.columns
            )
            self.duck.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select} FROM _incoming")
        finally:
            self.duck.unregister("_incoming")

    def upsert(self, spec: TableSpec, rows: pa.Table) -> UpsertCounts:
        """Insert new keys; update existing ones from a snapshot at least as new.

        A value missing (NULL) in ``rows`` never erases a known one, and a row whose every known
        value equals the stored one counts as unchanged, so re-importing a file changes nothing.
        """
        if rows.num_rows == 0:
            return UpsertCounts()
        self._stage(spec, rows, "_in")
        on = " AND ".join(f"i.{k} = t.{k}" for k in spec.key)
        values = [c.name for c in spec.columns if c.name not in spec.key and c.name not in _PROVENANCE]
        differs = " OR ".join(f"(i.{c} IS NOT NULL AND i.{c} IS DISTINCT FROM t.{c})" for c in values)
        newer = "(i.fetched_at IS NULL OR t.fetched_at IS NULL OR i.fetched_at >= t.fetched_at)"
        self.duck.execute(
            f"CREATE OR REPLACE TEMP TABLE _changed AS SELECT i.* FROM _in i JOIN {spec.name} t "
            f"ON {on} WHERE {newer} AND ({differs})"
        )
        self.duck.execute(
            f"CREATE OR REPLACE TEMP TABLE _new AS SELECT i.* FROM _in i "
            f"ANTI JOIN {spec.name} t ON {on}"
        )
        updated = self.count("_changed")
        inserted = self.count("_new")
        if updated:
            assignments = ", ".join(
                f"{c.name} = COALESCE(i.{c.name}, {spec.name}.{c.name})"
                for c in spec.columns
                if c.name not in spec.key
            )
            keys = " AND ".join(f"i.{k} = {spec.name}.{k}" for k in spec.key)
            self.duck.execute(f"UPDATE {spec.name} SET {assignments} FROM _changed i WHERE {keys}")
        if inserted:
            self.duck.execute(f"INSERT INTO {spec.name} SELECT * FROM _new")
        for temp in ("_in", "_changed", "_new"):
            self.duck.execute(f"DROP TABLE IF EXISTS {temp}")
        return UpsertCounts(inserted, updated, rows.num_rows - inserted - updated)

    def append(self, spec: TableSpec, rows: pa.Table) -> int:
        """Add rows as they are (logs and quarantine)."""
        if rows.num_rows == 0:
            return 0
        self._stage(spec, rows, "_append")
        self.duck.execute(f"INSERT INTO {spec.name} SELECT * FROM _append")
        self.duck.execute("DROP TABLE IF EXISTS _append")
        return rows.num_rows

    def replace_from_sql(self, spec: TableSpec, select_sql: str) -> int:
        """Replace the whole table with the result of a query (computed tables)."""
        columns = ", ".join(spec.names)
        self.duck.execute(f"DELETE FROM {spec.name}")
        self.duck.execute(f"INSERT INTO {spec.name} ({columns}) SELECT {columns} FROM ({select_sql})")
        return self.count(spec.name)

    def replace(self, spec: TableSpec, rows: pa.Table) -> int:
        self.duck.execute(f"DELETE FROM {spec.name}")
        return self.append(spec, rows)

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.ibis.disconnect()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = ["LATEST_VERSION", "UpsertCounts", "Warehouse"]
