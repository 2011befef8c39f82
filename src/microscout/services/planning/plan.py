"""Plan a portfolio: a brief and a budget -> the set of creators and posts that reaches the most.

``plan(warehouse, settings, request)`` gathers candidates (a :class:`CandidateSource`), their
figures and fees, and their audience points; builds the planning instance; solves it with the lazy
greedy (and, for small pools, exactly with HiGHS, reporting the greedy answer's gap); and reports
the plan, totals, the budget -> reach frontier and two comparisons: the top of the ranked list at
the same budget, and the best single macro creator. ``pricing_stage`` fills the fee columns of
``creator_scores`` during scoring. Formulas: docs/planning.md and docs/pricing.md.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

import highspy
import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.audience.hashing import hash_strings
from microscout.core.metrics import MetricParams
from microscout.core.planning import (
    OBJECTIVES,
    Constraints,
    Goal,
    GroupCap,
    Instance,
    Solution,
    build_instance,
    check_feasible,
    creator_reach,
    duplication,
    frequency_distribution,
    greedy,
    solve_milp,
)
from microscout.core.pricing import cost_per, model_fee
from microscout.errors import ParameterError
from microscout.services.discovery.candidates import candidate_source
from microscout.services.planning.candidates import (
    CandidateFilter,
    CandidateSource,
)
from microscout.services.planning.compare import (
    FRONTIER_STEPS,
    best_macro,
    budget_frontier,
    mean_jaccard,
    ranked_top,
    relevant,
    rounded,
)
from microscout.services.planning.data import (
    BASIS_MODEL,
    AudiencePoints,
    Pool,
    audience_points,
    load_pool,
    resolve_handles,
    tier_bounds,
)
from microscout.services.scoring.stage import Stage


@dataclass(frozen=True)
class PlanRequest:
    """What the user asks for. ``k`` None means the plan_frequency_k setting."""

    brief: str
    budget: float
    objective: str = "reach"
    k: int | None = None
    min_creators: int = 1
    max_creators: int | None = None
    max_per_niche: int | None = None
    max_per_country: int | None = None
    max_per_platform: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    quotes: dict[str, float] = field(default_factory=dict)
    platforms: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ("micro",)
    frontier: bool = True


@dataclass
class Plan:
    """The answer: chosen creators, totals, frontier, comparisons, and how it was solved."""

    request: dict[str, Any]
    creators: list[dict[str, Any]]
    totals: dict[str, Any]
    frontier: list[dict[str, Any]]
    comparisons: dict[str, Any]
    solver: dict[str, Any]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def quiet_highs() -> highspy.Highs:
    """A HiGHS solver whose one-time start-up banner (printed by C code) goes to /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
        return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _validate(request: PlanRequest, k: int) -> None:
    if request.objective not in OBJECTIVES:
        raise ParameterError("--objective", f"'{request.objective}' is not one of reach, frequency")
    if k < 1:
        raise ParameterError("--k", "must be at least 1")
    if not math.isfinite(request.budget) or request.budget <= 0:
        raise ParameterError("--budget", "must be a positive amount")
    if request.min_creators < 0:
        raise ParameterError("--min-creators", "cannot be negative")
    if request.max_creators is not None and request.max_creators < 1:
        raise ParameterError("--max-creators", "must be at least 1")
    for option, value in (
        ("--max-per-niche", request.max_per_niche),
        ("--max-per-country", request.max_per_country),
        ("--max-per-platform", request.max_per_platform),
    ):
        if value is not None and value < 1:
            raise ParameterError(option, "must be at least 1")


def _keys_with(base: pa.Table, extra: pa.Table, drop: pa.Table) -> pa.Table:
    """Candidates plus any included creators the brief missed, minus the excluded ones."""
    have = set(zip(base["platform"].to_pylist(), base["creator_id"].to_pylist(), strict=True))
    gone = set(zip(drop["platform"].to_pylist(), drop["creator_id"].to_pylist(), strict=True))
    rows = [r for r in base.to_pylist() if (r["platform"], r["creator_id"]) not in gone]
    for r in extra.to_pylist():
        if (r["platform"], r["creator_id"]) not in have:
            rows.append({**r, "relevance": 0.0, "relevance_reasons": "included by the user"})
    return pa.Table.from_pylist(rows, schema=base.schema)


def _caps(request: PlanRequest, pool: Pool) -> tuple[GroupCap, ...]:
    caps = []
    for option, column, cap in (
        ("--max-per-niche", "niche", request.max_per_niche),
        ("--max-per-country", "country", request.max_per_country),
        ("--max-per-platform", "platform", request.max_per_platform),
    ):
        if cap is None:
            continue
        values = [str(r[column] or "unknown") for r in pool.rows]
        labels = tuple(sorted(set(values)))
        codes = np.array([labels.index(v) for v in values], np.int64)
        caps.append(GroupCap(option, codes, labels, cap))
    return tuple(caps)


def _instance(pool: Pool, points: AudiencePoints, settings: Settings) -> Instance:
    kept = np.bincount(points.owner, minlength=pool.n).astype(np.float64)
    people = pool.followers * pool.real_share / np.maximum(kept, 1.0)
    salts = hash_strings([f"{r['platform']}:{r['creator_id']}" for r in pool.rows])
    return build_instance(
        points.owner, points.points, pool.fees, people, pool.reach_rate, salts,
        max_posts=settings.plan_max_posts, replicas=settings.plan_replicas,
    )  # fmt: skip


def plan(
    warehouse: Warehouse,
    settings: Settings,
    request: PlanRequest,
    source: CandidateSource | None = None,
) -> Plan:
    """The best portfolio for the request (see the module docstring); candidates come from
    ``source``, by default the one the ``plan_candidates`` setting names."""
    if source is None:
        source = candidate_source(settings)
    k = request.k if request.k is not None else settings.plan_frequency_k
    _validate(request, k)
    goal = Goal(request.objective, k)
    flt = CandidateFilter(
        tiers=request.tiers, platforms=request.platforms, countries=request.countries,
        limit=settings.plan_max_candidates,
    )  # fmt: skip
    ranked = relevant(source(warehouse, request.brief, flt), settings.plan_min_relevance)
    included = resolve_handles(warehouse, request.include, "--include")
    excluded = resolve_handles(warehouse, request.exclude, "--exclude")
    if excluded.num_rows and included.num_rows:
        clash = set(
            zip(*(included[c].to_pylist() for c in ("platform", "creator_id")), strict=True)
        )
        for row in excluded.to_pylist():
            if (row["platform"], row["creator_id"]) in clash:
                raise ParameterError("--include", f"{row['creator_id']} is also in --exclude")
    keys = _keys_with(ranked, included, excluded)
    pool = load_pool(warehouse, keys, settings, request.quotes)
    if pool.n == 0:
        raise ParameterError("--brief", f"no scored {'/'.join(flt.tiers) or ''} creators match it")
    points = audience_points(
        warehouse, pool, settings.plan_sketch_size, settings.plan_points_per_creator
    )
    instance = _instance(pool, points, settings)
    key_of = {(r["platform"], r["creator_id"]): i for i, r in enumerate(pool.rows)}
    include = []
    for row in included.to_pylist():
        key = (row["platform"], row["creator_id"])
        if key not in key_of:
            raise ParameterError("--include", f"{row['creator_id']} has no follower count yet")
        include.append(key_of[key])
    labels = tuple(f"@{r['handle']}" for r in pool.rows)
    cons = Constraints(
        min_creators=max(request.min_creators, 0), max_creators=request.max_creators,
        caps=_caps(request, pool), include=tuple(include), labels=labels,
    )  # fmt: skip
    check_feasible(pool.fees, request.budget, cons)
    best = greedy(instance, goal, request.budget, cons)
    solver: dict[str, Any] = {"used": best.solver, "greedy_value": best.value}
    if pool.n <= settings.plan_exact_max_candidates:
        exact = solve_milp(
            instance, goal, request.budget, cons,
            time_limit=settings.plan_exact_time_limit, start=best, new_solver=quiet_highs,
        )  # fmt: skip
        reference = exact.bound if exact.bound is not None else exact.value
        reference = max(reference, exact.value)
        solver.update(
            exact_value=exact.value, exact_bound=exact.bound, exact_status=exact.status,
            exact_seconds=round(exact.seconds, 3),
            greedy_gap=(reference - best.value) / reference if reference > 0 else 0.0,
        )  # fmt: skip
        if exact.value > best.value + 1e-9:
            best = exact
            solver["used"] = exact.solver
    return _report(
        warehouse, settings, request, goal, source, pool, points, instance, cons, best, solver
    )


def _report(
    warehouse: Warehouse,
    settings: Settings,
    request: PlanRequest,
    goal: Goal,
    source: CandidateSource,
    pool: Pool,
    points: AudiencePoints,
    instance: Instance,
    cons: Constraints,
    best: Solution,
    solver: dict[str, Any],
) -> Plan:
    chosen = [int(i) for i in np.flatnonzero(best.posts)]
    creators = []
    for i in chosen:
        row = pool.rows[i]
        posts = int(best.posts[i])
        er = None if math.isnan(pool.er[i]) else float(pool.er[i])
        solo = creator_reach(
            pool.followers[i], pool.reach_rate[i], pool.real_share[i], er or 0, posts
        )
        creators.append(
            {
                "platform": row["platform"], "handle": row["handle"], "country": row["country"],
                "niche": row["niche"], "followers": int(pool.followers[i]), "posts": posts,
                "fee_per_post": float(pool.fees[i]), "fee": float(pool.fees[i] * posts),
                "fee_basis": row["fee_basis"], "reach_per_post": round(solo.reach_per_post),
                "expected_reach": round(solo.unique_reach),
                "expected_engagements": round(solo.engagements_per_post * posts) if er else None,
                "relevance": round(float(row["relevance"]), 3),  # type: ignore[arg-type]
                "overlap_basis": points.basis[i], "notes": "; ".join(pool.notes[i]),
            }
        )  # fmt: skip
    totals = _totals(instance, best, creators, goal)
    totals["mean_pairwise_jaccard"] = mean_jaccard(points, chosen)
    totals["audience_duplication"] = rounded(duplication(instance, best.posts))
    macro_filter = CandidateFilter(
        tiers=("macro", "mega"), platforms=request.platforms, countries=request.countries,
        limit=500,
    )  # fmt: skip
    comparisons = {
        "ranked_top": ranked_top(pool, points, instance, request.budget, len(chosen), goal),
        "macro": best_macro(
            warehouse, settings, request.brief, request.budget, goal, source, macro_filter
        ),
    }
    frontier = (
        budget_frontier(instance, goal, request.budget, cons, pool.fees) if request.frontier else []
    )
    bases = {b: points.basis.count(b) for b in set(points.basis)}
    notes = [
        "unique reach and frequency are estimates from sampled audiences (docs/planning.md)",
        "audience data per candidate: " + ", ".join(f"{v} {b}" for b, v in sorted(bases.items())),
    ]
    if any(c["overlap_basis"] == BASIS_MODEL for c in creators):
        notes.append(
            "overlap for creators marked 'model estimate' is a model estimate, not measured"
        )
    return Plan(
        request={"brief": request.brief, "budget": request.budget, "objective": goal.objective,
                 "k": goal.k, "candidates": pool.n},
        creators=creators, totals=totals, frontier=frontier, comparisons=comparisons,
        solver=solver, notes=notes,
    )  # fmt: skip


def _totals(
    instance: Instance, best: Solution, creators: list[dict[str, Any]], goal: Goal
) -> dict[str, Any]:
    dist = frequency_distribution(instance, best.posts)
    reach = float(dist[1:].sum())
    at_k = float(dist[goal.k :].sum())
    engagements = sum(c["expected_engagements"] or 0 for c in creators)
    return {
        "creators": len(creators),
        "posts": int(best.posts.sum()),
        "cost": round(best.cost, 2),
        "unique_reach": round(reach),
        "reach_at_k": round(at_k),
        "frequency": {str(m): round(float(v)) for m, v in enumerate(dist) if m >= 1},
        "expected_engagements": engagements,
        "cpm": cost_per(best.cost, reach, 1000.0),
        "cpe": cost_per(best.cost, float(engagements) if engagements else None),
        "objective_value": round(best.value),
    }


def pricing_stage(settings: Settings) -> Stage:
    """A scoring stage filling fee_per_post, fee_basis, cpe and cpm for every scored creator."""
    bounds = tier_bounds(settings)

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        rows = warehouse.fetch_arrow(
            """SELECT platform, creator_id, followers, er_median, reach_rate, fake_follower_share
               FROM creator_scores WHERE followers > 0"""
        ).to_pylist()
        out: dict[str, list[Any]] = {
            k: [] for k in ("platform", "creator_id", "fee_per_post", "fee_basis", "cpe", "cpm")
        }
        for r in rows:
            fee = model_fee(r["platform"], r["followers"], r["er_median"], bounds)
            engagements = r["followers"] * r["er_median"] if r["er_median"] is not None else None
            real = 1.0 - (r["fake_follower_share"] or 0.0)
            reach = r["followers"] * r["reach_rate"] * real if r["reach_rate"] is not None else None
            out["platform"].append(r["platform"])
            out["creator_id"].append(r["creator_id"])
            out["fee_per_post"].append(fee.per_post)
            out["fee_basis"].append(fee.basis)
            out["cpe"].append(cost_per(fee.per_post, engagements))
            out["cpm"].append(cost_per(fee.per_post, reach, 1000.0))
        return pa.table(
            {
                "platform": pa.array(out["platform"], pa.string()),
                "creator_id": pa.array(out["creator_id"], pa.string()),
                "fee_per_post": pa.array(out["fee_per_post"], pa.float64()),
                "fee_basis": pa.array(out["fee_basis"], pa.string()),
                "cpe": pa.array(out["cpe"], pa.float64()),
                "cpm": pa.array(out["cpm"], pa.float64()),
            }
        )

    return stage


__all__ = ["FRONTIER_STEPS", "Plan", "PlanRequest", "plan", "pricing_stage", "quiet_highs"]
