"""Plan a portfolio: a brief and a budget -> the set of creators and posts that reaches the most.

``plan(warehouse, settings, request, source)`` gathers candidates from ``source`` (a
:class:`CandidateSource` the caller picks: semantic search or the keyword matcher), their figures
and fees, and their audience points; builds the planning instance; solves it with the lazy greedy
(and, for small pools, exactly with HiGHS, reporting the greedy answer's gap); and reports the
plan, totals, the budget -> reach frontier and two comparisons: the top of the ranked list at the
same budget, and the best single macro creator. Formulas: docs/planning.md and docs/pricing.md.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.audience.hashing import hash_strings
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
from microscout.core.pricing import cpe, cpm, fee_total
from microscout.errors import ParameterError
from microscout.services.planning.candidates import CandidateFilter, CandidateSource
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
)
from microscout.services.planning.request import PlanRequest
from microscout.services.planning.result import (
    Comparisons,
    Plan,
    PlannedCreator,
    PlanSummary,
    PlanTotals,
    SolverReport,
)


def _validate(request: PlanRequest, k: int, max_posts: int) -> None:
    if request.objective not in OBJECTIVES:
        raise ParameterError("--objective", f"'{request.objective}' is not one of reach, frequency")
    if k < 1:
        raise ParameterError("--k", "must be at least 1")
    if max_posts < 1:
        raise ParameterError("--max-posts", "must be at least 1")
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


def _instance(pool: Pool, points: AudiencePoints, settings: Settings, max_posts: int) -> Instance:
    kept = np.bincount(points.owner, minlength=pool.n).astype(np.float64)
    people = pool.followers * pool.real_share / np.maximum(kept, 1.0)
    salts = hash_strings([f"{r['platform']}:{r['creator_id']}" for r in pool.rows])
    return build_instance(
        points.owner,
        points.points,
        pool.fees,
        people,
        pool.reach_rate,
        salts,
        max_posts=max_posts,
        replicas=settings.plan_replicas,
    )


def _check_clash(included: pa.Table, excluded: pa.Table) -> None:
    """--include and --exclude may not name the same creator."""
    if not (excluded.num_rows and included.num_rows):
        return
    clash = set(zip(*(included[c].to_pylist() for c in ("platform", "creator_id")), strict=True))
    for row in excluded.to_pylist():
        if (row["platform"], row["creator_id"]) in clash:
            raise ParameterError("--include", f"{row['creator_id']} is also in --exclude")


def plan(
    warehouse: Warehouse,
    settings: Settings,
    request: PlanRequest,
    source: CandidateSource,
) -> Plan:
    """The best portfolio for the request (see the module docstring); candidates come from
    ``source``, which the caller picks (services/discovery/candidates.candidate_source)."""
    k = request.k if request.k is not None else settings.plan_frequency_k
    max_posts = request.max_posts if request.max_posts is not None else settings.plan_max_posts
    _validate(request, k, max_posts)
    goal = Goal(request.objective, k)
    flt = CandidateFilter(
        tiers=tuple(request.tiers),
        platforms=tuple(request.platforms),
        countries=tuple(request.countries),
        limit=settings.plan_max_candidates,
    )
    ranked = relevant(source(warehouse, request.brief, flt), settings.plan_min_relevance)
    included = resolve_handles(warehouse, request.include, "--include")
    excluded = resolve_handles(warehouse, request.exclude, "--exclude")
    _check_clash(included, excluded)
    keys = _keys_with(ranked, included, excluded)
    pool = load_pool(warehouse, keys, settings, request.quotes)
    if pool.n == 0:
        raise ParameterError("--brief", f"no scored {'/'.join(flt.tiers) or ''} creators match it")
    points = audience_points(
        warehouse, pool, settings.plan_sketch_size, settings.plan_points_per_creator
    )
    instance = _instance(pool, points, settings, max_posts)
    key_of = {(r["platform"], r["creator_id"]): i for i, r in enumerate(pool.rows)}
    include = []
    for row in included.to_pylist():
        key = (row["platform"], row["creator_id"])
        if key not in key_of:
            raise ParameterError("--include", f"{row['creator_id']} has no follower count yet")
        include.append(key_of[key])
    cons = Constraints(
        min_creators=max(request.min_creators, 0),
        max_creators=request.max_creators,
        caps=_caps(request, pool),
        include=tuple(include),
        labels=tuple(f"@{r['handle']}" for r in pool.rows),
    )
    check_feasible(pool.fees, request.budget, cons)
    best, solver = _solve(instance, goal, request.budget, cons, settings, pool.n)
    chosen = [int(i) for i in np.flatnonzero(best.posts)]
    creators = [_creator(pool, points, i, int(best.posts[i])) for i in chosen]
    macro_filter = CandidateFilter(
        tiers=("macro", "mega"), platforms=flt.platforms, countries=flt.countries, limit=500
    )
    comparisons = Comparisons(
        ranked_top=ranked_top(pool, points, instance, request.budget, len(chosen), goal),
        macro=best_macro(
            warehouse,
            settings,
            request.brief,
            request.budget,
            goal,
            source,
            macro_filter,
            max_posts,
        ),
    )
    frontier = (
        budget_frontier(instance, goal, request.budget, cons, pool.fees) if request.frontier else []
    )
    return Plan(
        request=PlanSummary(request.brief, request.budget, goal.objective, goal.k, pool.n),
        creators=creators,
        totals=_totals(instance, best, creators, goal, points, chosen),
        frontier=frontier,
        comparisons=comparisons,
        solver=solver,
        notes=_notes(points, creators),
    )


def _solve(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    settings: Settings,
    n: int,
) -> tuple[Solution, SolverReport]:
    """The lazy greedy plan, replaced by HiGHS's when the pool is small and HiGHS does better."""
    best = greedy(instance, goal, budget, cons)
    if n > settings.plan_exact_max_candidates:
        return best, SolverReport(used=best.solver, greedy_value=best.value)
    exact = solve_milp(
        instance, goal, budget, cons, time_limit=settings.plan_exact_time_limit, start=best
    )
    reference = exact.bound if exact.bound is not None else exact.value
    reference = max(reference, exact.value)
    report = SolverReport(
        used=exact.solver if exact.value > best.value + 1e-9 else best.solver,
        greedy_value=best.value,
        exact_value=exact.value,
        exact_bound=exact.bound,
        exact_status=exact.status,
        exact_seconds=round(exact.seconds, 3),
        greedy_gap=(reference - best.value) / reference if reference > 0 else 0.0,
    )
    return (exact if exact.value > best.value + 1e-9 else best), report


def _creator(pool: Pool, points: AudiencePoints, i: int, posts: int) -> PlannedCreator:
    """One chosen creator with what its own posts are expected to buy."""
    row = pool.rows[i]
    er = None if math.isnan(pool.er[i]) else float(pool.er[i])
    solo = creator_reach(pool.followers[i], pool.reach_rate[i], pool.real_share[i], er or 0, posts)
    fee = float(pool.fees[i])
    return PlannedCreator(
        platform=str(row["platform"]),
        handle=str(row["handle"]),
        country=_text(row["country"]),
        niche=_text(row["niche"]),
        followers=int(pool.followers[i]),
        posts=posts,
        fee_per_post=fee,
        fee=fee_total(fee, posts),
        fee_basis=_text(row["fee_basis"]),
        reach_per_post=round(solo.reach_per_post),
        expected_reach=round(solo.unique_reach),
        expected_engagements=round(solo.engagements_per_post * posts) if er else None,
        relevance=round(float(row["relevance"]), 3),  # type: ignore[arg-type]
        overlap_basis=points.basis[i],
        notes="; ".join(pool.notes[i]),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _totals(
    instance: Instance,
    best: Solution,
    creators: list[PlannedCreator],
    goal: Goal,
    points: AudiencePoints,
    chosen: list[int],
) -> PlanTotals:
    dist = frequency_distribution(instance, best.posts)
    reach = float(dist[1:].sum())
    engagements = sum(c.expected_engagements or 0 for c in creators)
    return PlanTotals(
        creators=len(creators),
        posts=int(best.posts.sum()),
        cost=round(best.cost, 2),
        unique_reach=round(reach),
        reach_at_k=round(float(dist[goal.k :].sum())),
        frequency={str(m): round(float(v)) for m, v in enumerate(dist) if m >= 1},
        expected_engagements=engagements,
        cpm=cpm(best.cost, reach),
        cpe=cpe(best.cost, float(engagements) if engagements else None),
        objective_value=round(best.value),
        mean_pairwise_jaccard=mean_jaccard(points, chosen),
        audience_duplication=rounded(duplication(instance, best.posts)),
    )


def _notes(points: AudiencePoints, creators: list[PlannedCreator]) -> list[str]:
    bases = {b: points.basis.count(b) for b in set(points.basis)}
    notes = [
        "unique reach and frequency are estimates from sampled audiences (docs/planning.md)",
        "audience data per candidate: " + ", ".join(f"{v} {b}" for b, v in sorted(bases.items())),
    ]
    if any(c.overlap_basis == BASIS_MODEL for c in creators):
        notes.append(
            "overlap for creators marked 'model estimate' is a model estimate, not measured"
        )
    return notes


__all__ = ["FRONTIER_STEPS", "Plan", "PlanRequest", "plan"]
