"""The warehouse reads behind browsing: creators by handle, a creator's scores and latest posts,
the current figures of a list of creators, and when the scores and imports last ran.

These run on every profile view, so they are plain SQL: compiling the Ibis equivalent would cost
more than the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from microscout.adapters.warehouse.store import Warehouse
from microscout.adapters.warehouse.views import CARD_COLUMNS, NEWEST_FIRST

Key = tuple[str, str]
# The creators a list of keys names, as a table to join: (platform, creator_id).
_KEYS = "(SELECT unnest(?) AS platform, unnest(?) AS creator_id) AS k"


def creator_by_handle(
    warehouse: Warehouse, handle: str, platform: str | None = None
) -> dict[str, Any] | None:
    """The creators row with this lower-case handle (on ``platform`` when given), or None."""
    rows = warehouse.fetch_arrow(
        "SELECT * FROM creators WHERE lower(handle) = ? AND (? IS NULL OR platform = ?) "
        "ORDER BY platform LIMIT 1",
        [handle, platform, platform],
    ).to_pylist()
    return dict(rows[0]) if rows else None


def handles_starting_with(warehouse: Warehouse, prefix: str) -> list[str]:
    """Up to 5,000 handles whose lower-case form starts with ``prefix`` (for suggestions)."""
    near = warehouse.fetch_arrow(
        "SELECT handle FROM creators WHERE starts_with(lower(handle), ?) LIMIT 5000",
        [prefix],
    )
    return [str(h) for h in near["handle"].to_pylist()]


def creators_with_handle(warehouse: Warehouse, handle: str) -> list[dict[str, Any]]:
    """Every creators row with this lower-case handle, one per platform, by platform."""
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        "SELECT * FROM creators WHERE lower(handle) = ? ORDER BY platform", [handle]
    ).to_pylist()
    return rows


def score_row(warehouse: Warehouse, platform: str, creator_id: str) -> dict[str, Any] | None:
    """The creator's creator_scores row, or None when it is not scored."""
    rows = warehouse.fetch_arrow(
        "SELECT * FROM creator_scores WHERE platform = ? AND creator_id = ?", (platform, creator_id)
    ).to_pylist()
    return dict(rows[0]) if rows else None


# The profile card's posts: how many, what each shows, and where its caption is cut.
CARD_POSTS = 5
CARD_CAPTION = 80


def latest_posts(warehouse: Warehouse, platform: str, creator_id: str) -> list[dict[str, Any]]:
    """The creator's 5 latest posts for the profile card, caption cut to 80 characters, with
    the post's public link (never its internal id, which means nothing to a reader)."""
    columns = ", ".join(
        f"left(caption, {CARD_CAPTION}) AS caption" if c == "caption" else c for c in CARD_COLUMNS
    )
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        f"SELECT {columns} FROM posts WHERE platform = ? AND creator_id = ? "  # noqa: S608 (columns and order are code constants; values are bound)
        f"ORDER BY {NEWEST_FIRST} LIMIT {CARD_POSTS}",
        (platform, creator_id),
    ).to_pylist()
    return rows


def card_posts(recent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The profile card's posts from a creator's latest posts (newest first, as
    :func:`latest_posts` reads them)."""
    return [
        {
            c: (p["caption"][:CARD_CAPTION] if c == "caption" and p["caption"] else p[c])
            for c in CARD_COLUMNS
        }
        for p in recent[:CARD_POSTS]
    ]


def scored_figures(
    warehouse: Warehouse, keys: Sequence[Key], figures: Sequence[str]
) -> list[dict[str, Any]]:
    """platform, creator_id, handle and the ``figures`` columns of these creators' scores."""
    columns = "".join(f", s.{f}" for f in figures)
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        f"SELECT s.platform, s.creator_id, s.handle{columns} "  # noqa: S608 (column names are code constants; values are bound)
        f"FROM creator_scores AS s JOIN {_KEYS} USING (platform, creator_id)",
        [[p for p, _ in keys], [c for _, c in keys]],
    ).to_pylist()
    return rows


def creator_handles(warehouse: Warehouse, keys: Sequence[Key]) -> dict[Key, str | None]:
    """The current handle of each of these creators still in the warehouse."""
    rows = warehouse.fetch_arrow(
        f"SELECT c.platform, c.creator_id, c.handle FROM creators AS c "  # noqa: S608 (column names are code constants; values are bound)
        f"JOIN {_KEYS} USING (platform, creator_id)",
        [[p for p, _ in keys], [c for _, c in keys]],
    ).to_pylist()
    return {(r["platform"], r["creator_id"]): r["handle"] for r in rows}


def last_score_run_started(warehouse: Warehouse) -> datetime | None:
    """When the latest scoring run started (None before the first)."""
    started: datetime | None = warehouse.scalar("SELECT max(started_at) FROM score_runs")
    return started


def last_import_started(warehouse: Warehouse) -> datetime | None:
    """When the latest import started (None before the first)."""
    started: datetime | None = warehouse.scalar("SELECT max(started_at) FROM imports")
    return started


__all__ = [
    "card_posts",
    "creator_by_handle",
    "creator_handles",
    "creators_with_handle",
    "handles_starting_with",
    "last_import_started",
    "last_score_run_started",
    "latest_posts",
    "score_row",
    "scored_figures",
]
