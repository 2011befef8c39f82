"""Same-budget comparisons and the budget -> reach frontier for a plan (docs/planning.md §5)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import macro_figures, macro_keys
from microscout.config import Settings
from microscout.core.audience import jaccard_matrix
from microscout.core.planning import (
    Constraints,
    Goal,
    Instance,
    check_feasible,
    creator_reach,
    duplication,
    greedy,
    objective_value,
)
from microscout.core.pricing import affordable_posts, creator_fee, fee_total
from microscout.errors import MicroscoutError
from microscout.services.planning.candidates import CandidateFilter, CandidateSource
from microscout.services.planning.data import AudiencePoints, Pool, tier_bounds
from microscout.services.planning.result import FrontierPoint, MacroChoice, RankedTop

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

    The first ``n`` candidates in rank order that the budget affords get one post each; money
    left over buys further posts from them, round by round in rank order, up to
    ``instance.max_posts`` each.
    """
    posts = np.zeros(pool.n, np.int64)
    left = budget
    for i in range(pool.n):
        if int((posts > 0).sum()) >= max(n, 1):
            break
        if pool.fees[i] <= left:
            posts[i], left = 1, left - pool.fees[i]
    for _ in range(1, instance.max_posts):
        for i in (int(x) for x in np.flatnonzero(posts)):
            if pool.fees[i] <= left:
                posts[i], left = posts[i] + 1, left - pool.fees[i]
    members = [int(i) for i in np.flatnonzero(posts)]
    cost = sum(fee_total(float(pool.fees[i]), int(posts[i])) for i in members)
    reach = objective_value(instance, posts, Goal("reach", goal.k))
    return RankedTop(
        creators=[str(pool.rows[i]["handle"]) for i in members],
        cost=round(cost, 2),
        unique_reach=round(reach),
        reach_at_k=round(objective_value(instance, posts, Goal("frequency", goal.k))),
        mean_pairwise_jaccard=mean_jaccard(points, members),
        audience_duplication=rounded(duplication(instance, posts)),
    )


def budget_frontier(
    instance: Instance, goal: Goal, budget: float, cons: Constraints, fees: np.ndarray
) -> list[FrontierPoint]:
    """The greedy plan at each of FRONTIER_STEPS x the budget (steps it cannot meet left out)."""
    out = []
    for step in FRONTIER_STEPS:
        amount = budget * step
        try:
            check_feasible(fees, amount, cons)
            sol = greedy(instance, goal, amount, cons)
        except MicroscoutError:
            continue
        out.append(
            FrontierPoint(
                budget=round(amount, 2),
                cost=round(sol.cost, 2),
                unique_reach=round(objective_value(instance, sol.posts, Goal("reach", goal.k))),
                reach_at_k=round(objective_value(instance, sol.posts, Goal("frequency", goal.k))),
                creators=int((sol.posts > 0).sum()),
            )
        )
    return out


def best_macro(
    warehouse: Warehouse,
    settings: Settings,
    brief: str,
    budget: float,
    goal: Goal,
    source: CandidateSource,
    flt: CandidateFilter,
    max_posts: int,
) -> MacroChoice | None:
    """The single macro/mega creator with the most unique reach the budget can buy (formula).

    Macro creators matching the brief (and the platform and country filters) are preferred;
    without any, every macro creator competes and the answer says it is not matched.
    """
    matched = relevant(source(warehouse, brief, flt), settings.plan_min_relevance)
    keys = matched.select(["platform", "creator_id"])
    if keys.num_rows == 0:
        keys = macro_keys(warehouse)
    rows = macro_figures(warehouse, keys).to_pylist()
    bounds = tier_bounds(settings)
    best: MacroChoice | None = None
    for row in rows:
        fee = creator_fee(
            row["platform"],
            row["followers"],
            row["er_median"],
            stored=row["fee_per_post"],
            tiers=bounds,
        ).per_post
        posts = affordable_posts(budget, fee, max_posts)
        if posts < 1:
            continue
        rate = row["reach_rate"] if row["reach_rate"] is not None else settings.reach_gate
        real = 1.0 - (row["fake_follower_share"] or 0.0)
        est = creator_reach(row["followers"], rate, real, row["er_median"] or 0.0, posts)
        at_k = float(sum(est.exposures[goal.k :])) if goal.k <= posts else 0.0
        if best is None or est.unique_reach > best.unique_reach:
            best = MacroChoice(
                platform=row["platform"],
                handle=row["handle"],
                followers=int(row["followers"]),
                posts=posts,
                fee_per_post=round(fee, 2),
                cost=round(fee_total(fee, posts), 2),
                unique_reach=round(est.unique_reach),
                reach_at_k=round(at_k),
                matches_brief=matched.num_rows > 0,
            )
    return best


__all__ = [
    "FRONTIER_STEPS",
    "best_macro",
    "budget_frontier",
    "mean_jaccard",
    "ranked_top",
    "relevant",
    "rounded",
]
