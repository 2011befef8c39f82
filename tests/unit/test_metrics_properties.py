"""Property test: the SQL metrics agree with a plain-Python reading of docs/metrics.md."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.compiled import CompiledSql
from microscout.core.metrics import MetricParams
from microscout.core.metrics.confidence import median_ci_rank
from microscout.core.schema import CREATORS, POSTS
from microscout.services.scoring.run import score
from tests.scoring_data import arrow_rows

END = datetime(2026, 6, 1)
Post = tuple[int, int | None, int | None]  # (minutes before END, likes, comments)

posts_strategy = st.lists(
    st.tuples(
        # a few shared minutes, so posts often tie at the 30-post cap
        st.one_of(st.integers(0, 400 * 24 * 60), st.integers(0, 3)),
        st.one_of(st.none(), st.integers(0, 5_000)),
        st.one_of(st.none(), st.integers(0, 500)),
    ),
    max_size=45,
)
creators_strategy = st.lists(
    st.tuples(st.one_of(st.none(), st.just(0), st.integers(1, 200_000)), posts_strategy),
    min_size=1,
    max_size=4,
)


def reference(followers: int | None, posts: list[Post], params: MetricParams) -> dict[str, object]:
    """The metrics as docs/metrics.md states them, written the slow, obvious way."""
    if not posts:
        return {"er_median": None, "er_mean": None, "n_posts_window": None, "posts_per_week": None}
    dated = [
        (END - timedelta(minutes=m), f"p{i:03d}", likes, comments)
        for i, (m, likes, comments) in enumerate(posts)
    ]
    anchor = max(d[0] for d in dated)
    span = [d for d in dated if anchor - timedelta(days=params.window_days) < d[0] <= anchor]
    latest = sorted(span, key=lambda d: d[0], reverse=True)
    window = latest[: params.window_max_posts]
    if len(latest) > len(window) and latest[len(window)][0] == window[-1][0]:
        # the cap never splits an instant: one that does not fit whole is left out
        window = [d for d in window if d[0] != window[-1][0]]
    rates = sorted(
        (likes + (comments or 0)) / followers
        for _, _, likes, comments in window
        if likes is not None and followers
    )
    out: dict[str, object] = {
        "n_posts_window": len(window),
        "posts_per_week": len(span) / (params.window_days / 7),
        "er_median": statistics.median(rates) if rates else None,
        "er_mean": statistics.fmean(rates) if rates else None,
        "er_ci_low": None,
        "er_ci_high": None,
    }
    j = median_ci_rank(len(rates), params.ci_confidence) if rates else None
    if j is not None:
        out["er_ci_low"], out["er_ci_high"] = rates[j - 1], rates[len(rates) - j]
    return out


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, CompiledSql]]:
    """One warehouse for every example (each replaces its tables), and the metrics' SQL compiled
    once: a new warehouse and a fresh compile per example cost 1.5 s of each."""
    folder = tmp_path_factory.mktemp("properties")
    with Warehouse(folder / "w.duckdb", memory_limit="512MB", threads=1) as wh:
        yield wh, CompiledSql(folder / "sql")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(creators=creators_strategy)
def test_sql_metrics_match_the_plain_python_reference(
    creators: list[tuple[int | None, list[Post]]], kept: tuple[Warehouse, CompiledSql]
) -> None:
    params = MetricParams()
    wh, compiled = kept
    creator_rows = []
    post_rows = []
    for c, (followers, posts) in enumerate(creators):
        cid = f"c{c}"
        creator_rows.append(
            {"platform": "instagram", "creator_id": cid, "handle": cid, "followers": followers}
        )
        post_rows += [
            {
                "platform": "instagram",
                "post_id": f"p{i:03d}",
                "creator_id": cid,
                "posted_at": END - timedelta(minutes=m),
                "likes": likes,
                "comments": comments,
            }
            for i, (m, likes, comments) in enumerate(posts)
        ]
    # post ids repeat across creators; make them unique per platform as keys require
    for row in post_rows:
        row["post_id"] = f"{row['creator_id']}-{row['post_id']}"
    with wh.transaction():
        wh.replace(CREATORS, arrow_rows(CREATORS, creator_rows))
        wh.replace(POSTS, arrow_rows(POSTS, post_rows))
    score(wh, params, compiled=compiled)
    got = {r["creator_id"]: r for r in wh.fetch_arrow("SELECT * FROM creator_scores").to_pylist()}
    for c, (followers, posts) in enumerate(creators):
        expected = reference(followers, posts, params)
        for metric, value in expected.items():
            actual = got[f"c{c}"][metric]
            if value is None:
                assert actual is None, (metric, actual)
            else:
                assert actual == pytest.approx(value, rel=1e-9, abs=1e-12), metric
