"""Chart builders on a small scored demo: planted spikes show, per-post rates match the posts.

The demo (300 creators, seed 3) plants bought followers as one weekly jump of 15–40%; three
hand-made creators add the edge cases: posts without reach or views, a single follower snapshot,
hidden likes, a known niche mix, and no follower count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from microscout.adapters.render.charts import to_plotly, to_png
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.schema import CREATOR_NICHES, CREATORS, FOLLOWER_SNAPSHOTS, POSTS
from microscout.demo.build import build_demo
from microscout.errors import NotFoundError
from microscout.services.charts.profile import (
    engagement_chart,
    frontier_chart,
    growth_chart,
    niche_mix_chart,
    reach_chart,
)
from microscout.services.planning.result import (
    Comparisons,
    FrontierPoint,
    MacroChoice,
    Plan,
    PlanSummary,
    PlanTotals,
    RankedTop,
    SolverReport,
)
from microscout.services.scoring.run import metric_params, score
from tests.scoring_data import arrow_rows

HAND = ("instagram", "hand_1")


def _hand_made(wh: Warehouse) -> None:
    base: dict[str, object] = {"platform": "instagram", "creator_id": "hand_1"}
    creators: list[dict[str, object]] = [
        {**base, "handle": "hand.made", "followers": 20_000},
        {"platform": "instagram", "creator_id": "hand_2", "handle": "no.followers"},
    ]
    posts = [
        {**base, "post_id": "h1", "posted_at": datetime(2026, 9, 1), "likes": 90, "comments": 10},
        {
            **base,
            "post_id": "h2",
            "posted_at": datetime(2026, 9, 8),
            "likes": 280,
            "comments": 20,
            "shares": 5,
            "saves": 15,
        },
        {**base, "post_id": "h3", "posted_at": datetime(2026, 9, 15), "comments": 40},
        {
            "platform": "instagram",
            "creator_id": "hand_2",
            "post_id": "n1",
            "posted_at": datetime(2026, 9, 1),
            "likes": 10,
        },
    ]
    snapshot = [{**base, "snapshot_date": date(2026, 9, 15), "followers": 20_000}]
    niches: list[dict[str, object]] = [
        {**base, "niche_id": "553", "niche_name": "Beauty", "share": 0.6, "rank": 1},
        {**base, "niche_id": "210", "niche_name": None, "share": 0.3, "rank": 2},
        {**base, "niche_id": "653", "niche_name": "Travel", "share": 0.1, "rank": 3},
    ]
    niches = [{**n, "posts_n": 12, "method": "zero-shot", "run_id": "t"} for n in niches]
    with wh.transaction():
        wh.append(CREATORS, arrow_rows(CREATORS, creators))
        wh.append(POSTS, arrow_rows(POSTS, posts))
        wh.append(FOLLOWER_SNAPSHOTS, arrow_rows(FOLLOWER_SNAPSHOTS, snapshot))
        wh.append(CREATOR_NICHES, arrow_rows(CREATOR_NICHES, niches))


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home: Path = tmp_path_factory.mktemp("charts") / "home"
    settings = Settings(home=home, duckdb_memory_limit="1GB", duckdb_threads=2)
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        build_demo(wh, 300, seed=3)
        _hand_made(wh)
        score(wh, metric_params(settings), [])
    return settings


@pytest.fixture
def demo(demo_settings: Settings) -> Iterator[tuple[Warehouse, Settings]]:
    wh = Warehouse(demo_settings.warehouse_file, memory_limit="1GB", threads=2)
    yield wh, demo_settings
    wh.close()


def _creators_with(wh: Warehouse, where: str) -> list[tuple[str, str]]:
    rows = wh.fetch_arrow(
        "SELECT platform, creator_id FROM demo_ground_truth WHERE "
        + where
        + " ORDER BY platform, creator_id"
    ).to_pylist()
    return [(r["platform"], r["creator_id"]) for r in rows]


def test_every_planted_follower_purchase_is_the_one_highlighted_point_of_its_growth_chart(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    bought = _creators_with(wh, "problems LIKE '%bought_followers%'")
    assert len(bought) >= 3
    for platform, creator_id in bought:
        chart = growth_chart(wh, settings, platform, creator_id)
        (series,) = chart.series
        marked = [i for i, flag in enumerate(series.highlight) if flag]
        assert len(marked) == 1, (creator_id, marked)
        i = marked[0]
        jump = series.y[i] / series.y[i - 1]  # type: ignore[operator]
        assert jump >= 1.14, (creator_id, jump)  # the planted jump is 15-40%
        assert "spike" in series.hover[i]


def test_clean_creators_have_no_highlighted_spike(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    for platform, creator_id in _creators_with(wh, "problems = ''")[:15]:
        (series,) = growth_chart(wh, settings, platform, creator_id).series
        assert not any(series.highlight), creator_id


def test_the_growth_chart_shades_the_micro_band_from_the_settings(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    platform, creator_id = _creators_with(wh, "TRUE")[0]
    chart = growth_chart(wh, settings, platform, creator_id)
    assert [(b.low, b.high) for b in chart.bands] == [(10_000.0, 50_000.0)]
    assert "52 snapshots" in chart.subtitle
    assert chart.y_label == "followers (accounts)"


def test_per_post_engagement_rates_are_engagement_over_followers_as_computed_by_hand(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    chart = engagement_chart(wh, settings, *HAND)
    (series,) = chart.series
    # h1: (90 + 10) / 20,000; h2: (280 + 20 + 5 + 15) / 20,000; h3 hides its likes
    assert series.x == ("2026-09-01T00:00:00", "2026-09-08T00:00:00")
    assert series.y == pytest.approx((0.005, 0.016))
    # each point's hover spells out its own sum over the followers, on the post's day
    assert series.hover[0].startswith("2026-09-01: (90 likes + 10 comments + ")
    assert series.hover[0].endswith(") / 20,000 followers = 0.5%")
    assert series.hover[1].startswith("2026-09-08: (280 likes + 20 comments + 5 shares + 15 saves")
    assert series.hover[1].endswith(" / 20,000 followers = 1.6%")
    assert "1 posts with hidden likes left out" in chart.subtitle
    assert chart.reference_lines[0].value == pytest.approx(0.0105)


def test_a_demo_creators_chart_matches_its_posts_and_its_stored_median(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    key = wh.fetch_arrow(
        """SELECT s.platform, s.creator_id, s.followers, s.er_median, s.er_n
           FROM creator_scores s WHERE s.platform = 'instagram' AND s.er_n >= 10
             AND EXISTS (SELECT 1 FROM posts p WHERE p.creator_id = s.creator_id
                         AND p.saves IS NOT NULL)
           ORDER BY s.creator_id LIMIT 1"""
    ).to_pylist()[0]
    posts = wh.fetch_arrow(
        "SELECT posted_at, likes, comments, shares, saves FROM posts "
        "WHERE platform = ? AND creator_id = ? AND likes IS NOT NULL",
        (key["platform"], key["creator_id"]),
    ).to_pylist()
    by_hand = {
        p["posted_at"].isoformat(): (
            p["likes"] + (p["comments"] or 0) + (p["shares"] or 0) + (p["saves"] or 0)
        )
        / key["followers"]
        for p in posts
    }
    chart = engagement_chart(wh, settings, key["platform"], key["creator_id"])
    (series,) = chart.series
    assert len(series.x) == min(len(by_hand), 3 * settings.window_max_posts)
    for x, y in zip(series.x, series.y, strict=True):
        assert y == pytest.approx(by_hand[str(x)])
    inside = [y for y, out in zip(series.y, series.highlight, strict=True) if not out]
    assert len(inside) == key["er_n"]
    assert chart.reference_lines[0].value == pytest.approx(key["er_median"])
    assert f"n = {key['er_n']} posts" in chart.subtitle


def test_the_reach_chart_draws_the_reach_gate_and_the_creators_median(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    row = wh.fetch_arrow(
        "SELECT platform, creator_id, reach_rate FROM creator_scores "
        "WHERE reach_n >= 5 ORDER BY creator_id LIMIT 1"
    ).to_pylist()[0]
    chart = reach_chart(wh, settings, row["platform"], row["creator_id"])
    gate, mid = chart.reference_lines
    assert gate.value == settings.reach_gate
    assert "reach gate 10.0%" in gate.label
    assert mid.value == pytest.approx(row["reach_rate"])
    figure = to_plotly(chart)
    assert any(s["type"] == "line" and s["y0"] == 0.10 for s in figure["layout"]["shapes"])


def test_charts_with_nothing_to_draw_say_why(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    reach = reach_chart(wh, settings, *HAND)
    assert reach.empty_reason == "None of the 3 posts shown has reach (owner insights) or views."
    growth = growth_chart(wh, settings, *HAND)
    assert growth.empty_reason is not None
    assert "Fewer than 2 follower snapshots (1)" in (growth.empty_reason)
    unknown = engagement_chart(wh, settings, "instagram", "hand_2")
    assert unknown.empty_reason == "No engagement rate: followers unknown."
    no_niches = niche_mix_chart(wh, settings, "instagram", "hand_2")
    assert no_niches.empty_reason is not None
    assert no_niches.series == ()
    png = to_png(reach, width=400, height=300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_niche_mix_names_each_iab_niche_even_when_the_row_has_no_name(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    chart = niche_mix_chart(wh, settings, *HAND)
    (series,) = chart.series
    assert series.x == ("Beauty", "Food & Drink", "Travel")
    assert series.y == (0.6, 0.3, 0.1)
    assert "n = 12 posts" in chart.subtitle
    assert chart.kind == "bar"


def test_an_unknown_creator_is_not_found(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    with pytest.raises(NotFoundError):
        growth_chart(wh, settings, "instagram", "nobody")


def test_every_profile_chart_of_a_demo_creator_is_json_for_plotly(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    platform, creator_id = _creators_with(wh, "TRUE")[0]
    for build in (engagement_chart, reach_chart, growth_chart):
        chart = build(wh, settings, platform, creator_id)
        assert chart.empty_reason is None
        assert chart.series
        figure = json.loads(json.dumps(to_plotly(chart)))
        assert figure["data"]
        assert figure["data"][0]["x"]


def test_the_frontier_chart_shows_the_curve_the_plan_the_macro_and_the_budget_line() -> None:
    plan = Plan(
        request=PlanSummary("skincare", 1000.0, "reach", 3, 12),
        creators=[],
        totals=PlanTotals(3, 3, 950.0, 40_000, 0, {}, 0, None, None, 40_000, None, None),
        frontier=[
            FrontierPoint(budget=b, cost=b, unique_reach=r, reach_at_k=0, creators=c)
            for b, r, c in ((500.0, 25_000, 2), (1000.0, 40_000, 3))
        ],
        comparisons=Comparisons(
            macro=MacroChoice("instagram", "big", 600_000, 1, 900.0, 900.0, 15_000, 0, True),
            ranked_top=RankedTop(["a", "b"], 1000.0, 30_000, 0, None, None),
        ),
        solver=SolverReport("lazy greedy", 40_000.0),
        notes=[],
    )
    chart = frontier_chart(plan)
    names = [s.name for s in chart.series]
    assert names == [
        "best portfolio of micro-influencers",
        "this plan: 3 creators",
        "best single macro creator (@big)",
        "top 2 of the ranked list",
    ]
    assert chart.series[0].y == (25_000.0, 40_000.0)
    assert chart.series[2].x == (900.0,)
    assert chart.series[2].y == (15_000.0,)
    assert [(r.axis, r.value) for r in chart.reference_lines] == [("x", 1000.0)]
    assert to_plotly(chart)["layout"]["xaxis"]["tickprefix"] == "$"
