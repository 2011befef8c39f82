"""The warehouse reads behind a creator's charts: posts, follower snapshots, niches, the run.

Plain SQL, as the profile page runs them on every view; the values they return are raw counts,
and the per-post formulas are applied by the caller from ``core.metrics.per_post``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from microscout.adapters.warehouse.store import Warehouse


def latest_run_as_of(warehouse: Warehouse) -> datetime | None:
    """The ``as_of`` of the latest scoring run (None before the first, or when it had none)."""
    as_of = warehouse.scalar("SELECT as_of FROM score_runs ORDER BY started_at DESC LIMIT 1")
    return as_of if isinstance(as_of, datetime) else None


def creator_handle_followers(
    warehouse: Warehouse, platform: str, creator_id: str
) -> dict[str, Any] | None:
    """The creator's handle and followers, or None when there is no such creator."""
    rows = warehouse.fetch_arrow(
        "SELECT handle, followers FROM creators WHERE platform = ? AND creator_id = ?",
        (platform, creator_id),
    ).to_pylist()
    return dict(rows[0]) if rows else None


def score_columns(
    warehouse: Warehouse, platform: str, creator_id: str, columns: Sequence[str]
) -> dict[str, Any] | None:
    """These columns of the creator's creator_scores row, or None when it is not scored."""
    found = warehouse.fetch_arrow(
        f"SELECT {', '.join(columns)} FROM creator_scores WHERE platform = ? AND creator_id = ?",  # noqa: S608 (column names and cut-offs are code constants; values are bound)
        [platform, creator_id],
    ).to_pylist()
    return dict(found[0]) if found else None


def latest_dated_posts(
    warehouse: Warehouse, platform: str, creator_id: str, as_of: datetime | None, limit: int
) -> list[dict[str, Any]]:
    """The creator's ``limit`` latest dated posts up to ``as_of``, newest first, with their
    counts (likes, comments, shares, saves, views, reach)."""
    cut = "" if as_of is None else " AND posted_at <= ?"
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        "SELECT post_id, posted_at, likes, comments, shares, saves, views, reach FROM posts "  # noqa: S608 (column names and cut-offs are code constants; values are bound)
        f"WHERE platform = ? AND creator_id = ? AND posted_at IS NOT NULL{cut} "
        f"ORDER BY posted_at DESC, post_id DESC LIMIT {int(limit)}",
        [platform, creator_id] + ([] if as_of is None else [as_of]),
    ).to_pylist()
    return rows


def follower_points(
    warehouse: Warehouse, platform: str, creator_id: str, as_of: date | None
) -> list[dict[str, Any]]:
    """The creator's follower snapshots up to ``as_of`` (snapshot_date, followers), oldest first."""
    cut = "" if as_of is None else " AND snapshot_date <= ?"
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        "SELECT snapshot_date, followers FROM follower_snapshots WHERE platform = ? "  # noqa: S608 (column names and cut-offs are code constants; values are bound)
        f"AND creator_id = ? AND followers IS NOT NULL AND snapshot_date IS NOT NULL{cut} "
        "ORDER BY snapshot_date",
        [platform, creator_id] + ([] if as_of is None else [as_of]),
    ).to_pylist()
    return rows


def creator_niche_rows(
    warehouse: Warehouse, platform: str, creator_id: str
) -> list[dict[str, Any]]:
    """The creator's niche mix from the niche scoring stage, by rank."""
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        """SELECT niche_id, niche_name, share, posts_n, method FROM creator_niches
           WHERE platform = ? AND creator_id = ? ORDER BY rank, niche_id""",
        (platform, creator_id),
    ).to_pylist()
    return rows


__all__ = [
    "creator_handle_followers",
    "creator_niche_rows",
    "follower_points",
    "latest_dated_posts",
    "latest_run_as_of",
    "score_columns",
]
