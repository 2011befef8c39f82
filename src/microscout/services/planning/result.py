"""A plan as it is answered: typed end to end, from the service to plan.json and the API schema.

Money is in USD rounded to cents, people are whole numbers, shares are in [0, 1]; ``None`` means
unknown, never 0 (docs/planning.md §5 defines every figure).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PlanSummary:
    """The request as it was solved: ``k`` resolved from the setting when not given."""

    brief: str
    budget: float
    objective: str
    k: int
    candidates: int


@dataclass(frozen=True)
class PlannedCreator:
    """One chosen creator, its posts and what they are expected to buy on their own."""

    platform: str
    handle: str
    country: str | None
    niche: str | None
    followers: int
    posts: int
    fee_per_post: float
    fee: float
    fee_basis: str | None
    reach_per_post: int
    expected_reach: int
    expected_engagements: int | None
    relevance: float
    overlap_basis: str
    notes: str


@dataclass(frozen=True)
class PlanTotals:
    """The portfolio's totals; ``frequency`` maps times reached (from 1) to people."""

    creators: int
    posts: int
    cost: float
    unique_reach: int
    reach_at_k: int
    frequency: dict[str, int]
    expected_engagements: int
    cpm: float | None
    cpe: float | None
    objective_value: int
    mean_pairwise_jaccard: float | None
    audience_duplication: float | None


@dataclass(frozen=True)
class FrontierPoint:
    """The greedy plan at one budget of the budget -> reach frontier."""

    budget: float
    cost: float
    unique_reach: int
    reach_at_k: int
    creators: int


@dataclass(frozen=True)
class RankedTop:
    """What booking the top of the ranked list buys with the same budget."""

    creators: list[str]
    cost: float
    unique_reach: int
    reach_at_k: int
    mean_pairwise_jaccard: float | None
    audience_duplication: float | None


@dataclass(frozen=True)
class MacroChoice:
    """The single macro or mega creator with the most unique reach the budget buys."""

    platform: str
    handle: str
    followers: int
    posts: int
    fee_per_post: float
    cost: float
    unique_reach: int
    reach_at_k: int
    matches_brief: bool


@dataclass(frozen=True)
class Comparisons:
    """The same budget spent otherwise; ``macro`` is None when no macro creator's fee fits."""

    ranked_top: RankedTop
    macro: MacroChoice | None


@dataclass(frozen=True)
class SolverReport:
    """Which solver's plan is used; the exact solver's figures when it ran (small pools)."""

    used: str
    greedy_value: float
    exact_value: float | None = None
    exact_bound: float | None = None
    exact_status: str | None = None
    exact_seconds: float | None = None
    greedy_gap: float | None = None


@dataclass(frozen=True)
class Plan:
    """The answer: chosen creators, totals, frontier, comparisons, and how it was solved."""

    request: PlanSummary
    creators: list[PlannedCreator]
    totals: PlanTotals
    frontier: list[FrontierPoint]
    comparisons: Comparisons
    solver: SolverReport
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready dicts (plan.json, ``--json``)."""
        return asdict(self)


__all__ = [
    "Comparisons",
    "FrontierPoint",
    "MacroChoice",
    "Plan",
    "PlanSummary",
    "PlanTotals",
    "PlannedCreator",
    "RankedTop",
    "SolverReport",
]
