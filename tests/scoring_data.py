"""A small, seeded dataset of canonical rows that exercises every metric and its edge cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.core.schema import (
    ARROW_TYPES,
    COMMENTS,
    CREATORS,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    TableSpec,
)


def arrow_rows(spec: TableSpec, rows: Sequence[Mapping[str, object]]) -> pa.Table:
    """Rows as an Arrow table shaped like ``spec`` (absent columns are NULL)."""
    return pa.table(
        {
            c.name: pa.array([r.get(c.name) for r in rows], ARROW_TYPES[c.dtype])
            for c in spec.columns
        }
    )


def seeded_dataset(seed: int = 7, creators: int = 60) -> dict[str, pa.Table]:
    """Creators with 0–45 posts over two years, hidden likes, sponsors, comments and snapshots."""
    rng = np.random.default_rng(seed)
    end = datetime(2026, 6, 30)
    creator_rows: list[dict[str, object]] = []
    post_rows: list[dict[str, object]] = []
    comment_rows: list[dict[str, object]] = []
    snapshot_rows: list[dict[str, object]] = []
    for i in range(creators):
        cid = f"c{i:03d}"
        followers = (
            None if i % 17 == 5 else (0 if i % 19 == 3 else int(rng.integers(2_000, 90_000)))
        )
        creator_rows.append(
            {"platform": "instagram", "creator_id": cid, "handle": cid, "followers": followers}
        )
        for j in range(int(rng.integers(0, 46)) if i % 13 else 0):
            posted = end - timedelta(days=float(rng.uniform(0, 700)))
            likes = None if rng.random() < 0.05 else int(rng.integers(0, 3_000))
            views = int(rng.integers(100, 20_000)) if rng.random() < 0.5 else None
            post_rows.append(
                {
                    "platform": "instagram",
                    "post_id": f"{cid}-p{j}",
                    "creator_id": cid,
                    "posted_at": posted.replace(microsecond=0),
                    "likes": likes,
                    "comments": int(rng.integers(0, 120)) if rng.random() < 0.95 else None,
                    "shares": int(rng.integers(0, 50)) if views is not None else None,
                    "saves": int(rng.integers(0, 80)) if rng.random() < 0.5 else None,
                    "views": views,
                    "reach": int(rng.integers(100, 9_000)) if rng.random() < 0.3 else None,
                    "is_sponsored": bool(rng.random() < 0.15),
                }
            )
            for k in range(int(rng.integers(0, 4))):
                comment_rows.append(
                    {
                        "platform": "instagram",
                        "comment_id": f"{cid}-p{j}-c{k}",
                        "post_id": f"{cid}-p{j}",
                        "creator_id": cid,
                        "author": cid if k == 2 else f"fan{k}",
                        "is_reply_by_creator": k == 2,
                    }
                )
        if i % 3 and followers:
            level = followers
            for week in range(int(rng.integers(1, 30))):
                level += int(rng.integers(-50, 200)) + (level // 3 if week == 9 else 0)
                snapshot_rows.append(
                    {
                        "platform": "instagram",
                        "creator_id": cid,
                        "snapshot_date": date(2026, 1, 1) + timedelta(days=7 * week),
                        "followers": level,
                    }
                )
    return {
        "creators": arrow_rows(CREATORS, creator_rows),
        "posts": arrow_rows(POSTS, post_rows),
        "comments": arrow_rows(COMMENTS, comment_rows),
        "follower_snapshots": arrow_rows(FOLLOWER_SNAPSHOTS, snapshot_rows),
    }


def load(warehouse: Warehouse, tables: dict[str, pa.Table]) -> None:
    specs = {s.name: s for s in (CREATORS, POSTS, COMMENTS, FOLLOWER_SNAPSHOTS)}
    with warehouse.transaction():
        for name, table in tables.items():
            warehouse.append(specs[name], table)
