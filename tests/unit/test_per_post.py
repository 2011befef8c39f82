"""The per-post formulas: the Ibis form a scoring run uses and the plain form charts use agree."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa
import pytest

from microscout.core.metrics.growth import weekly_gain, weekly_gain_of
from microscout.core.metrics.per_post import (
    engagement,
    per_follower,
    post_engagement,
    post_seen,
    rate_by_followers,
    seen,
    seen_source,
)

POSTS: list[dict[str, int | None]] = [
    {"likes": 100, "comments": 5, "shares": 2, "saves": 3, "views": 900, "reach": 700},
    {"likes": 100, "comments": None, "shares": None, "saves": None, "views": 900, "reach": None},
    {"likes": None, "comments": 5, "shares": 1, "saves": 0, "views": None, "reach": None},
    {"likes": 0, "comments": 0, "shares": None, "saves": 4, "views": None, "reach": 50},
]
FOLLOWERS = [20_000, 0, None, -5]


def _ibis_values() -> list[dict[str, Any]]:
    schema = {k: pa.int64() for k in ("likes", "comments", "shares", "saves", "views", "reach")}
    posts = ibis.memtable(pa.Table.from_pylist(POSTS, schema=pa.schema(schema)))
    rows: list[dict[str, Any]] = (
        posts.mutate(eng=engagement(posts), seen=seen(posts)).to_pyarrow().to_pylist()
    )
    return rows


def test_engagement_counts_missing_parts_as_zero_and_hidden_likes_as_unknown() -> None:
    assert [post_engagement(p) for p in POSTS] == [110.0, 100.0, None, 4.0]
    assert [post_seen(p) for p in POSTS] == [700.0, 900.0, None, 50.0]
    assert [seen_source(p) for p in POSTS] == ["reach", "views", None, "reach"]


def test_the_plain_form_agrees_with_the_ibis_form_post_by_post() -> None:
    for post, row in zip(POSTS, _ibis_values(), strict=True):
        assert post_engagement(post) == row["eng"]
        assert post_seen(post) == row["seen"]


@pytest.mark.parametrize("followers", FOLLOWERS)
def test_a_rate_by_followers_is_unknown_without_positive_followers(followers: int | None) -> None:
    table = ibis.memtable(pa.table({"v": [110.0], "f": pa.array([followers], pa.int64())}))
    expected = table.select(r=per_follower(table.v, table.f)).to_pyarrow()["r"][0].as_py()
    assert rate_by_followers(110.0, followers) == expected
    assert (expected is None) == (not followers or followers < 0)
    assert rate_by_followers(None, 20_000) is None


def test_a_weekly_gain_is_scaled_to_seven_days_alike_in_both_forms() -> None:
    table = ibis.memtable(pa.table({"gain": [300], "days": [14]}))
    expected = table.select(w=weekly_gain(table.gain, table.days)).to_pyarrow()["w"][0].as_py()
    assert weekly_gain_of(300, 14) == expected == 150.0
