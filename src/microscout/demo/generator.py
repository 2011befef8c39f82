"""The deterministic demo data generator: canonical tables for ``microscout demo``.

``generate(n_creators, seed)`` returns Arrow tables shaped exactly like the canonical
:mod:`microscout.core.schema` tables, plus ``demo_ground_truth`` recording every planted problem.
The same seed always gives the same tables: all randomness comes from one
``numpy.random.SeedSequence`` split into one stream per stage, and no clock is read. Pure: no I/O.
What is generated and why it looks the way it does: ``docs/demo-data.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa

from microscout.core.schema import (
    AUDIENCE_SAMPLES,
    COMMENTS,
    CREATORS,
    DEMO_GROUND_TRUTH,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    TableSpec,
    arrow_schema,
)
from microscout.demo.audience import draw_audience
from microscout.demo.comments import draw_comments
from microscout.demo.creators import draw_creators, profile_columns
from microscout.demo.growth import draw_snapshots
from microscout.demo.niches import NICHES
from microscout.demo.posts import draw_posts
from microscout.demo.vocab import COUNTRIES, LANGUAGES

SOURCE = "demo"
DEFAULT_END = datetime(2026, 10, 31, tzinfo=UTC)
_STAGES = ("creators", "posts", "audience", "comments", "snapshots", "tables")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoData:
    """The generated tables, each shaped exactly like its :class:`TableSpec`."""

    creators: pa.Table
    posts: pa.Table
    comments: pa.Table
    follower_snapshots: pa.Table
    audience_samples: pa.Table
    ground_truth: pa.Table

    def tables(self) -> dict[str, pa.Table]:
        """The tables keyed by warehouse table name."""
        return {
            table.name: getattr(self, f.name) for f, table in zip(fields(self), SPECS, strict=True)
        }


SPECS = (CREATORS, POSTS, COMMENTS, FOLLOWER_SNAPSHOTS, AUDIENCE_SAMPLES, DEMO_GROUND_TRUTH)


def _table(spec: TableSpec, columns: dict[str, pa.Array], n: int, fetched_at: int) -> pa.Table:
    """Assemble ``columns`` into ``spec``'s shape; provenance is filled, other gaps are NULL."""
    schema = arrow_schema(spec)
    arrays = []
    for field in schema:
        if field.name == "source":
            arrays.append(pa.array(np.full(n, SOURCE, dtype=object), pa.string()))
        elif field.name == "fetched_at":
            arrays.append(pa.array(np.full(n, fetched_at, dtype=np.int64), pa.timestamp("us")))
        elif field.name in columns:
            arrays.append(columns[field.name].cast(field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def generate(
    n_creators: int = 20_000,
    seed: int = 42,
    *,
    end: datetime = DEFAULT_END,
    progress: Progress | None = None,
    audience_size: int = 50,
) -> DemoData:
    """Generate the demo data set: ``n_creators`` creators with a year of activity up to ``end``.

    ``progress`` is called as ``progress(stage, done, total)`` after each stage.
    ``audience_size`` is the number of followers sampled per creator (a few fewer where a draw
    repeats an account).
    """
    if n_creators < 1:
        raise ValueError("n_creators must be at least 1")
    if audience_size < 1:
        raise ValueError("audience_size must be at least 1")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    end_utc = end.astimezone(UTC).replace(tzinfo=None)
    end_us = int(np.datetime64(end_utc, "us").astype(np.int64))
    end_day = int(np.datetime64(end_utc, "D").astype(np.int64))

    def tick(stage: str) -> None:
        if progress is not None:
            progress(stage, _STAGES.index(stage) + 1, len(_STAGES))

    creators = draw_creators(streams[0], n_creators)
    tick("creators")
    posts = draw_posts(streams[1], creators, end_us)
    tick("posts")
    audience = draw_audience(streams[2], creators, audience_size)
    tick("audience")
    comment_rows, comment_columns = draw_comments(streams[3], creators, posts, audience, end_us)
    tick("comments")
    snap_creator, snap_columns = draw_snapshots(streams[4], creators, end_day)
    tick("snapshots")

    # posts_count is all-time: the year generated here plus an older history.
    older = streams[5].poisson(posts.per_creator * streams[5].uniform(0.5, 4.0, creators.n))
    creator_columns = profile_columns(streams[6], creators, posts.per_creator + older)
    n = creators.n
    platform = creators.platform_names()
    creator_columns |= {
        "platform": platform,
        "creator_id": creators.creator_id,
        "handle": creators.handle,
        "followers": pa.array(creators.followers, pa.int64()),
        "following": pa.array(creators.following, pa.int64()),
        "country": pa.array(np.array([c[0] for c in COUNTRIES], dtype=object)[creators.country]),
        "language": pa.array(
            np.array([lang.code for lang in LANGUAGES], dtype=object)[creators.language]
        ),
    }
    comment_columns["platform"] = posts.columns["platform"].take(pa.array(comment_rows))
    snap_columns["platform"] = platform.take(pa.array(snap_creator))
    snap_columns["creator_id"] = creators.creator_id.take(pa.array(snap_creator))
    audience_columns = dict(audience.columns)
    audience_columns["platform"] = platform.take(pa.array(audience.creator))
    audience_columns["creator_id"] = creators.creator_id.take(pa.array(audience.creator))
    problems = creators.problems
    truth_columns = {
        "platform": platform,
        "creator_id": creators.creator_id,
        "niche": pa.array(np.array([nc.iab_id for nc in NICHES], dtype=object)[creators.niche]),
        "niche_name": pa.array(
            np.array([nc.iab_name for nc in NICHES], dtype=object)[creators.niche]
        ),
        "problems": problems.labels(),
        "pod_id": pa.array(problems.pod_id, pa.int64(), mask=problems.pod_id < 0),
        "fake_share": pa.array(audience.fake_share, pa.float64()),
    }
    data = DemoData(
        creators=_table(CREATORS, creator_columns, n, end_us),
        posts=_table(POSTS, posts.columns, len(posts.post_id), end_us),
        comments=_table(COMMENTS, comment_columns, len(comment_rows), end_us),
        follower_snapshots=_table(FOLLOWER_SNAPSHOTS, snap_columns, len(snap_creator), end_us),
        audience_samples=_table(AUDIENCE_SAMPLES, audience_columns, len(audience.creator), end_us),
        ground_truth=_table(DEMO_GROUND_TRUTH, truth_columns, n, end_us),
    )
    tick("tables")
    return data


__all__ = ["SPECS", "DemoData", "arrow_schema", "generate"]
