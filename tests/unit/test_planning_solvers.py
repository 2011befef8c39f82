"""The planners on small instances whose optimum is known by hand or by enumeration."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from microscout.core.planning import (
    TIME_LIMIT,
    Constraints,
    Goal,
    GroupCap,
    Instance,
    check_feasible,
    greedy,
    objective_value,
    solve_milp,
)
from microscout.errors import ParameterError


def make(items: list[list[list[int]]], fees: list[float], weights: list[float]) -> Instance:
    """items[i][j] = the points reached by post j of creator i (every creator has max posts)."""
    posts = len(items[0])
    flat = [items[i][j] for i in range(len(items)) for j in range(posts)]
    offsets = np.concatenate([[0], np.cumsum([len(x) for x in flat])]).astype(np.int64)
    elements = np.array([e for x in flat for e in x], np.int64)
    return Instance(np.array(fees, float), posts, np.array(weights, float), offsets, elements)


def feasible(posts: tuple[int, ...], inst: Instance, budget: float, cons: Constraints) -> bool:
    chosen = [i for i, p in enumerate(posts) if p]
    if float(np.dot(inst.fees, posts)) > budget + 1e-9 or len(chosen) < cons.min_creators:
        return False
    if cons.max_creators is not None and len(chosen) > cons.max_creators:
        return False
    if any(posts[i] == 0 for i in cons.include) or any(posts[i] for i in cons.exclude):
        return False
    for cap in cons.caps:
        if np.bincount(cap.codes[chosen], minlength=len(cap.labels)).max(initial=0) > cap.cap:
            return False
    return True


def enumerate_best(inst: Instance, goal: Goal, budget: float, cons: Constraints) -> float:
    best = -1.0
    for posts in itertools.product(range(inst.max_posts + 1), repeat=inst.n):
        if feasible(posts, inst, budget, cons):
            best = max(best, objective_value(inst, np.array(posts, np.int64), goal))
    return best


def random_instance(seed: int, n: int = 6, posts: int = 2, points: int = 30) -> Instance:
    rng = np.random.default_rng(seed)
    items = []
    for _ in range(n):
        audience = rng.choice(points, int(rng.integers(5, 14)), replace=False)
        items.append(
            [
                sorted(rng.choice(audience, len(audience) // 2 + 1, replace=False).tolist())
                for _ in range(posts)
            ]
        )
    return make(
        items, rng.integers(5, 20, n).astype(float).tolist(), rng.uniform(1, 3, points).tolist()
    )


GROUPS = GroupCap("--max-per-niche", np.array([0, 0, 0, 1, 1, 2]), ("a", "b", "c"), 1)
CASES = {
    "budget only": Constraints(),
    "min creators": Constraints(min_creators=3),
    "max creators": Constraints(max_creators=2),
    "cap per group": Constraints(caps=(GROUPS,)),
    "must include": Constraints(include=(5,)),
    "never include": Constraints(exclude=(0, 1)),
}


@pytest.mark.parametrize("objective", ["reach", "frequency"])
@pytest.mark.parametrize("case", list(CASES))
def test_milp_finds_the_enumerated_optimum_under_every_constraint(
    objective: str, case: str
) -> None:
    for seed in range(3):
        inst = random_instance(seed)
        goal, cons = Goal(objective, 2), CASES[case]
        exact = solve_milp(inst, goal, 40.0, cons, time_limit=30)
        assert exact.optimal
        assert exact.value == pytest.approx(enumerate_best(inst, goal, 40.0, cons))
        assert feasible(tuple(int(p) for p in exact.posts), inst, 40.0, cons)


@pytest.mark.parametrize("objective", ["reach", "frequency"])
@pytest.mark.parametrize("case", list(CASES))
def test_greedy_plans_respect_every_constraint_and_come_close(objective: str, case: str) -> None:
    ratios = []
    for seed in range(3):
        inst = random_instance(seed)
        goal, cons = Goal(objective, 2), CASES[case]
        found = greedy(inst, goal, 40.0, cons)
        assert feasible(tuple(int(p) for p in found.posts), inst, 40.0, cons)
        best = enumerate_best(inst, goal, 40.0, cons)
        ratios.append(found.value / best if best > 0 else 1.0)
    assert min(ratios) >= 0.6  # greedy is a heuristic; the benchmark measures its real gap


def test_greedy_prefers_two_cheap_creators_who_together_reach_more_than_one_big_one() -> None:
    # A reaches people 0-2 for $10; B reaches 2-3 and C reaches 4 (worth 2) for $5 each.
    inst = make([[[0, 1, 2]], [[2, 3]], [[4]]], [10, 5, 5], [1, 1, 1, 1, 2])
    found = greedy(inst, Goal(), 10.0, Constraints())
    assert found.posts.tolist() == [0, 1, 1]
    assert found.value == 4.0


def test_greedy_skips_a_creator_whose_audience_is_already_covered() -> None:
    # B's audience is inside A's; C is smaller but new. Budget for two creators.
    inst = make([[[0, 1, 2, 3]], [[1, 2, 3]], [[4, 5]]], [5, 5, 5], [1.0] * 6)
    found = greedy(inst, Goal(), 10.0, Constraints())
    assert found.posts.tolist() == [1, 0, 1]
    assert found.value == 6.0


def test_frequency_objective_books_a_second_post_to_reach_people_twice() -> None:
    # A: two posts each reaching 0,1. B: posts reaching 2,3,4 twice. C: one-off 5-9.
    inst = make(
        [[[0, 1], [0, 1]], [[2, 3, 4], [2, 3, 4]], [[5, 6, 7, 8, 9], []]], [5, 5, 5], [1.0] * 10
    )
    reach = greedy(inst, Goal("reach"), 10.0, Constraints())
    frequency = greedy(inst, Goal("frequency", 2), 10.0, Constraints())
    assert reach.value == 8.0  # C and B once: 5 + 3 people
    assert frequency.posts.tolist() == [0, 2, 0]
    assert frequency.value == 3.0
    assert enumerate_best(inst, Goal("frequency", 2), 10.0, Constraints()) == 3.0


def test_milp_reports_the_greedy_gap_on_a_case_greedy_gets_wrong() -> None:
    # Best ratio first (A, $6 for 7) leaves $4 unused; B + C ($5 each) reach 10.
    inst = make(
        [[list(range(7))], [list(range(7, 12))], [list(range(12, 17))]], [6, 5, 5], [1.0] * 17
    )
    found = greedy(inst, Goal(), 10.0, Constraints())
    exact = solve_milp(inst, Goal(), 10.0, Constraints(), start=found)
    assert found.value == 7.0
    assert exact.optimal
    assert exact.value == 10.0
    assert exact.posts.tolist() == [0, 1, 1]


@pytest.mark.parametrize(
    ("budget", "cons", "option"),
    [
        (4.0, Constraints(), "--budget"),
        (100.0, Constraints(include=(1,), exclude=(1,)), "--include"),
        (100.0, Constraints(min_creators=3, max_creators=2), "--min-creators"),
        (100.0, Constraints(min_creators=7), "--min-creators"),
        (12.0, Constraints(min_creators=3), "--min-creators"),
        (100.0, Constraints(include=(0, 1, 2), max_creators=2), "--max-creators"),
        (100.0, Constraints(min_creators=4, caps=(GROUPS,)), "--max-per-niche"),
        (100.0, Constraints(include=(0, 1), caps=(GROUPS,)), "--max-per-niche"),
        (9.0, Constraints(include=(0, 1)), "--budget"),
    ],
)
def test_impossible_requests_name_the_constraint_that_cannot_be_met(
    budget: float, cons: Constraints, option: str
) -> None:
    fees = np.array([5.0, 5.0, 5.0, 6.0, 7.0, 8.0])
    with pytest.raises(ParameterError) as caught:
        check_feasible(fees, budget, cons)
    assert caught.value.name == option


def test_min_creators_makes_greedy_spread_the_budget_it_would_otherwise_spend_on_one() -> None:
    big = [list(range(0, 5)), list(range(5, 10)), list(range(10, 15))]
    inst = make([big, [[15], [], []], [[16], [], []]], [5, 5, 5], [1.0] * 17)
    alone = greedy(inst, Goal(), 15.0, Constraints())
    spread = greedy(inst, Goal(), 15.0, Constraints(min_creators=3))
    assert alone.posts.tolist() == [3, 0, 0]
    assert spread.posts.tolist() == [1, 1, 1]
    assert spread.value == enumerate_best(inst, Goal(), 15.0, Constraints(min_creators=3)) == 7.0


@pytest.mark.parametrize("case", list(CASES))
def test_a_passed_deadline_stops_the_greedy_with_a_feasible_plan_that_says_so(case: str) -> None:
    inst, cons = random_instance(1), CASES[case]
    stopped = greedy(inst, Goal("reach", 2), 40.0, cons, deadline=time.monotonic() - 1)
    finished = greedy(inst, Goal("reach", 2), 40.0, cons, deadline=time.monotonic() + 60)
    assert stopped.status == TIME_LIMIT
    assert finished.status == ""
    # what was forced in (includes, the minimum of creators) is there; nothing else was added
    assert feasible(tuple(int(p) for p in stopped.posts), inst, 40.0, cons)
    assert int((stopped.posts > 0).sum()) == max(len(cons.include), cons.min_creators)
    assert finished.value >= stopped.value
