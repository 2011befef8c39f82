"""The DuckDB warehouse: migrations, transactions and snapshot-aware upserts on real files."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from microscout.adapters.warehouse import Warehouse, duck_type
from microscout.adapters.warehouse.migrations import LATEST_VERSION, MIGRATIONS, Migration
from microscout.core.schema import ALL_TABLES, CREATORS
from microscout.errors import SchemaVersionError, StoreError
from tests.scoring_data import arrow_rows


def test_a_new_warehouse_has_exactly_the_declared_tables_and_columns(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "w.duckdb") as wh:
        assert wh.schema_version() == LATEST_VERSION
        for spec in ALL_TABLES:
            rows = wh.fetch_arrow(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [spec.name],
            ).to_pylist()
            assert [(r["column_name"], r["data_type"]) for r in rows] == [
                (c.name, duck_type(c.dtype)) for c in spec.columns
            ], spec.name


def test_an_older_warehouse_is_migrated_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Warehouse(path, migrations=MIGRATIONS[:1]) as old:
        assert old.schema_version() == 1
        with old.transaction():
            old.append(
                CREATORS,
                arrow_rows(
                    CREATORS,
                    [
                        {
                            "platform": "instagram",
                            "creator_id": "a",
                            "handle": "a",
                            "followers": 12_000,
                        }
                    ],
                ),
            )
    extra = Migration(
        LATEST_VERSION + 1, "a later release", ("ALTER TABLE creators ADD COLUMN x INT",)
    )
    with Warehouse(path, migrations=(*MIGRATIONS, extra)) as new:
        assert new.schema_version() == LATEST_VERSION + 1
        assert new.scalar("SELECT followers FROM creators WHERE creator_id = 'a'") == 12_000
        assert new.count("creator_scores") == 0  # tables of later migrations now exist
        steps = new.fetch_arrow("SELECT version FROM schema_version ORDER BY 1").to_pylist()
        assert [s["version"] for s in steps] == list(range(1, LATEST_VERSION + 2))


def test_a_warehouse_from_a_newer_release_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    future = Migration(LATEST_VERSION + 5, "future", ("CREATE TABLE future_table (x INT)",))
    Warehouse(path, migrations=(*MIGRATIONS, future)).close()
    with pytest.raises(SchemaVersionError, match="newer than this microscout understands"):
        Warehouse(path)


def test_a_failed_transaction_leaves_the_warehouse_unchanged(warehouse: Warehouse) -> None:
    row = {"platform": "instagram", "creator_id": "a", "handle": "a", "followers": 1}

    def append_then_fail() -> None:
        with warehouse.transaction():
            warehouse.append(CREATORS, arrow_rows(CREATORS, [row]))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        append_then_fail()
    assert warehouse.count("creators") == 0


def _creator(followers: int | None, bio: str | None, fetched: datetime) -> pa.Table:
    return arrow_rows(
        CREATORS,
        [
            {
                "platform": "tiktok",
                "creator_id": "7",
                "handle": "h",
                "followers": followers,
                "bio": bio,
                "fetched_at": fetched,
            }
        ],
    )


def test_upsert_counts_and_snapshot_rules(warehouse: Warehouse) -> None:
    jan, feb, mar = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)
    with warehouse.transaction():
        first = warehouse.upsert(CREATORS, _creator(100, "hello", feb))
        same = warehouse.upsert(CREATORS, _creator(100, "hello", mar))
        older = warehouse.upsert(CREATORS, _creator(50, "old", jan))
        newer = warehouse.upsert(CREATORS, _creator(200, None, mar))
    assert (first.inserted, same.unchanged, older.unchanged, newer.updated) == (1, 1, 1, 1)
    row = warehouse.fetch_arrow("SELECT followers, bio, fetched_at FROM creators").to_pylist()[0]
    # the older snapshot changed nothing; the newer one kept the bio it did not know
    assert row == {"followers": 200, "bio": "hello", "fetched_at": mar}


def test_a_warehouse_locked_by_another_process_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Warehouse(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ok"
        time.sleep(0.2)
        with pytest.raises(StoreError, match="cannot open the warehouse"):
            Warehouse(path)
    finally:
        holder.kill()
        holder.wait()


def test_stored_null_reasons_become_lists_when_a_version_5_warehouse_is_opened(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v5.duckdb"
    with Warehouse(path, migrations=MIGRATIONS[:5]) as old:
        old.duck.execute(
            "INSERT INTO creator_scores (platform, creator_id, null_reasons) VALUES "
            "('instagram', 'a', 'growth_30d: no follower snapshots; spike: no follower snapshots'),"
            "('instagram', 'b', ''), ('instagram', 'c', NULL)"
        )
    with Warehouse(path) as new:
        rows = new.fetch_arrow(
            "SELECT creator_id, null_reasons FROM creator_scores ORDER BY creator_id"
        ).to_pylist()
    assert [r["null_reasons"] for r in rows] == [
        ["growth_30d: no follower snapshots", "spike: no follower snapshots"],
        [],
        [],
    ]


def test_kept_post_terms_learn_their_creator_when_a_version_7_warehouse_is_opened(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v7.duckdb"
    with Warehouse(path, migrations=MIGRATIONS[:7]) as old:
        old.duck.execute(
            "INSERT INTO posts (platform, post_id, creator_id) VALUES "
            "('instagram', 'p1', 'anna'), ('tiktok', 'p1', 'bob')"
        )
        old.duck.execute(
            "INSERT INTO post_terms VALUES ('instagram', 'p1', 'sourdough', 'h1'), "
            "('tiktok', 'p1', 'climbing', 'h2'), ('instagram', 'gone', 'kayak', 'h3')"
        )
    with Warehouse(path) as new:
        rows = new.fetch_arrow(
            "SELECT platform, post_id, creator_id FROM post_terms ORDER BY platform, post_id"
        ).to_pylist()
    assert rows == [
        {"platform": "instagram", "post_id": "gone", "creator_id": None},
        {"platform": "instagram", "post_id": "p1", "creator_id": "anna"},
        {"platform": "tiktok", "post_id": "p1", "creator_id": "bob"},
    ]
