"""Holding an import's typed rows in DuckDB staging tables until they are checked and upserted.

Staging in DuckDB rather than in Python keeps memory bounded (DuckDB spills to disk past its memory
limit) and lets duplicate keys be found across all batches of a file with one ``GROUP BY``, however
large the file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

import pyarrow as pa

from microscout.adapters.files.model import Reject
from microscout.adapters.files.readers import LINE
from microscout.adapters.warehouse import UpsertCounts, Warehouse, duck_type
from microscout.core.schema import CREATORS, TableSpec


class Stage:
    """Valid rows for one canonical table from one file, keyed by the line they came from."""

    def __init__(
        self,
        warehouse: Warehouse,
        spec: TableSpec,
        file: str,
        *,
        derived: bool = False,
        origins: Mapping[str, str] | None = None,
    ) -> None:
        self.warehouse = warehouse
        self.spec = spec
        self.file = file
        self.derived = derived
        self.origins = dict(origins or {})
        self.name = f"_stage_{spec.name}_{uuid.uuid4().hex[:12]}"
        columns = ", ".join(f"{c.name} {duck_type(c.dtype)}" for c in spec.columns)
        # A table in the warehouse file, not a TEMP one: created inside the import's transaction
        # it vanishes on rollback, and DuckDB writes its row groups to disk as they fill, so
        # memory stays flat however large the file (a temp table grew to the memory limit).
        self._sql(f"CREATE TABLE {self.name} ({LINE} BIGINT, {columns})")

    def _sql(self, sql: str) -> None:
        self.warehouse.duck.execute(sql)

    def append(self, rows: pa.Table) -> None:
        """Add a typed batch (``_line`` then the spec's columns, as ``convert`` builds it)."""
        if rows.num_rows == 0:
            return
        # Not register()/unregister(): inside a transaction DuckDB keeps each dropped view, and
        # with it the Arrow batch, until commit, so memory would grow with the whole file.
        self.warehouse.duck.from_arrow(rows).insert_into(self.name)

    def remove_duplicates(self) -> list[Reject]:
        """Keep the first row of each key; reject later ones naming the first line.

        Derived rows (a post's creator repeated on each of its posts) merge silently instead.
        """
        key = ", ".join(self.spec.key)
        found = self.warehouse.duck.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {self.name} GROUP BY {key} HAVING count(*) > 1)"  # noqa: S608 (names come from TableSpec; values are bound)
        ).fetchone()
        if not found or found[0] == 0:
            return []
        on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM d.{k}" for k in self.spec.key)
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE _stage_dups AS SELECT rid, first_line FROM ("  # noqa: S608 (names come from TableSpec; values are bound)
            f"SELECT s.rowid AS rid, first_value(s.{LINE}) OVER w AS first_line, "
            f"row_number() OVER w AS rn FROM {self.name} s SEMI JOIN "
            f"(SELECT {key} FROM {self.name} GROUP BY {key} HAVING count(*) > 1) d ON {on} "
            f"WINDOW w AS (PARTITION BY {', '.join('s.' + k for k in self.spec.key)} "
            f"ORDER BY s.{LINE}, s.rowid)) WHERE rn > 1"
        )
        rejects: list[Reject] = []
        if not self.derived:
            rows = self.warehouse.fetch_arrow(
                f"SELECT d.first_line, s.* FROM {self.name} s "  # noqa: S608 (names come from TableSpec; values are bound)
                f"JOIN _stage_dups d ON s.rowid = d.rid ORDER BY s.{LINE}"
            ).to_pylist()
            column = self.origins.get(self.spec.key[-1], self.spec.key[-1])
            for row in rows:
                first = row.pop("first_line")
                line = row.pop(LINE)
                values = ", ".join(str(row[k]) for k in self.spec.key)
                reason = f"duplicate key ({values}): first seen on line {first}"
                raw = json.dumps(row, ensure_ascii=False, default=str)
                rejects.append(Reject(self.file, line, column, reason, self.spec.name, raw))
        self._sql(f"DELETE FROM {self.name} WHERE rowid IN (SELECT rid FROM _stage_dups)")  # noqa: S608 (names come from TableSpec; values are bound)
        self._sql("DROP TABLE IF EXISTS _stage_dups")
        return rejects

    def count(self) -> int:
        return self.warehouse.count(self.name)

    def upsert(self) -> UpsertCounts:
        return self.warehouse.upsert_staged(self.spec, self.name)

    def add_missing_creators(self, *, ids_are_handles: bool) -> int:
        """Give each staged row's creator a minimal creators row when none exists yet.

        Followers stay NULL (unknown); the handle is filled only when the creator_id is a handle.
        fetched_at stays NULL too, so a creators file imported later fills the row whatever its
        date (a NULL fetched_at never blocks a snapshot).
        """
        handle = "s.creator_id" if ids_are_handles else "NULL"
        columns = ", ".join(CREATORS.names)
        values = ", ".join(
            {
                "platform": "s.platform",
                "creator_id": "s.creator_id",
                "handle": handle,
                "source": "s.source",
            }.get(c, "NULL")
            for c in CREATORS.names
        )
        row = self.warehouse.duck.execute(
            f"INSERT INTO creators ({columns}) SELECT {values} FROM ("  # noqa: S608 (names come from TableSpec; values are bound)
            f"SELECT platform, creator_id, min(source) AS source "
            f"FROM {self.name} WHERE creator_id IS NOT NULL GROUP BY platform, creator_id) s "
            f"ANTI JOIN creators c ON s.platform = c.platform AND s.creator_id = c.creator_id"
        ).fetchone()
        return int(row[0]) if row else 0

    def drop(self) -> None:
        self._sql(f"DROP TABLE IF EXISTS {self.name}")
