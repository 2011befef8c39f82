"""Plan a portfolio: a brief and a budget -> the set of creators and posts a brand would sign.

``plan(warehouse, settings, request, source)`` gathers candidates from ``source`` (a
:class:`CandidateSource` the caller picks: semantic search or the keyword matcher), passes them
through the plan's gates (not high risk, audience quality, activity, reach gate: gates.py; every
creator left out is listed with its reasons), reads their figures, fees and audience points;
builds the planning instance, in which each creator also costs the coordination setting; solves
it with the lazy greedy (and, for small pools, exactly with HiGHS, reporting the greedy answer's
gap) for engaged people, unique reach or frequency; and reports the plan, totals, the budget ->
reach frontier and two comparisons: the top of the ranked list at the same budget, and the best
single macro creator with what the plan wins and loses against it. Formulas: docs/planning.md and
docs/pricing.md.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.audience.hashing import hash_strings
from microscout.core.planning import (
    OBJECTIVES,
    TIME_LIMIT,
    Constraints,
    Goal,
    GroupCap,
    Instance,
    Solution,
    build_instance,
    check_feasible,
    greedy,
    solve_milp,
)
from microscout.errors import ParameterError
from microscout.services.planning.candidates import CandidateFilter, CandidateSource
from microscout.services.planning.compare import (
    FRONTIER_STEPS,
    budget_frontier,
    ranked_top,
    relevant,
)
from microscout.services.planning.data import (
    AudiencePoints,
    Pool,
    audience_points,
    build_pool,
    candidate_rows,
    engaged_shares,
    resolve_handles,
)
from microscout.services.planning.figures import plan_notes, plan_totals, planned_creator
from microscout.services.planning.gates import Gated, apply_gates, gate_rules, nothing_left
from microscout.services.planning.macro import best_macro, versus_macro
from microscout.services.planning.request import PlanRequest
from microscout.services.planning.result import (
    Comparisons,
    FrontierPoint,
    Plan,
    PlanSummary,
    SolverReport,
)


def _validate(request: PlanRequest, k: int, max_posts: int, max_budget: float) -> None:
    if request.objective not in OBJECTIVES:
        raise ParameterError(
            "--objective", f"'{request.objective}' is not one of {', '.join(OBJECTIVES)}"
        )
    if k < 1:
        raise ParameterError("--k", "must be at least 1")
    if max_posts < 1:
        raise ParameterError("--max-posts", "must be at least 1")
    if not math.isfinite(request.budget) or request.budget <= 0:
        raise ParameterError("--budget", "must be a positive amount")
    if request.budget > max_budget:
        raise ParameterError(
            "--budget",
            f"at most ${max_budget:,.0f} per plan (the plan_max_budget setting); "
            "plan a bigger campaign in parts",
        )
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
        engaged_per_point=people * engaged_shares(pool),
        coordination=settings.plan_coordination_cost,
    )


def _check_clash(included: pa.Table, excluded: pa.Table) -> None:
    """--include and --exclude may not name the same creator."""
    if not (excluded.num_rows and included.num_rows):
        return
    clash = set(zip(*(included[c].to_pylist() for c in ("platform", "creator_id")), strict=True))
    for row in excluded.to_pylist():
        if (row["platform"], row["creator_id"]) in clash:
            raise ParameterError("--include", f"{row['creator_id']} is also in --exclude")


def _gated_rows(
    warehouse: Warehouse,
    settings: Settings,
    request: PlanRequest,
    source: CandidateSource,
    flt: CandidateFilter,
) -> tuple[Gated, pa.Table]:
    """The brief's candidates split by the gates, and the keys of the creators included by name.

    The source is asked without the reach gate so that creators failing it are listed with the
    other gates' exclusions instead of vanishing.
    """
    ranked = relevant(source(warehouse, request.brief, flt), settings.plan_min_relevance)
    included = resolve_handles(warehouse, request.include, "--include")
    excluded = resolve_handles(warehouse, request.exclude, "--exclude")
    _check_clash(included, excluded)
    rows = candidate_rows(warehouse, _keys_with(ranked, included, excluded))
    forced = set(zip(*(included[c].to_pylist() for c in ("platform", "creator_id")), strict=True))
    gated = apply_gates(rows, gate_rules(settings, request.include_unvetted), forced)
    if not gated.kept and gated.excluded:
        raise ParameterError("--brief", nothing_left(gated))
    return gated, included


def _included(pool: Pool, included: pa.Table) -> tuple[int, ...]:
    """Pool indices of the creators included by name."""
    key_of = {(r["platform"], r["creator_id"]): i for i, r in enumerate(pool.rows)}
    include = []
    for row in included.to_pylist():
        key = (row["platform"], row["creator_id"])
        if key not in key_of:
            raise ParameterError("--include", f"{row['creator_id']} has no follower count yet")
        include.append(key_of[key])
    return tuple(include)


def plan(
    warehouse: Warehouse,
    settings: Settings,
    request: PlanRequest,
    source: CandidateSource,
) -> Plan:
    """The best portfolio for the request (see the module docstring); candidates come from
    ``source``, which the caller picks (services/discovery/candidates.candidate_source)."""
    deadline = time.monotonic() + settings.plan_time_limit
    k = request.k if request.k is not None else settings.plan_frequency_k
    max_posts = request.max_posts if request.max_posts is not None else settings.plan_max_posts
    _validate(request, k, max_posts, settings.plan_max_budget)
    goal = Goal(request.objective, k)
    flt = CandidateFilter(
        tiers=tuple(request.tiers),
        platforms=tuple(request.platforms),
        countries=tuple(request.countries),
        require_reach_gate=False,
        limit=settings.plan_max_candidates,
    )
    gated, included = _gated_rows(warehouse, settings, request, source, flt)
    pool = build_pool(gated.kept, settings, request.quotes)
    if pool.n == 0:
        raise ParameterError("--brief", f"no scored {'/'.join(flt.tiers) or ''} creators match it")
    points = audience_points(
        warehouse, pool, settings.plan_sketch_size, settings.plan_points_per_creator
    )
    instance = _instance(pool, points, settings, max_posts)
    cons = Constraints(
        min_creators=max(request.min_creators, 0),
        max_creators=request.max_creators,
        caps=_caps(request, pool),
        include=_included(pool, included),
        labels=tuple(f"@{r['handle']}" for r in pool.rows),
    )
    check_feasible(pool.fees, request.budget, cons, instance.coordination)
    best, solver = _solve(instance, goal, request.budget, cons, settings, pool.n, deadline)
    chosen = [int(i) for i in np.flatnonzero(best.posts)]
    shares = engaged_shares(pool)
    creators = [
        planned_creator(pool, points, i, int(best.posts[i]), shares[i], instance.coordination)
        for i in chosen
    ]
    totals = plan_totals(instance, best, creators, goal, points, chosen)
    macro = best_macro(
        warehouse,
        settings,
        request.brief,
        request.budget,
        goal,
        source,
        CandidateFilter(
            tiers=("macro", "mega"),
            platforms=flt.platforms,
            countries=flt.countries,
            require_reach_gate=False,
            limit=500,
        ),
        max_posts,
        gate_rules(settings, request.include_unvetted),
    )
    comparisons = Comparisons(
        ranked_top=ranked_top(pool, points, instance, request.budget, len(chosen), goal),
        macro=macro,
        versus_macro=None if macro is None else versus_macro(totals, macro),
    )
    frontier, frontier_cut = (
        budget_frontier(instance, goal, request.budget, cons, pool.fees, deadline)
        if request.frontier
        else ([], False)
    )
    cut_short = _time_notes(settings, best, frontier, frontier_cut)
    return Plan(
        request=PlanSummary(
            request.brief,
            request.budget,
            goal.objective,
            goal.k,
            pool.n,
            settings.plan_coordination_cost,
        ),
        creators=creators,
        totals=totals,
        frontier=frontier,
        comparisons=comparisons,
        solver=solver,
        notes=cut_short + plan_notes(points, creators, totals, gated),
        excluded=gated.excluded,
        gates=gated.report,
    )


def _time_notes(
    settings: Settings, best: Solution, frontier: list[FrontierPoint], frontier_cut: bool
) -> list[str]:
    """What the time limit cut short, first among the notes."""
    limit = f"the time limit (plan_time_limit, {settings.plan_time_limit:g} s)"
    notes = []
    if best.status == TIME_LIMIT:
        notes.append(
            f"UNFINISHED: {limit} stopped the planner before it had spent the budget; this is "
            "the best plan found so far, not the best there is (raise the limit, or narrow "
            "the brief)"
        )
    if frontier_cut:
        notes.append(f"{limit} cut the budget frontier short ({len(frontier)} points)")
    return notes


def _solve(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    settings: Settings,
    n: int,
    deadline: float,
) -> tuple[Solution, SolverReport]:
    """The lazy greedy plan, replaced by HiGHS's when the pool is small and HiGHS does better
    (HiGHS gets what is left of the plan's time, at most plan_exact_time_limit)."""
    best = greedy(instance, goal, budget, cons, deadline)
    left = deadline - time.monotonic()
    if n > settings.plan_exact_max_candidates or best.status == TIME_LIMIT or left <= 0:
        return best, SolverReport(used=best.solver, greedy_value=best.value)
    exact = solve_milp(
        instance,
        goal,
        budget,
        cons,
        time_limit=min(settings.plan_exact_time_limit, left),
        start=best,
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


__all__ = ["FRONTIER_STEPS", "Plan", "PlanRequest", "plan"]
