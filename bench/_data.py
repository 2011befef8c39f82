"""Synthetic canonical data for the scoring benchmark, written to Parquet in bounded batches.

The data is shaped like the canonical tables (``core/schema.py``) with the quirks the metrics
have to handle: heavy-tailed followers, a few creators with unknown or zero followers, hidden likes,
reach only where the owner shared insights, views only on video, creators that stopped posting,
very active creators whose 180-day window holds more than 30 posts, and follower spikes. Strings are
short ids and codes (no captions): the benchmark measures the metrics, not text handling.

Generation runs creator chunk by creator chunk, so memory stays bounded whatever the size; a JSON
sidecar records the parameters so a rerun with the same ones reuses the files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# Bump when the generator changes, so stale files are rebuilt rather than silently reused.
GENERATOR_VERSION = 1
FILES = ("creators", "posts", "follower_snapshots", "comments")
SIDECAR = "dataset.json"

_END = datetime(2026, 6, 30)
_END_S = int((_END - datetime(1970, 1, 1)).total_seconds())
_DAY = 86_400
_HISTORY_DAYS = 730
_CHUNK_CREATORS = 50_000
_SNAPSHOTS = 8
_SNAPSHOT_STEP_DAYS = 14  # 8 snapshots two weeks apart span 98 days: both 30- and 90-day growth
_PLATFORMS = np.array(["instagram", "tiktok", "youtube"])
_COUNTRIES = np.array(["us", "gb", "de", "fr", "es", "it", "br", "in", "ca", "au"])
_MEDIA = np.array(["image", "carousel", "reel", "video"])


@dataclass(frozen=True)
class DatasetParams:
    creators: int
    posts_per_creator: int
    seed: int
    comments_per_post: float = 0.1
    version: int = GENERATOR_VERSION


@dataclass(frozen=True)
class Dataset:
    """Where the files are and how many rows each holds."""

    folder: Path
    params: DatasetParams
    rows: dict[str, int]
    seconds: float  # generation time; 0 when reused

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.parquet"


def existing(folder: Path, params: DatasetParams) -> Dataset | None:
    """The dataset already on disk when it was generated with exactly these parameters."""
    sidecar = folder / SIDECAR
    if not sidecar.is_file():
        return None
    try:
        recorded: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("params") != asdict(params):
        return None
    if not all((folder / f"{name}.parquet").is_file() for name in FILES):
        return None
    return Dataset(folder, params, {k: int(v) for k, v in recorded["rows"].items()}, 0.0)


def write_sidecar(dataset: Dataset) -> None:
    body = {"params": asdict(dataset.params), "rows": dataset.rows, "seconds": dataset.seconds}
    (dataset.folder / SIDECAR).write_text(json.dumps(body, indent=2), encoding="utf-8")


def generate(folder: Path, params: DatasetParams) -> dict[str, int]:
    """Write the four Parquet files; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    # The sidecar goes last: a run interrupted half-way leaves no claim that the files are whole.
    (folder / SIDECAR).unlink(missing_ok=True)
    rng = np.random.default_rng(params.seed)
    counts = _post_counts(rng, params)
    rows = dict.fromkeys(FILES, 0)
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for start in range(0, params.creators, _CHUNK_CREATORS):
            stop = min(start + _CHUNK_CREATORS, params.creators)
            first_post = int(counts[:start].sum())
            chunk = _chunk(rng, start, stop, counts[start:stop], first_post, params)
            for name, table in chunk.items():
                if name not in writers:
                    writers[name] = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
                writers[name].write_table(table, row_group_size=1_000_000)
                rows[name] += table.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    return rows


def _post_counts(rng: np.random.Generator, params: DatasetParams) -> np.ndarray:
    """Posts per creator: exactly creators × posts_per_creator in total, unevenly shared.

    Gamma weights make a few creators very prolific (their window hits the 30-post cap) and
    leave a few with one or two posts (too few for a confidence interval); 2% have none at all.
    """
    weights = rng.gamma(1.5, 1.0, params.creators)
    weights[rng.random(params.creators) < 0.02] = 0.0
    weights /= weights.sum()
    counts: np.ndarray = rng.multinomial(params.creators * params.posts_per_creator, weights)
    return counts


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    """'c123'-style ids built in Arrow: a Python loop over 30M posts would dominate generation."""
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def _nullable(values: np.ndarray, hidden: np.ndarray) -> pa.Array:
    return pa.array(values, mask=hidden)


def _chunk(
    rng: np.random.Generator,
    start: int,
    stop: int,
    counts: np.ndarray,
    first_post: int,
    params: DatasetParams,
) -> dict[str, pa.Table]:
    n = stop - start
    numbers = np.arange(start, stop)
    platform = rng.choice(_PLATFORMS, n, p=[0.6, 0.3, 0.1])
    followers = np.maximum(rng.lognormal(np.log(20_000), 1.3, n), 50).round().astype(np.int64)
    followers[rng.random(n) < 0.001] = 0
    followers_unknown = rng.random(n) < 0.005
    creators = pa.table(
        {
            "platform": pa.array(platform),
            "creator_id": _ids("c", numbers),
            "handle": _ids("user", numbers),
            "followers": _nullable(followers, followers_unknown),
            "following": rng.lognormal(np.log(600), 1.0, n).round().astype(np.int64),
            "posts_count": counts + rng.integers(0, 50, n),
            "country": pa.array(rng.choice(_COUNTRIES, n)),
            "language": pa.array(rng.choice(["en", "de", "fr", "es", "pt"], n)),
            "is_verified": rng.random(n) < 0.02,
        }
    )
    return {
        "creators": creators,
        "posts": _posts(rng, creators, counts, first_post, followers, followers_unknown),
        "follower_snapshots": _snapshots(rng, creators, followers, followers_unknown),
        "comments": _comments(rng, creators, counts, first_post, params.comments_per_post),
    }


def _posts(
    rng: np.random.Generator,
    creators: pa.Table,
    counts: np.ndarray,
    first_post: int,
    followers: np.ndarray,
    followers_unknown: np.ndarray,
) -> pa.Table:
    n = len(counts)
    total = int(counts.sum())
    owner = np.repeat(np.arange(n), counts)
    # Most creators posted recently; a fifth stopped some time ago, so "latest post" anchors differ.
    stopped = rng.random(n) < 0.2
    idle_days = np.where(stopped, rng.uniform(0, 500, n), rng.exponential(10, n))
    idle_days = np.minimum(idle_days, _HISTORY_DAYS - 30)
    active_days = rng.uniform(30, _HISTORY_DAYS - idle_days)
    offset_days = idle_days[owner] + rng.random(total) * active_days[owner]
    posted_s = _END_S - (offset_days * _DAY).astype(np.int64)

    platform = creators.column("platform").to_numpy()[owner]
    video = platform != "instagram"
    media = np.where(video, "video", rng.choice(_MEDIA, total, p=[0.45, 0.2, 0.35, 0.0]))
    has_views = video | (media == "reel")
    base = np.where(followers_unknown, 5_000, followers).astype(np.float64)[owner]
    creator_er = rng.lognormal(np.log(0.03), 0.6, n)[owner]
    engaged = base * creator_er * rng.lognormal(0.0, 0.5, total)
    views = base * rng.lognormal(np.log(0.3), 0.8, total)
    insights = (rng.random(n) < 0.25)[owner] & (rng.random(total) < 0.9)
    hides_all = (rng.random(n) < 0.01)[owner]
    return pa.table(
        {
            "platform": pa.array(platform),
            "post_id": _ids("p", np.arange(first_post, first_post + total)),
            "creator_id": creators.column("creator_id").take(pa.array(owner)),
            "posted_at": pa.array(posted_s * 1_000_000, pa.timestamp("us")),
            "media_type": pa.array(media),
            "likes": _nullable(
                (engaged * 0.85).round().astype(np.int64), hides_all | (rng.random(total) < 0.03)
            ),
            "comments": _nullable(
                rng.poisson(engaged * 0.04).astype(np.int64), rng.random(total) < 0.01
            ),
            "shares": _nullable(
                rng.poisson(engaged * 0.05).astype(np.int64),
                ~video & (rng.random(total) < 0.5),
            ),
            "saves": _nullable(rng.poisson(engaged * 0.06).astype(np.int64), video),
            "views": _nullable(views.round().astype(np.int64), ~has_views),
            "reach": _nullable(
                (base * rng.lognormal(np.log(0.15), 0.5, total)).round().astype(np.int64),
                ~insights,
            ),
            "is_sponsored": pa.array(rng.random(total) < 0.1, mask=rng.random(total) < 0.01),
        }
    )


def _snapshots(
    rng: np.random.Generator, creators: pa.Table, followers: np.ndarray, unknown: np.ndarray
) -> pa.Table:
    """Up to 8 fortnightly follower counts ending at the latest; 2% of creators bought a jump."""
    n = len(followers)
    taken = np.where(rng.random(n) < 0.85, _SNAPSHOTS, rng.integers(0, _SNAPSHOTS, n))
    taken[unknown] = 0
    owner = np.repeat(np.arange(n), taken)
    # Position 0 is the latest snapshot; counts are rebuilt backwards from today's followers.
    position = np.arange(len(owner)) - np.repeat(np.cumsum(taken) - taken, taken)
    jitter = rng.integers(-3, 4, len(owner))
    jitter[position == 0] = 0
    age_days = position * _SNAPSHOT_STEP_DAYS + jitter
    weekly = rng.normal(0.004, 0.01, len(owner))
    bought = (rng.random(n) < 0.02)[owner] & (position == 3)
    # logs[p] is the log-growth from snapshot p to the newer p-1; the latest has none.
    logs = np.log1p(np.where(bought, 0.25, weekly * _SNAPSHOT_STEP_DAYS / 7))
    logs[position == 0] = 0.0
    cumulative = np.cumsum(logs)
    starts = np.cumsum(taken) - taken
    before = np.where(starts > 0, cumulative[np.maximum(starts - 1, 0)], 0.0)
    growth_to_now = cumulative - np.repeat(before, taken)
    counts = (followers[owner] / np.exp(growth_to_now)).round().astype(np.int64)
    latest_day = _END_S // _DAY - rng.integers(0, 5, n)
    day = latest_day[owner] - age_days
    return pa.table(
        {
            "platform": creators.column("platform").take(pa.array(owner)),
            "creator_id": creators.column("creator_id").take(pa.array(owner)),
            "snapshot_date": pa.array(day.astype(np.int32), pa.date32()),
            "followers": counts,
            "following": creators.column("following").take(pa.array(owner)),
        }
    )


def _comments(
    rng: np.random.Generator,
    creators: pa.Table,
    counts: np.ndarray,
    first_post: int,
    per_post: float,
) -> pa.Table:
    """A comment sample on a share of the posts; a fifth are the creator replying."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts)), counts)
    chosen = np.flatnonzero(rng.random(total) < per_post)
    post_numbers = first_post + chosen
    reply = rng.random(len(chosen)) < 0.2
    author = np.where(reply, -1, rng.integers(0, 5_000_000, len(chosen)))
    handles = creators.column("handle").take(pa.array(owner[chosen]))
    fans = _ids("fan", np.maximum(author, 0))
    return pa.table(
        {
            "platform": creators.column("platform").take(pa.array(owner[chosen])),
            "comment_id": _ids("m", post_numbers),
            "post_id": _ids("p", post_numbers),
            "creator_id": creators.column("creator_id").take(pa.array(owner[chosen])),
            "author": pc.if_else(pa.array(reply), handles, fans),
            "is_reply_by_creator": reply,
        }
    )
