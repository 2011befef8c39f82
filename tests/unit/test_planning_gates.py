"""The plan's gates, the coordination cost and the engaged objective, on hand-worked cases."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from microscout.core.planning import (
    Constraints,
    GateFigures,
    GateRules,
    Goal,
    Instance,
    check_feasible,
    creator_reach,
    engaged_share,
    gate_failures,
    greedy,
    objective_value,
    plan_cost,
    solve_milp,
)
from microscout.core.pricing import affordable_posts, booking_cost
from microscout.errors import ParameterError
from microscout.services.planning.macro import versus_macro
from microscout.services.planning.result import MacroChoice, PlanTotals

CLEAN = GateFigures(
    followers=20_000,
    verdict="ok",
    audience_quality=90.0,
    days_since_last_post=3.0,
    reach_rate=0.2,
    passes_reach_gate=True,
)
RULES = GateRules(min_audience_quality=75, max_days_since_post=60, reach_gate=0.1)


def codes(fig: GateFigures, rules: GateRules = RULES) -> list[str]:
    return [f.code for f in gate_failures(fig, rules)]


def with_(**changes: object) -> GateFigures:
    return replace(CLEAN, **changes)  # type: ignore[arg-type]


def test_a_vetted_active_creator_passing_the_reach_gate_passes_every_gate() -> None:
    assert gate_failures(CLEAN, RULES) == ()


@pytest.mark.parametrize(
    ("changes", "expected", "words"),
    [
        ({"verdict": "high risk", "audience_quality": 42.0}, ["high_risk"], "high risk"),
        ({"audience_quality": 70.0, "verdict": "caution"}, ["low_quality"], "70/100"),
        ({"audience_quality": None}, ["unvetted"], "not vetted"),
        ({"verdict": "not vetted", "audience_quality": None}, ["unvetted"], "not vetted"),
        ({"days_since_last_post": 150.0}, ["inactive"], "150 days ago"),
        ({"days_since_last_post": None}, ["inactive"], "no dated post"),
        ({"passes_reach_gate": False, "reach_rate": 0.04}, ["reach_gate"], "4.0%"),
        ({"followers": None}, ["no_followers"], "no follower count"),
        ({"red_flags": ("engagement_pod",)}, ["faked_engagement"], "engagement pod"),
        (
            {"red_flags": ("inactive", "follower_spike")},
            ["faked_engagement"],
            "bought followers",
        ),
    ],
)
def test_each_gate_names_its_failure_in_words(
    changes: dict[str, object], expected: list[str], words: str
) -> None:
    failures = gate_failures(with_(**changes), RULES)
    assert [f.code for f in failures] == expected
    assert words in failures[0].reason


def test_red_flags_that_are_not_about_faked_engagement_are_left_to_their_own_gates() -> None:
    # a weak engagement rate is a weak creator, not a fraud; inactivity has the inactive gate
    assert codes(with_(red_flags=("engagement_low", "comment_like_ratio"))) == []
    assert codes(with_(red_flags=("inactive",), days_since_last_post=120.0)) == ["inactive"]


def test_a_creator_failing_several_gates_gets_every_reason_in_gate_order() -> None:
    fig = with_(
        verdict="high risk",
        audience_quality=30.0,
        days_since_last_post=200.0,
        passes_reach_gate=False,
    )
    assert codes(fig) == ["high_risk", "inactive", "reach_gate"]


def test_unknown_reach_passes_the_reach_gate_and_unvetted_passes_when_asked() -> None:
    assert codes(with_(passes_reach_gate=None, reach_rate=None)) == []
    unvetted = with_(audience_quality=None)
    assert codes(unvetted, GateRules(include_unvetted=True)) == []


def test_the_quality_threshold_is_inclusive() -> None:
    assert codes(with_(audience_quality=75.0)) == []
    assert codes(with_(audience_quality=74.9)) == ["low_quality"]


def test_engaged_share_is_engagement_per_person_reached_capped_at_one() -> None:
    assert engaged_share(0.03, 0.2) == pytest.approx(0.15)
    assert engaged_share(0.3, 0.1) == 1.0
    assert engaged_share(0.03, 0.0) == 0.0


def test_one_post_engages_followers_times_real_share_times_engagement_rate() -> None:
    est = creator_reach(followers=20_000, reach_rate=0.2, real_share=0.9, er=0.03, posts=1)
    assert est.engaged_people == pytest.approx(20_000 * 0.9 * 0.03)  # 540
    two = creator_reach(followers=20_000, reach_rate=0.2, real_share=0.9, er=0.03, posts=2)
    assert two.engaged_people == pytest.approx(18_000 * (1 - 0.8**2) * 0.15)


def test_booking_a_creator_pays_its_coordination_once() -> None:
    assert booking_cost(100.0, 3, 150.0) == 450.0
    assert booking_cost(100.0, 0, 150.0) == 0.0
    assert affordable_posts(1_000.0, 300.0, 5, 150.0) == 2  # (1,000 - 150) // 300
    assert affordable_posts(100.0, 300.0, 5, 150.0) == 0


def make(
    items: list[list[list[int]]],
    fees: list[float],
    weights: list[float],
    engaged: list[float] | None = None,
    coordination: float = 0.0,
) -> Instance:
    """items[i][j] = the points reached by post j of creator i (every creator has max posts)."""
    posts = len(items[0])
    flat = [items[i][j] for i in range(len(items)) for j in range(posts)]
    offsets = np.concatenate([[0], np.cumsum([len(x) for x in flat])]).astype(np.int64)
    elements = np.array([e for x in flat for e in x], np.int64)
    return Instance(
        np.array(fees, float),
        posts,
        np.array(weights, float),
        offsets,
        elements,
        engaged=np.array(engaged or [], float),
        coordination=coordination,
    )


# Three creators with two posts each: A's second post reaches 2 new people, B and C one post's
# worth of 3 new people each. Fees $10 a post.
THREE = [[[0, 1, 2], [3, 4]], [[5, 6, 7], []], [[8, 9, 10], []]]


def test_a_coordination_cost_makes_the_solvers_book_more_posts_of_fewer_creators() -> None:
    free = make(THREE, [10, 10, 10], [1.0] * 11)
    costly = make(THREE, [10, 10, 10], [1.0] * 11, coordination=20.0)
    # Without coordination $40 buys all four posts of three creators: 11 people; with $20 per
    # creator a first post costs $30, so $40 buys one creator and its second post: A, 5 people.
    assert greedy(free, Goal(), 40.0, Constraints()).posts.tolist() == [2, 1, 1]
    found = greedy(costly, Goal(), 40.0, Constraints())
    assert found.posts.tolist() == [2, 0, 0]
    assert found.cost == plan_cost(costly, found.posts) == 40.0
    exact = solve_milp(costly, Goal(), 40.0, Constraints())
    assert exact.optimal
    assert exact.value == 5.0
    assert exact.cost <= 40.0


def test_the_engaged_objective_weighs_points_by_engaged_people() -> None:
    # A reaches 3 people who rarely engage, B 2 people who often do.
    inst = make([[[0, 1, 2]], [[3, 4]]], [10, 10], [1.0] * 5, engaged=[0.1] * 3 + [0.5] * 2)
    reach = greedy(inst, Goal("reach"), 10.0, Constraints())
    engaged = greedy(inst, Goal("engaged"), 10.0, Constraints())
    assert reach.posts.tolist() == [1, 0]
    assert engaged.posts.tolist() == [0, 1]
    assert objective_value(inst, engaged.posts, Goal("engaged")) == pytest.approx(1.0)
    assert solve_milp(inst, Goal("engaged"), 10.0, Constraints()).posts.tolist() == [0, 1]


def test_feasibility_counts_the_coordination_cost_and_says_so() -> None:
    fees = np.array([100.0, 120.0])
    check_feasible(fees, 250.0, Constraints(), coordination=150.0)
    with pytest.raises(ParameterError, match=r"cheapest \$100 fee \+ \$150 coordination"):
        check_feasible(fees, 200.0, Constraints(), coordination=150.0)
    with pytest.raises(ParameterError) as caught:
        check_feasible(fees, 400.0, Constraints(min_creators=2), coordination=150.0)
    assert caught.value.name == "--min-creators"


def totals(
    reach: int, engaged: int, engagements: int, cost: float, quality: float | None
) -> PlanTotals:
    return PlanTotals(
        creators=12,
        posts=30,
        cost=cost,
        unique_reach=reach,
        reach_at_k=0,
        frequency={},
        expected_engagements=engagements,
        cpm=None,
        cpe=cost / engagements if engagements else None,
        objective_value=engaged,
        mean_pairwise_jaccard=None,
        audience_duplication=None,
        engaged_people=engaged,
        audience_quality=quality,
    )


def macro(quality: float | None = 80.0, engagements: int | None = 10_000) -> MacroChoice:
    return MacroChoice(
        platform="instagram",
        handle="big",
        followers=600_000,
        posts=1,
        fee_per_post=4_850.0,
        cost=5_000.0,
        unique_reach=300_000,
        reach_at_k=0,
        matches_brief=True,
        expected_engagements=engagements,
        engaged_people=8_000,
        cpe=5_000.0 / engagements if engagements else None,
        audience_quality=quality,
    )


def test_the_macro_comparison_names_each_winner_and_sums_it_up_in_words() -> None:
    versus = versus_macro(totals(150_000, 16_000, 25_000, 5_000.0, 92.0), macro())
    assert versus.wins == ["engaged people", "engagements", "CPE", "audience quality"]
    assert versus.loses == ["unique reach"]
    words = {m.name: m.words for m in versus.measures}
    assert words["unique reach"] == (
        "unique reach: 150,000 for the plan against 300,000 for @big, 50% fewer: @big wins"
    )
    assert words["engagements"].endswith("2.5× as many: the plan wins")
    assert words["CPE"] == (
        "CPE: $0.20 for the plan against $0.50 for @big, 60% lower: the plan wins (lower is better)"
    )
    assert versus.summary == (
        "Against one macro creator, @big on instagram (600,000 followers; 1 post for $5,000 by "
        "the same fee model), this plan of 12 creators for $5,000 wins on engaged people (2.0× "
        "as many), engagements (2.5× as many), CPE (60% lower) and audience quality (12 points "
        "higher) and loses on unique reach (50% fewer)."
    )


def test_close_figures_are_even_and_unknown_ones_are_not_compared() -> None:
    versus = versus_macro(totals(290_000, 8_100, 10_300, 5_000.0, None), macro(quality=78.0))
    winners = {m.name: m.winner for m in versus.measures}
    assert winners == {
        "unique reach": "even",
        "engaged people": "even",
        "engagements": "even",
        "CPE": "even",
        "audience quality": "unknown",
    }
    assert "wins on nothing measured and loses on nothing measured" in versus.summary
    assert "Even on unique reach, engaged people, engagements and CPE." in versus.summary
    assert "Not compared, for want of data: audience quality." in versus.summary
    assert versus.measures[4].words == "audience quality: unknown for the plan, so not compared"
