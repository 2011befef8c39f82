"""A solved plan's figures: each chosen creator's, the totals, and the notes that qualify them.

Formulas: docs/planning.md §3 and §5. Costs count the fees and the coordination cost of every
chosen creator; CPM and CPE divide that whole cost.
"""

from __future__ import annotations

import math

from microscout.core.planning import (
    Goal,
    Instance,
    Solution,
    creator_reach,
    duplication,
    frequency_distribution,
    objective_value,
)
from microscout.core.pricing import cpe, cpm, fee_total
from microscout.services.planning.compare import mean_jaccard, rounded
from microscout.services.planning.data import BASIS_MODEL, AudiencePoints, Pool
from microscout.services.planning.gates import Gated
from microscout.services.planning.result import PlannedCreator, PlanTotals


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def planned_creator(
    pool: Pool,
    points: AudiencePoints,
    i: int,
    posts: int,
    engaged_share: float,
    coordination: float,
) -> PlannedCreator:
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
        engaged_people=round(solo.unique_reach * engaged_share),
        coordination=coordination,
        audience_quality=_number(row["audience_quality"]),
        authenticity_verdict=_text(row["authenticity_verdict"]),
        days_since_last_post=_number(row["days_since_last_post"]),
    )


def mean_quality(creators: list[PlannedCreator]) -> float | None:
    """The creators' audience quality weighted by their expected reach (known ones only)."""
    known = [c for c in creators if c.audience_quality is not None]
    if not known:
        return None
    weights = [max(c.expected_reach, 1) for c in known]
    total = sum(w * (c.audience_quality or 0.0) for w, c in zip(weights, known, strict=True))
    return round(total / sum(weights), 1)


def plan_totals(
    instance: Instance,
    best: Solution,
    creators: list[PlannedCreator],
    goal: Goal,
    points: AudiencePoints,
    chosen: list[int],
) -> PlanTotals:
    """The portfolio's totals (docs/planning.md §5)."""
    dist = frequency_distribution(instance, best.posts)
    reach = float(dist[1:].sum())
    engagements = sum(c.expected_engagements or 0 for c in creators)
    fees = float((instance.fees * best.posts).sum())
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
        engaged_people=round(objective_value(instance, best.posts, Goal("engaged", goal.k))),
        fees=round(fees, 2),
        coordination=round(best.cost - fees, 2),
        audience_quality=mean_quality(creators),
    )


def plan_notes(
    points: AudiencePoints, creators: list[PlannedCreator], totals: PlanTotals, gated: Gated
) -> list[str]:
    """What qualifies the plan's figures: estimates, costs, and what the gates did."""
    bases = {b: points.basis.count(b) for b in set(points.basis)}
    notes = [
        "unique reach and frequency are estimates from sampled audiences (docs/planning.md)",
        "audience data per candidate: " + ", ".join(f"{v} {b}" for b, v in sorted(bases.items())),
    ]
    if any(c.overlap_basis == BASIS_MODEL for c in creators):
        notes.append(
            "overlap for creators marked 'model estimate' is a model estimate, not measured"
        )
    if totals.coordination:
        notes.append(
            f"the cost counts ${totals.coordination:,.0f} of coordination (time and product "
            f"seeding, ${creators[0].coordination:,.0f} per creator) beside "
            f"${totals.fees:,.0f} of fees"
        )
    report = gated.report
    if gated.excluded:
        by = ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in report.excluded_by.items())
        notes.append(
            f"{len(gated.excluded)} of {report.candidates} matching creators left out by the "
            f"plan's gates ({by}); each is listed with its reasons"
        )
    return notes + gated.notes


__all__ = ["mean_quality", "plan_notes", "plan_totals", "planned_creator"]
