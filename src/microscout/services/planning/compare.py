"""The ranked-top comparison and the budget -> reach frontier for a plan (docs/planning.md §5);
the macro comparison is in macro.py."""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa

from microscout.core.audience import jaccard_matrix
from microscout.core.planning import (
    TIME_LIMIT,
    Constraints,
    Goal,
    Instance,
    check_feasible,
    duplication,
    greedy,
    objective_value,
    plan_cost,
)
from microscout.errors import MicroscoutError
from microscout.services.planning.data import AudiencePoints, Pool
from microscout.services.planning.result import FrontierPoint, RankedTop

FRONTIER_STEPS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def relevant(ranked: pa.Table, floor: float) -> pa.Table:
    """Candidates whose relevance is at least ``floor`` x the best one's."""
    if ranked.num_rows == 0:
        return ranked
    best = max(ranked["relevance"].to_pylist())
    keep = [r >= floor * best for r in ranked["relevance"].to_pylist()]
    return ranked.filter(pa.array(keep))


def rounded(value: float | None) -> float | None:
    """A share to four decimals; unknown stays unknown."""
    return None if value is None else round(value, 4)


def mean_jaccard(points: AudiencePoints, members: list[int]) -> float | None:
    """Mean pairwise Jaccard estimate of the members' audiences (None for fewer than two)."""
    if len(members) < 2:
        return None
    matrix = jaccard_matrix(points.sketches, members)
    upper = matrix[np.triu_indices(len(members), 1)]
    return round(float(upper.mean()), 4)


def ranked_top(
    pool: Pool, points: AudiencePoints, instance: Instance, budget: float, n: int, goal: Goal
) -> RankedTop:
    """What "book the top of the ranked list" buys with the same budget.

    The first ``n`` candidates in rank order that the budget affords (fee and coordination cost)
    get one post each; money left over buys further posts from them, round by round in rank
    order, up to ``instance.max_posts`` each.
    """
    posts = np.zeros(pool.n, np.int64)
    left = budget
    for i in range(pool.n):
        if int((posts > 0).sum()) >= max(n, 1):
            break
        if pool.fees[i] + instance.coordination <= left:
            posts[i], left = 1, left - pool.fees[i] - instance.coordination
    for _ in range(1, instance.max_posts):
        for i in (int(x) for x in np.flatnonzero(posts)):
            if pool.fees[i] <= left:
                posts[i], left = posts[i] + 1, left - pool.fees[i]
    members = [int(i) for i in np.flatnonzero(posts)]
    reach = objective_value(instance, posts, Goal("reach", goal.k))
    return RankedTop(
        creators=[str(pool.rows[i]["handle"]) for i in members],
        cost=round(plan_cost(instance, posts), 2),
        unique_reach=round(reach),
        reach_at_k=round(objective_value(instance, posts, Goal("frequency", goal.k))),
        mean_pairwise_jaccard=mean_jaccard(points, members),
        audience_duplication=rounded(duplication(instance, posts)),
        engaged_people=round(objective_value(instance, posts, Goal("engaged", goal.k))),
    )


def budget_frontier(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    fees: np.ndarray,
    deadline: float | None = None,
) -> tuple[list[FrontierPoint], bool]:
    """The greedy plan at each of FRONTIER_STEPS x the budget (steps it cannot meet left out),
    and whether ``deadline`` passed before the last step (the steps not reached are left out
    too)."""
    out: list[FrontierPoint] = []
    for step in FRONTIER_STEPS:
        if deadline is not None and time.monotonic() > deadline:
            return out, True
        amount = budget * step
        try:
            check_feasible(fees, amount, cons, instance.coordination)
            sol = greedy(instance, goal, amount, cons, deadline)
        except MicroscoutError:
            continue
        if sol.status == TIME_LIMIT:
            return out, True
        out.append(
            FrontierPoint(
                budget=round(amount, 2),
                cost=round(sol.cost, 2),
                unique_reach=round(objective_value(instance, sol.posts, Goal("reach", goal.k))),
                reach_at_k=round(objective_value(instance, sol.posts, Goal("frequency", goal.k))),
                creators=int((sol.posts > 0).sum()),
                engaged_people=round(objective_value(instance, sol.posts, Goal("engaged", goal.k))),
            )
        )
    return out, False


__all__ = [
    "FRONTIER_STEPS",
    "budget_frontier",
    "mean_jaccard",
    "ranked_top",
    "relevant",
    "rounded",
]
