"""The default plan on the scored demo is one a brand would sign (issue 16, item 6): a team-sized
number of creators, none the gates exclude, and a macro comparison in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.services.discovery.candidates import candidate_source
from microscout.services.planning.plan import PlanRequest, plan
from microscout.services.planning.result import Plan

# docs/planning.md, "Team-sized": one campaign manager runs at most about 25 creators at once.
TEAM_SIZED = 25


@pytest.fixture(scope="module")
def demo_plan(scored_demo: Settings) -> Iterator[tuple[Plan, Warehouse]]:
    real = Adapters(scored_demo)
    source = candidate_source(scored_demo, real.index_store, lambda: real.embedder)
    with Warehouse(scored_demo.warehouse_file, memory_limit="1GB", threads=2, read_only=True) as wh:
        request = PlanRequest(brief="vegan skincare for sensitive skin", budget=5_000)
        yield plan(wh, scored_demo, request, source), wh


def test_the_default_demo_plan_has_a_team_sized_number_of_creators(
    demo_plan: tuple[Plan, Warehouse],
) -> None:
    result, _ = demo_plan
    assert 2 <= result.totals.creators <= TEAM_SIZED
    assert result.totals.cost <= 5_000
    assert result.totals.coordination == 150 * result.totals.creators
    assert result.request.objective == "engaged"


def test_no_creator_in_the_default_demo_plan_fails_a_gate(
    demo_plan: tuple[Plan, Warehouse],
) -> None:
    result, wh = demo_plan
    scores = {
        r["handle"]: r
        for r in wh.fetch_arrow(
            "SELECT handle, authenticity_verdict, audience_quality, days_since_last_post, "
            "passes_reach_gate FROM creator_scores"
        ).to_pylist()
    }
    for creator in result.creators:
        row = scores[creator.handle]
        assert row["authenticity_verdict"] in ("ok", "caution"), creator.handle
        assert row["audience_quality"] >= 75, creator.handle
        assert row["days_since_last_post"] <= 60, creator.handle
        assert row["passes_reach_gate"] is not False, creator.handle


def test_the_default_demo_plan_lists_the_high_risk_matches_it_left_out(
    demo_plan: tuple[Plan, Warehouse],
) -> None:
    result, _ = demo_plan
    assert result.excluded
    high_risk = [c for c in result.excluded if "high_risk" in c.codes]
    assert high_risk
    assert all(c.reasons[0].startswith("high risk by the vet") for c in high_risk)
    planned = {c.handle for c in result.creators}
    assert planned.isdisjoint(c.handle for c in result.excluded)


def test_the_default_demo_plan_compares_itself_with_one_macro_creator_in_words(
    demo_plan: tuple[Plan, Warehouse],
) -> None:
    result, _ = demo_plan
    macro, versus = result.comparisons.macro, result.comparisons.versus_macro
    assert macro is not None
    assert versus is not None
    assert versus.summary.startswith(f"Against one macro creator, @{macro.handle}")
    assert f"this plan of {result.totals.creators} creators" in versus.summary
    assert " wins on " in versus.summary
    assert " loses on " in versus.summary
    assert [m.name for m in versus.measures] == [
        "unique reach",
        "engaged people",
        "engagements",
        "CPE",
        "audience quality",
    ]
    reach = versus.measures[0]
    assert f"{result.totals.unique_reach:,}" in reach.words
    assert f"{macro.unique_reach:,}" in reach.words
    assert macro.fee_basis is not None
    assert macro.fee_basis.startswith("model:")
