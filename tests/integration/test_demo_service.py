"""build_demo against a real DuckDB warehouse file."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.core.schema import CREATORS, POSTS
from microscout.demo.build import build_demo

TABLES = (
    "creators",
    "posts",
    "comments",
    "follower_snapshots",
    "audience_samples",
    "demo_ground_truth",
)


def _imported_creator() -> pa.Table:
    return pa.table(
        {
            "platform": ["instagram"],
            "creator_id": ["imported_1"],
            "handle": ["someone"],
            "followers": pa.array([12_000], pa.int64()),
            "source": ["csv:creators.csv"],
            "fetched_at": pa.array([datetime(2026, 1, 1)], pa.timestamp("us")),
        }
    )


def test_build_demo_writes_every_table_and_reports_the_row_counts(warehouse: Warehouse) -> None:
    summary = build_demo(warehouse, n_creators=120, seed=5)
    assert set(summary.rows) == set(TABLES)
    for name in TABLES:
        assert warehouse.count(name) == summary.rows[name] > 0, name
    assert summary.rows["creators"] == 120
    assert summary.seconds > 0
    row = warehouse.duck.execute(
        "SELECT count(*) FROM creators c JOIN demo_ground_truth g USING (platform, creator_id)"
    ).fetchone()
    assert row is not None
    assert row[0] == 120


def test_rebuilding_replaces_the_demo_rows_and_keeps_imported_ones(warehouse: Warehouse) -> None:
    warehouse.append(CREATORS, _imported_creator())
    build_demo(warehouse, n_creators=80, seed=1)
    second = build_demo(warehouse, n_creators=60, seed=2)
    for name in TABLES:
        assert warehouse.count(name) == second.rows[name] + (name == "creators"), name
    row = warehouse.duck.execute("SELECT count(*) FROM creators WHERE source <> 'demo'").fetchone()
    assert row is not None
    assert row[0] == 1


def test_a_failed_rebuild_leaves_the_previous_demo_in_place(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build_demo(warehouse, n_creators=50, seed=1)

    def broken_append(spec: object, rows: pa.Table) -> int:
        if spec is POSTS:
            raise RuntimeError("disk full")
        return Warehouse.append(warehouse, spec, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(warehouse, "append", broken_append)
    with pytest.raises(RuntimeError):
        build_demo(warehouse, n_creators=70, seed=2)
    for name in TABLES:
        assert warehouse.count(name) == first.rows[name], name


def test_stored_values_keep_their_nulls(warehouse: Warehouse) -> None:
    build_demo(warehouse, n_creators=100, seed=3)
    row = warehouse.duck.execute(
        "SELECT count(*) FILTER (WHERE saves IS NOT NULL), count(*) FILTER (WHERE saves = 0) "
        "FROM posts WHERE platform = 'youtube'"
    ).fetchone()
    assert row == (0, 0)
