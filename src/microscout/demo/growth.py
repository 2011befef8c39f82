"""Follower snapshots: weekly counts over the year before ``end``, with planted bought jumps."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from microscout.demo.creators import Creators
from microscout.demo.text import IntArray

WEEKS = 52


def draw_snapshots(
    rng: np.random.Generator, creators: Creators, end_day: int
) -> tuple[IntArray, dict[str, pa.Array]]:
    """Weekly snapshots ending on ``end_day`` (days since the epoch); the last one equals
    ``creators.followers``. Returns the creator index per row and the columns."""
    n = creators.n
    weeks_before = np.tile(np.arange(WEEKS - 1, -1, -1), n)  # 51 .. 0 per creator
    c = np.repeat(np.arange(n), WEEKS)
    # Organic growth: an annual trend per creator plus a small random walk, pinned to the final
    # count so the newest snapshot equals the profile's follower count.
    trend = np.clip(rng.normal(0.12, 0.12, n), -0.10, 0.60)
    steps = rng.normal(0.0, 0.002, (n, WEEKS))
    steps[:, -1] = 0.0
    walk = np.cumsum(steps[:, ::-1], axis=1)[:, ::-1].reshape(-1)  # sums the later weeks' steps
    level = np.exp(-trend[c] * weeks_before / WEEKS - walk)
    p = creators.problems
    # Before the purchase the account had 1 / (1 + jump) of the followers it has after it.
    before_jump = p.bought[c] & (weeks_before > p.jump_week[c])
    level = np.where(before_jump, level / (1 + p.jump[c]), level)
    followers = np.round(creators.followers[c] * level).astype(np.int64)
    following_drift = rng.integers(-3, 4, (n, WEEKS)).cumsum(axis=1)
    following_drift -= following_drift[:, -1:]
    following = np.maximum(creators.following[c] + following_drift.reshape(-1), 0)
    days = (end_day - 7 * weeks_before).astype("datetime64[D]")
    return c, {
        "snapshot_date": pa.array(days, pa.date32()),
        "followers": pa.array(followers, pa.int64()),
        "following": pa.array(following.astype(np.int64), pa.int64()),
    }


__all__ = ["WEEKS", "draw_snapshots"]
