"""The warehouse: canonical tables in one DuckDB file, read through Ibis.

Writes go through a DuckDB transaction so an import either lands whole or not at all. Reads hand
out Ibis table expressions so the pure metrics in ``core`` run unchanged on DuckDB or on Spark.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from microscout.adapters.warehouse.migrations import LATEST_VERSION, MIGRATIONS, Migration
from microscout.core.schema import TableSpec
from microscout.errors import SchemaVersionError, StoreError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends.duckdb import Backend as DuckDBBackend

_DUCK_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "array<string>": "VARCHAR[]",
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
            self.duck: duckdb.DuckDBPyConnection = duckdb.connect(
                str(path), read_only=read_only, config=config
            )
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"cannot open the warehouse {path}: {exc}") from None
        self.duck.execute("SET TimeZone = 'UTC'")
        # As Ibis sets it on its connections: a query never reads a Python variable by its name.
        self.duck.execute("SET python_enable_replacements = false")
        if not read_only:
            self._migrate(migrations)
        self._check_version(migrations[-1].version if migrations else 0)

    # -- schema -----------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        )
        if not exists:
            return 0
        version = self.scalar("SELECT max(version) FROM schema_version")
        return int(version) if version is not None else 0

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

    @functools.cached_property
    def ibis(self) -> DuckDBBackend:
        """The Ibis backend on this connection, made on first use: importing Ibis takes 0.3 s and
        loading its DuckDB backend another 0.3 s, which commands that only run SQL need not pay."""
        import ibis

        return ibis.duckdb.from_connection(self.duck)

    # -- reads ------------------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        return self.ibis.table(name)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first value of a query; fetches every row so DuckDB holds no unfinished result."""
        rows = self.duck.execute(sql, list(params)).fetchall()
        return rows[0][0] if rows else None

    def count(self, name: str) -> int:
        return int(self.scalar(f"SELECT count(*) FROM {name}"))  # noqa: S608 (names come from TableSpec; values are bound)

    def fetch_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        table: pa.Table = self.duck.sql(sql, params=list(params)).to_arrow_table()
        return table

    def arrow(self, expr: ir.Table) -> pa.Table:
        """An Ibis expression's rows, run as SQL: Ibis's own ``to_pyarrow`` imports pandas
        (0.3 s), which a one-creator command like ``vet`` should not pay for."""
        return self.fetch_arrow(str(self.ibis.compile(expr)))

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
        with self._incoming(spec, rows) as select:
            self.duck.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    @contextlib.contextmanager
    def _incoming(self, spec: TableSpec, rows: pa.Table) -> Iterator[str]:
        """A SELECT of ``rows`` shaped like ``spec`` (missing columns are NULL), read straight
        from the Arrow table while the block runs: a statement that reads ``rows`` once needs
        no temp copy of them (a copy cost a third of replacing the 177,374 niche rows of Kim)."""
        self.duck.register("_incoming", rows)
        try:
            columns = ", ".join(
                f"CAST({_quote(c.name)} AS {duck_type(c.dtype)}) AS {c.name}"
                if c.name in rows.column_names
                else f"CAST(NULL AS {duck_type(c.dtype)}) AS {c.name}"
                for c in spec.columns
            )
            yield f"SELECT {columns} FROM _incoming"  # noqa: S608 (names come from TableSpec; values are bound)
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
        try:
            return self.upsert_staged(spec, "_in")
        finally:
            self.duck.execute("DROP TABLE IF EXISTS _in")

    def upsert_staged(self, spec: TableSpec, staged: str) -> UpsertCounts:
        """:meth:`upsert` from a table already in DuckDB (an importer's temp staging table).

        ``staged`` must hold every column of ``spec`` with its warehouse type (extra columns are
        ignored) and no key twice. Nothing leaves DuckDB, so millions of rows upsert in SQL.
        """
        total = self.count(staged)
        if total == 0:
            return UpsertCounts()
        columns = ", ".join(f"i.{c}" for c in spec.names)
        on = " AND ".join(f"i.{k} = t.{k}" for k in spec.key)
        values = [
            c.name for c in spec.columns if c.name not in spec.key and c.name not in _PROVENANCE
        ]
        differs = " OR ".join(
            f"(i.{c} IS NOT NULL AND i.{c} IS DISTINCT FROM t.{c})" for c in values
        )
        newer = "(i.fetched_at IS NULL OR t.fetched_at IS NULL OR i.fetched_at >= t.fetched_at)"
        if "fetched_at" not in spec.names:
            newer = "TRUE"
        assignments = ", ".join(
            f"{c.name} = COALESCE(i.{c.name}, {spec.name}.{c.name})"
            for c in spec.columns
            if c.name not in spec.key
        )
        keys = " AND ".join(f"i.{k} = {spec.name}.{k}" for k in spec.key)
        # Update before inserting: the anti-join below then sees the same keys either way.
        updated = self._rowcount(
            f"UPDATE {spec.name} SET {assignments} FROM (SELECT {columns} FROM {staged} i "  # noqa: S608 (names come from TableSpec; values are bound)
            f"JOIN {spec.name} t ON {on} WHERE {newer} AND ({differs})) i WHERE {keys}"
        )
        inserted = self._rowcount(
            f"INSERT INTO {spec.name} SELECT {columns} FROM {staged} i "  # noqa: S608 (names come from TableSpec; values are bound)
            f"ANTI JOIN {spec.name} t ON {on}"
        )
        return UpsertCounts(inserted, updated, total - inserted - updated)

    def insert_missing(self, spec: TableSpec, rows: pa.Table) -> int:
        """Add only rows whose key is not stored yet (quarantine: re-imports add no duplicates)."""
        if rows.num_rows == 0:
            return 0
        self._stage(spec, rows, "_missing")
        try:
            on = " AND ".join(f"i.{k} = t.{k}" for k in spec.key)
            return self._rowcount(
                f"INSERT INTO {spec.name} SELECT i.* FROM _missing i "  # noqa: S608 (names come from TableSpec; values are bound)
                f"ANTI JOIN {spec.name} t ON {on}"
            )
        finally:
            self.duck.execute("DROP TABLE IF EXISTS _missing")

    def _rowcount(self, sql: str) -> int:
        count = self.scalar(sql)  # DuckDB answers INSERT/UPDATE with the number of rows
        return int(count) if count is not None else 0

    def append(self, spec: TableSpec, rows: pa.Table) -> int:
        """Add rows as they are (logs and quarantine)."""
        if rows.num_rows == 0:
            return 0
        with self._incoming(spec, rows) as select:
            self.duck.execute(f"INSERT INTO {spec.name} {select}")
        return int(rows.num_rows)

    def update_columns(self, spec: TableSpec, rows: pa.Table) -> int:
        """Set the columns ``rows`` carries on the rows with the same key (computed tables)."""
        columns = [c for c in rows.column_names if c not in spec.key]
        if rows.num_rows == 0 or not columns:
            return 0
        assignments = ", ".join(f"{c} = i.{c}" for c in columns)
        keys = " AND ".join(f"i.{k} = {spec.name}.{k}" for k in spec.key)
        with self._incoming(spec, rows) as select:
            self.duck.execute(
                f"UPDATE {spec.name} SET {assignments} FROM ({select}) i WHERE {keys}"  # noqa: S608 (names come from TableSpec; values are bound)
            )
        return int(rows.num_rows)

    def replace_from_sql(self, spec: TableSpec, select_sql: str) -> int:
        """Replace the whole table with the result of a query (computed tables)."""
        columns = ", ".join(spec.names)
        self.duck.execute(f"DELETE FROM {spec.name}")  # noqa: S608 (names come from TableSpec; values are bound)
        self.duck.execute(
            f"INSERT INTO {spec.name} ({columns}) SELECT {columns} FROM ({select_sql})"  # noqa: S608 (names come from TableSpec; values are bound)
        )
        return self.count(spec.name)

    def replace(self, spec: TableSpec, rows: pa.Table) -> int:
        self.duck.execute(f"DELETE FROM {spec.name}")  # noqa: S608 (names come from TableSpec; values are bound)
        return self.append(spec, rows)

    def delete_source(self, spec: TableSpec, source: str) -> None:
        """Delete the rows one source wrote (its ``source`` column), leaving every other row."""
        self.duck.execute(f"DELETE FROM {spec.name} WHERE source = ?", [source])  # noqa: S608 (names come from TableSpec; values are bound)

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.duck.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = ["LATEST_VERSION", "UpsertCounts", "Warehouse"]
