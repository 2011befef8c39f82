"""Every metric against values computed by hand, including the edge cases that tempt a fake 0."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.core.metrics import MetricParams
from microscout.core.schema import COMMENTS, CREATORS, FOLLOWER_SNAPSHOTS, POSTS
from microscout.services.scoring.run import score
from tests.scoring_data import arrow_rows

T0 = datetime(2026, 6, 1, 12, 0)
Row = dict[str, Any]


def creator(cid: str, followers: int | None) -> Row:
    return {"platform": "instagram", "creator_id": cid, "handle": cid, "followers": followers}


def post(
    cid: str, n: int, days_ago: float, likes: int | None, comments: int | None = 0, **extra: Any
) -> Row:
    return {
        "platform": "instagram",
        "post_id": f"{cid}-{n}",
        "creator_id": cid,
        "posted_at": T0 - timedelta(days=days_ago),
        "likes": likes,
        "comments": comments,
        **extra,
    }


def scored(
    warehouse: Warehouse,
    creators: list[Row],
    posts: Sequence[Row] = (),
    comments: Sequence[Row] = (),
    snapshots: Sequence[Row] = (),
    params: MetricParams | None = None,
) -> dict[str, Row]:
    with warehouse.transaction():
        warehouse.append(CREATORS, arrow_rows(CREATORS, list(creators)))
        warehouse.append(POSTS, arrow_rows(POSTS, list(posts)))
        warehouse.append(COMMENTS, arrow_rows(COMMENTS, list(comments)))
        warehouse.append(FOLLOWER_SNAPSHOTS, arrow_rows(FOLLOWER_SNAPSHOTS, list(snapshots)))
    score(warehouse, params or MetricParams())
    rows = warehouse.fetch_arrow("SELECT * FROM creator_scores").to_pylist()
    return {r["creator_id"]: r for r in rows}


def reasons(row: Row) -> str:
    """The stored list of reasons as one text, so a test can look for a phrase in it."""
    listed = row["null_reasons"]
    assert isinstance(listed, list)
    return "; ".join(listed)


def test_engagement_rate_by_followers_is_median_and_mean_of_per_post_rates(
    warehouse: Warehouse,
) -> None:
    # per-post engagement 100, 300, 200 + saves 50 and shares 10 on the last → 0.01, 0.03, 0.026
    posts = [
        post("a", 1, 1, 90, 10),
        post("a", 2, 2, 280, 20),
        post("a", 3, 3, 200, 0, saves=50, shares=10),
    ]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["er_median"] == pytest.approx(0.026)
    assert row["er_mean"] == pytest.approx((0.01 + 0.03 + 0.026) / 3)
    assert row["er_n"] == 3
    assert row["n_posts_window"] == 3
    assert row["tier"] == "micro"


def test_a_creator_with_no_posts_gets_nulls_and_reasons_not_zeros(warehouse: Warehouse) -> None:
    row = scored(warehouse, [creator("a", 20_000)])["a"]
    for metric in ("er_median", "er_mean", "reach_rate", "posts_per_week", "n_posts_window"):
        assert row[metric] is None
    assert "er_median: no posts in the data" in reasons(row)
    assert "posts_per_week: no posts in the data" in reasons(row)
    assert row["tier"] == "micro"


@pytest.mark.parametrize(("followers", "why"), [(0, "followers is 0"), (None, "followers unknown")])
def test_followers_zero_or_unknown_leave_rates_null_with_the_reason(
    warehouse: Warehouse, followers: int | None, why: str
) -> None:
    row = scored(warehouse, [creator("a", followers)], [post("a", 1, 1, 100, 5, views=1000)])["a"]
    assert row["er_median"] is None
    assert row["reach_rate"] is None
    assert f"er_median: {why}" in reasons(row)
    assert row["erv_median"] == pytest.approx(0.105)  # views still give a rate
    assert row["comment_like_ratio"] == pytest.approx(0.05)
    assert (row["tier"] is None) == (followers is None)


def test_hidden_likes_leave_the_post_out_of_rates(warehouse: Warehouse) -> None:
    posts = [post("a", 1, 1, None, 40), post("a", 2, 2, 100, 0), post("a", 3, 3, 300, 0)]
    posts += [post("b", 1, 1, None, 3), post("b", 2, 2, None, 5)]
    rows = scored(warehouse, [creator("a", 1_000), creator("b", 1_000)], posts)
    assert rows["a"]["er_median"] == pytest.approx(0.2)  # median of 0.1 and 0.3
    assert rows["a"]["er_n"] == 2
    assert rows["a"]["n_posts_window"] == 3
    assert rows["b"]["er_median"] is None
    assert "er_median: likes hidden on every window post" in reasons(rows["b"])


def test_a_single_post_gives_a_median_but_no_interval_and_no_spread(warehouse: Warehouse) -> None:
    row = scored(warehouse, [creator("a", 5_000)], [post("a", 1, 0, 250, 0)])["a"]
    assert row["er_median"] == row["er_mean"] == pytest.approx(0.05)
    assert row["er_ci_low"] is None
    assert row["engagement_cv"] is None
    assert "er_ci: fewer than 6 posts for a 95% interval" in reasons(row)
    assert row["tier"] == "nano"


def test_posts_outside_the_window_or_beyond_the_latest_30_are_left_out(
    warehouse: Warehouse,
) -> None:
    # 35 recent posts with 1% (the latest 30) and 9% (5 older ones); one very old post at 50%
    posts = [post("a", i, i, 100 if i < 30 else 900, 0) for i in range(35)]
    posts.append(post("a", 99, 200, 5_000, 0))
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["n_posts_window"] == 30
    assert row["er_median"] == pytest.approx(0.01)
    assert row["er_mean"] == pytest.approx(0.01)
    assert row["posts_per_week"] == pytest.approx(35 / (180 / 7))  # cadence is not capped at 30


def test_the_cap_leaves_out_an_instant_that_does_not_fit_whole(warehouse: Warehouse) -> None:
    # 29 posts at 1%, then three at one instant (3%): 32 posts, only one more fits under the cap
    posts = [post("a", i, i, 100, 0) for i in range(29)]
    posts += [post("a", 29 + i, 40, 300, 0) for i in range(3)]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["n_posts_window"] == 29
    assert row["er_mean"] == pytest.approx(0.01)
    assert row["posts_per_week"] == pytest.approx(32 / (180 / 7))


def test_an_instant_that_fits_whole_is_kept(warehouse: Warehouse) -> None:
    # 28 posts at 1%, two at one instant (4%) fill the cap; an older one (9%) is left out
    posts = [post("a", i, i, 100, 0) for i in range(28)]
    posts += [post("a", 28 + i, 40, 400, 0) for i in range(2)]
    posts.append(post("a", 99, 50, 900, 0))
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["n_posts_window"] == 30
    assert row["er_mean"] == pytest.approx((28 * 0.01 + 2 * 0.04) / 30)


def test_as_of_ends_the_window_and_ignores_later_posts(warehouse: Warehouse) -> None:
    posts = [post("a", 1, 0, 900, 0), post("a", 2, 10, 100, 0), post("a", 3, 20, 300, 0)]
    params = MetricParams(as_of=T0 - timedelta(days=5))
    row = scored(warehouse, [creator("a", 10_000)], posts, params=params)["a"]
    assert row["er_median"] == pytest.approx(0.02)
    assert row["anchor_at"] == T0 - timedelta(days=5)
    assert row["days_since_last_post"] == pytest.approx(5.0)


def test_the_median_interval_uses_order_statistics(warehouse: Warehouse) -> None:
    # ER 1%..10%: for n = 10 at 95%, the bounds are the 2nd and 9th smallest values
    posts = [post("a", i, i, 100 * i, 0) for i in range(1, 11)]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["er_median"] == pytest.approx(0.055)
    assert row["er_ci_low"] == pytest.approx(0.02)
    assert row["er_ci_high"] == pytest.approx(0.09)


def test_reach_rate_prefers_reach_to_views_and_applies_the_gate(warehouse: Warehouse) -> None:
    posts = [
        post("a", 1, 1, 10, 0, reach=800, views=5_000),
        post("a", 2, 2, 10, 0, reach=1_200),
        post("a", 3, 3, 10, 0, views=3_000),
    ]
    posts += [post("b", 1, 1, 10, 0, reach=500), post("b", 2, 2, 10, 0, reach=700)]
    rows = scored(warehouse, [creator("a", 10_000), creator("b", 10_000)], posts)
    assert rows["a"]["reach_rate"] == pytest.approx(0.12)  # median of 0.08, 0.12, 0.30
    assert rows["a"]["reach_n"] == 3
    assert rows["a"]["passes_reach_gate"] is True
    assert rows["b"]["reach_rate"] == pytest.approx(0.06)
    assert rows["b"]["passes_reach_gate"] is False


def test_no_reach_and_no_views_leave_the_gate_unknown(warehouse: Warehouse) -> None:
    row = scored(warehouse, [creator("a", 10_000)], [post("a", 1, 1, 10, 0)])["a"]
    assert row["reach_rate"] is None
    assert row["passes_reach_gate"] is None
    assert "reach_rate: no reach or views on window posts" in reasons(row)


def test_ratios_by_views_comments_and_shares(warehouse: Warehouse) -> None:
    posts = [
        post("a", 1, 1, 200, 10, shares=20, views=4_000),
        post("a", 2, 2, 100, 5, shares=5, views=1_000),
        post("a", 3, 3, 300, None),  # comments unknown: out of the comment/like ratio
    ]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["comment_like_ratio"] == pytest.approx(15 / 300)
    assert row["share_rate"] == pytest.approx(25 / 5_000)
    assert row["erv_median"] == pytest.approx((230 / 4_000 + 110 / 1_000) / 2)
    assert row["erv_n"] == 2


def test_reply_rate_counts_creator_replies_per_audience_comment(warehouse: Warehouse) -> None:
    comments = [
        {
            "platform": "instagram",
            "comment_id": f"k{i}",
            "post_id": "a-1",
            "creator_id": "a",
            "author": "a" if i < 2 else f"fan{i}",
            "is_reply_by_creator": i < 2,
        }
        for i in range(10)
    ]
    row = scored(warehouse, [creator("a", 10_000)], [post("a", 1, 1, 10, 10)], comments)["a"]
    assert row["reply_rate"] == pytest.approx(2 / 8)
    assert row["reply_n"] == 8


def test_recency_is_measured_to_the_newest_post_in_the_data(warehouse: Warehouse) -> None:
    posts = [post("a", 1, 0, 10), post("b", 1, 40, 10)]
    rows = scored(warehouse, [creator("a", 10_000), creator("b", 10_000)], posts)
    assert rows["a"]["days_since_last_post"] == pytest.approx(0.0)
    assert rows["b"]["days_since_last_post"] == pytest.approx(40.0)


def test_consistency_is_the_coefficient_of_variation(warehouse: Warehouse) -> None:
    posts = [post("a", 1, 1, 100), post("a", 2, 2, 200), post("a", 3, 3, 300)]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    # rates 0.01, 0.02, 0.03: sample sd 0.01, mean 0.02
    assert row["engagement_cv"] == pytest.approx(0.5)


def test_sponsored_and_organic_engagement_are_compared(warehouse: Warehouse) -> None:
    posts = [
        post("a", 1, 1, 100, is_sponsored=True),
        post("a", 2, 2, 300, is_sponsored=False),
        post("a", 3, 3, 500, is_sponsored=None),  # unknown counts as organic
    ]
    row = scored(warehouse, [creator("a", 10_000)], posts)["a"]
    assert row["sponsored_er_median"] == pytest.approx(0.01)
    assert row["organic_er_median"] == pytest.approx(0.04)
    assert row["sponsored_vs_organic"] == pytest.approx(0.25)
    assert (row["sponsored_n"], row["organic_n"]) == (1, 2)


def snapshot(cid: str, day: date, followers: int) -> Row:
    return {
        "platform": "instagram",
        "creator_id": cid,
        "snapshot_date": day,
        "followers": followers,
    }


def test_growth_compares_with_the_snapshot_30_and_90_days_back(warehouse: Warehouse) -> None:
    last = date(2026, 6, 1)
    snaps = [
        snapshot("a", last - timedelta(days=100), 8_000),
        snapshot("a", last - timedelta(days=35), 9_000),
        snapshot("a", last - timedelta(days=20), 9_500),
        snapshot("a", last, 9_900),
    ]
    row = scored(warehouse, [creator("a", 9_900)], snapshots=snaps)["a"]
    assert row["growth_30d"] == pytest.approx(900 / 9_000)
    assert row["growth_90d"] == pytest.approx(1_900 / 8_000)
    assert row["snapshots_n"] == 4


def test_a_bought_follower_jump_is_flagged_as_a_spike(warehouse: Warehouse) -> None:
    start = date(2026, 1, 5)
    levels = [10_000, 10_100, 10_200, 10_300, 14_300, 14_400, 14_500]
    snaps = [snapshot("a", start + timedelta(weeks=i), f) for i, f in enumerate(levels)]
    steady = [snapshot("b", start + timedelta(weeks=i), 10_000 + 100 * i) for i in range(7)]
    rows = scored(warehouse, [creator("a", 14_500), creator("b", 10_600)], snapshots=snaps + steady)
    assert rows["a"]["spike_flag"] is True
    assert rows["a"]["spike_gain"] == 4_000
    assert rows["a"]["spike_date"] == start + timedelta(weeks=4)
    assert rows["a"]["spike_ratio"] == pytest.approx(40.0)  # 4,000 / median weekly gain 100
    assert rows["b"]["spike_flag"] is False


def test_too_few_snapshots_say_so(warehouse: Warehouse) -> None:
    snaps = [snapshot("a", date(2026, 1, 1), 10_000), snapshot("a", date(2026, 1, 8), 10_050)]
    rows = scored(warehouse, [creator("a", 10_050), creator("b", 5)], snapshots=snaps)
    assert rows["a"]["spike_flag"] is None
    assert "spike: fewer than 3 follower snapshots" in reasons(rows["a"])
    assert "growth_30d: no follower snapshots" in reasons(rows["b"])


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (9_999, "nano"),
        (10_000, "micro"),
        (49_999, "micro"),
        (50_000, "mid"),
        (499_999, "mid"),
        (500_000, "macro"),
        (1_000_000, "mega"),
    ],
)
def test_tier_boundaries(warehouse: Warehouse, followers: int, tier: str) -> None:
    assert scored(warehouse, [creator("a", followers)])["a"]["tier"] == tier


def test_scoring_twice_replaces_the_scores_and_logs_both_runs(warehouse: Warehouse) -> None:
    scored(warehouse, [creator("a", 10_000)], [post("a", 1, 1, 100)])
    score(warehouse, MetricParams(window_days=90))
    assert warehouse.count("creator_scores") == 1
    assert warehouse.count("score_runs") == 2
    settings = warehouse.scalar("SELECT settings FROM score_runs ORDER BY started_at DESC LIMIT 1")
    assert '"window_days": 90' in settings


def test_a_later_stage_fills_its_own_columns(warehouse: Warehouse) -> None:
    def quality(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        keys = warehouse.fetch_arrow("SELECT platform, creator_id FROM creator_scores")
        return keys.append_column("audience_quality", pa.array([87.5] * keys.num_rows))

    with warehouse.transaction():
        warehouse.append(CREATORS, arrow_rows(CREATORS, [creator("a", 10_000)]))
    score(warehouse, MetricParams(), stages=[quality])
    row = warehouse.fetch_arrow("SELECT audience_quality, tier FROM creator_scores").to_pylist()
    assert row == [{"audience_quality": 87.5, "tier": "micro"}]


def test_reply_rate_finds_the_creator_through_the_post(warehouse: Warehouse) -> None:
    # a comment sample that does not name the post's owner still counts for that owner
    comments = [
        {
            "platform": "instagram",
            "comment_id": f"k{i}",
            "post_id": "a-1",
            "author": "a" if i == 0 else f"fan{i}",
            "is_reply_by_creator": i == 0,
        }
        for i in range(5)
    ]
    row = scored(warehouse, [creator("a", 10_000)], [post("a", 1, 1, 10, 5)], comments)["a"]
    assert row["reply_rate"] == pytest.approx(1 / 4)
