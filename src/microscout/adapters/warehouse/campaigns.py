"""The warehouse reads behind a campaign report: the posts a campaign's creators published
between its dates (which of them belong to the campaign is decided in core/campaigns)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pyarrow as pa

from microscout.adapters.warehouse.store import Warehouse

POST_COLUMNS = (
    "platform",
    "creator_id",
    "post_id",
    "posted_at",
    "caption",
    "hashtags",
    "mentions",
    "sponsors",
    "is_sponsored",
    "likes",
    "comments",
    "shares",
    "saves",
    "views",
    "reach",
    "permalink",
)


def posts_between(
    warehouse: Warehouse, creators: Sequence[tuple[str, str]], first: date, last: date
) -> pa.Table:
    """Every post of ``creators`` ((platform, creator_id) pairs) published from ``first`` to
    ``last``, both days included (UTC), oldest first."""
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    platforms = [p for p, _ in creators]
    ids = [c for _, c in creators]
    return warehouse.fetch_arrow(
        f"SELECT {', '.join('p.' + c for c in POST_COLUMNS)} FROM posts p "  # noqa: S608 (fixed names)
        "JOIN (SELECT unnest(?) AS platform, unnest(?) AS creator_id) k "
        "USING (platform, creator_id) "
        "WHERE p.posted_at >= ? AND p.posted_at < ? ORDER BY p.posted_at, p.post_id",
        [platforms, ids, start, end],
    )


__all__ = ["POST_COLUMNS", "posts_between"]
