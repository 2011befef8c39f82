"""The same budget spent on one macro creator, and what the plan wins and loses against it.

:func:`best_macro` picks the macro or mega creator passing the plan's own gates with the most
unique reach the budget buys (matching the brief when any does), priced by the same fee model as
the plan (core/pricing.creator_fee, docs/pricing.md) and charged one coordination cost.
:func:`versus_macro` sets the plan's figures beside it — unique reach, engaged people,
engagements, CPE and audience quality — and says in words which side each one favours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import macro_figures, macro_keys
from microscout.config import Settings
from microscout.core.charts import money
from microscout.core.planning import GateRules, Goal, creator_reach, engaged_share
from microscout.core.pricing import REFERENCE_ER, affordable_posts, booking_cost, cpe, creator_fee
from microscout.services.planning.candidates import CandidateFilter, CandidateSource
from microscout.services.planning.compare import relevant
from microscout.services.planning.data import tier_bounds
from microscout.services.planning.gates import passes
from microscout.services.planning.result import (
    MacroChoice,
    Measure,
    PlanTotals,
    VersusMacro,
    Winner,
)


def _choice(
    row: Mapping[str, Any], settings: Settings, budget: float, goal: Goal, max_posts: int
) -> MacroChoice | None:
    """One macro creator booked for as many posts as the budget buys (None: not one)."""
    fee = creator_fee(
        row["platform"],
        row["followers"],
        row["er_median"],
        stored=row["fee_per_post"],
        stored_basis=row["fee_basis"],
        tiers=tier_bounds(settings),
    )
    coordination = settings.plan_coordination_cost
    posts = affordable_posts(budget, fee.per_post, max_posts, coordination)
    if posts < 1:
        return None
    rate = row["reach_rate"] if row["reach_rate"] is not None else settings.reach_gate
    real = 1.0 - (row["fake_follower_share"] or 0.0)
    er = row["er_median"]
    est = creator_reach(row["followers"], rate, real, er or 0.0, posts)
    typical = REFERENCE_ER.get(row["platform"], REFERENCE_ER["other"])
    engaged = est.unique_reach * engaged_share(typical if er is None else er, min(rate, 1.0))
    engagements = None if er is None else round(est.engagements_per_post * posts)
    cost = booking_cost(fee.per_post, posts, coordination)
    return MacroChoice(
        platform=row["platform"],
        handle=row["handle"],
        followers=int(row["followers"]),
        posts=posts,
        fee_per_post=round(fee.per_post, 2),
        cost=round(cost, 2),
        unique_reach=round(est.unique_reach),
        reach_at_k=round(float(sum(est.exposures[goal.k :])) if goal.k <= posts else 0.0),
        matches_brief=True,
        expected_engagements=engagements,
        engaged_people=round(engaged),
        cpe=cpe(cost, float(engagements) if engagements else None),
        audience_quality=row["audience_quality"],
        authenticity_verdict=row["authenticity_verdict"],
        fee_basis=fee.basis,
        coordination=coordination,
    )


def best_macro(
    warehouse: Warehouse,
    settings: Settings,
    brief: str,
    budget: float,
    goal: Goal,
    source: CandidateSource,
    flt: CandidateFilter,
    max_posts: int,
    rules: GateRules,
) -> MacroChoice | None:
    """The single macro/mega creator passing ``rules`` with the most unique reach the budget
    can buy (up to ``max_posts`` posts).

    Macro creators matching the brief (and the platform and country filters) are preferred;
    when none of them passes the gates and fits the budget, every macro creator on the requested
    platforms competes and the answer says it is not matched.
    """

    def pick(keys: pa.Table) -> MacroChoice | None:
        rows = macro_figures(warehouse, keys).to_pylist() if keys.num_rows else []
        return _most_reach(rows, settings, budget, goal, max_posts, rules)

    matched = relevant(source(warehouse, brief, flt), settings.plan_min_relevance)
    best = pick(matched.select(["platform", "creator_id"]))
    if best is not None:
        return best
    everyone = macro_keys(warehouse)
    if flt.platforms:
        everyone = everyone.filter(pc.is_in(everyone["platform"], pa.array(flt.platforms)))
    anyone = pick(everyone)
    return None if anyone is None else replace(anyone, matches_brief=False)


def _most_reach(
    rows: list[dict[str, Any]],
    settings: Settings,
    budget: float,
    goal: Goal,
    max_posts: int,
    rules: GateRules,
) -> MacroChoice | None:
    """Of ``rows``, the creator passing the gates whose affordable posts reach the most people."""
    best: MacroChoice | None = None
    for row in rows:
        if not passes(row, rules):
            continue
        choice = _choice(row, settings, budget, goal, max_posts)
        if choice is not None and (best is None or choice.unique_reach > best.unique_reach):
            best = choice
    return best


# Figures this close are called even: they are estimates (5 points for audience quality).
EVEN = 0.05
# name, what is counted (for "more"/"fewer"), which way is better, how a value is shown
_MEASURES: tuple[tuple[str, str, Literal["higher", "lower"], str], ...] = (
    ("unique reach", "people", "higher", "count"),
    ("engaged people", "people", "higher", "count"),
    ("engagements", "engagements", "higher", "count"),
    ("CPE", "cost per engagement", "lower", "usd"),
    ("audience quality", "quality", "higher", "score"),
)


def _shown(value: float, kind: str) -> str:
    if kind == "usd":
        return money(value)
    if kind == "score":
        return f"{value:.0f}/100"
    return f"{value:,.0f}"


def _difference(plan: float, macro: float, kind: str) -> str:
    """How far the plan's figure is from the macro's, as a reader says it."""
    if kind == "score":
        gap = round(abs(plan - macro))
        return f"{gap} point{'s' * (gap != 1)} {'higher' if plan > macro else 'lower'}"
    if macro == 0:
        return "none for the macro creator"
    ratio = plan / macro
    if ratio >= 2:
        return f"{ratio:.1f}× as {'high' if kind == 'usd' else 'many'}"
    more, less = ("higher", "lower") if kind == "usd" else ("more", "fewer")
    return f"{abs(ratio - 1):.0%} {more if ratio > 1 else less}"


def _close(plan: float, macro: float, kind: str) -> bool:
    """Within EVEN of each other (points for a 0-100 score, a share of the larger otherwise)."""
    if kind == "score":
        return abs(plan - macro) < EVEN * 100
    return abs(plan - macro) <= EVEN * max(abs(plan), abs(macro))


def _winner(plan: float | None, macro: float | None, better: str, kind: str) -> Winner:
    if plan is None or macro is None:
        return "unknown"
    if _close(plan, macro, kind):
        return "even"
    return "plan" if (plan > macro) == (better == "higher") else "macro"


def _measure(
    spec: tuple[str, str, Literal["higher", "lower"], str],
    plan: float | None,
    macro: float | None,
    handle: str,
) -> Measure:
    name, _, better, kind = spec
    winner = _winner(plan, macro, better, kind)
    if plan is None or macro is None:
        side = "the plan" if plan is None else f"@{handle}"
        words = f"{name}: unknown for {side}, so not compared"
    elif winner == "even":
        shown = f"{_shown(plan, kind)} for the plan against {_shown(macro, kind)} for @{handle}"
        margin = f"{EVEN * 100:.0f} points" if kind == "score" else f"{EVEN:.0%}"
        words = f"{name}: {shown}, within {margin}: even"
    else:
        shown = f"{_shown(plan, kind)} for the plan against {_shown(macro, kind)} for @{handle}"
        who = "the plan" if winner == "plan" else f"@{handle}"
        lower = " (lower is better)" if better == "lower" else ""
        words = f"{name}: {shown}, {_difference(plan, macro, kind)}: {who} wins{lower}"
    return Measure(name, plan, macro, better, winner, words)


def _listed(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "nothing measured"
    return ", ".join(names[:-1]) + " and " + names[-1]


def versus_macro(totals: PlanTotals, macro: MacroChoice) -> VersusMacro:
    """The plan against the macro creator on every measure, and the verdict in one sentence."""
    plan_values = (
        float(totals.unique_reach),
        float(totals.engaged_people),
        float(totals.expected_engagements) if totals.expected_engagements else None,
        totals.cpe,
        totals.audience_quality,
    )
    macro_values = (
        float(macro.unique_reach),
        float(macro.engaged_people),
        None if macro.expected_engagements is None else float(macro.expected_engagements),
        macro.cpe,
        macro.audience_quality,
    )
    measures = [
        _measure(spec, p, m, macro.handle)
        for spec, p, m in zip(_MEASURES, plan_values, macro_values, strict=True)
    ]
    wins = [m.name for m in measures if m.winner == "plan"]
    loses = [m.name for m in measures if m.winner == "macro"]
    return VersusMacro(macro.handle, measures, wins, loses, _summary(totals, macro, measures))


def _summary(totals: PlanTotals, macro: MacroChoice, measures: list[Measure]) -> str:
    def said(winner: str) -> list[str]:
        return [
            f"{m.name} ({_difference(m.plan, m.macro, _kind(m.name))})"
            for m in measures
            if m.winner == winner and m.plan is not None and m.macro is not None
        ]

    matched = "" if macro.matches_brief else "; not matched to the brief"
    verdict = f", vet: {macro.authenticity_verdict}" if macro.authenticity_verdict else ""
    even = [m.name for m in measures if m.winner == "even"]
    unknown = [m.name for m in measures if m.winner == "unknown"]
    tail = f" Even on {_listed(even)}." if even else ""
    tail += f" Not compared, for want of data: {_listed(unknown)}." if unknown else ""
    return (
        f"Against one macro creator, @{macro.handle} on {macro.platform} "
        f"({macro.followers:,} followers{verdict}; {macro.posts} post{'s' * (macro.posts > 1)} for "
        f"{money(macro.cost)} by the same fee model{matched}), this plan of {totals.creators} "
        f"creators for {money(totals.cost)} wins on {_listed(said('plan'))} and loses on "
        f"{_listed(said('macro'))}.{tail}"
    )


def _kind(name: str) -> str:
    return next(kind for measure, _, _, kind in _MEASURES if measure == name)


__all__ = ["best_macro", "versus_macro"]
