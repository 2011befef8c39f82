"""A plan as it is answered: typed end to end, from the service to plan.json and the API schema.

Money is in USD rounded to cents, people are whole numbers, shares are in [0, 1]; ``None`` means
unknown, never 0 (docs/planning.md §5 defines every figure). Fields added after the first release
have defaults, so results built by older callers still read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Winner = Literal["plan", "macro", "even", "unknown"]


@dataclass(frozen=True)
class PlanSummary:
    """The request as it was solved: ``k`` resolved from the setting when not given;
    ``candidates`` passed the gates; ``coordination_cost`` is what each creator costs besides
    its fees."""

    brief: str
    budget: float
    objective: str
    k: int
    candidates: int
    coordination_cost: float = 0.0


@dataclass(frozen=True)
class PlannedCreator:
    """One chosen creator, its posts and what they are expected to buy on their own; ``fee`` is
    fee per post x posts, ``coordination`` what booking it costs besides."""

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
    engaged_people: int = 0
    coordination: float = 0.0
    audience_quality: float | None = None
    authenticity_verdict: str | None = None
    days_since_last_post: float | None = None


@dataclass(frozen=True)
class PlanTotals:
    """The portfolio's totals; ``frequency`` maps times reached (from 1) to people; ``cost`` is
    ``fees`` plus ``coordination``, and CPM and CPE divide that cost; ``audience_quality`` is the
    chosen creators' mean weighted by their expected reach (None when none is known)."""

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
    engaged_people: int = 0
    fees: float = 0.0
    coordination: float = 0.0
    audience_quality: float | None = None


@dataclass(frozen=True)
class FrontierPoint:
    """The greedy plan at one budget of the budget -> reach frontier."""

    budget: float
    cost: float
    unique_reach: int
    reach_at_k: int
    creators: int
    engaged_people: int = 0


@dataclass(frozen=True)
class RankedTop:
    """What booking the top of the ranked list buys with the same budget."""

    creators: list[str]
    cost: float
    unique_reach: int
    reach_at_k: int
    mean_pairwise_jaccard: float | None
    audience_duplication: float | None
    engaged_people: int = 0


@dataclass(frozen=True)
class MacroChoice:
    """The single macro or mega creator passing the plan's gates with the most unique reach the
    budget buys; ``cost`` is its fees plus one coordination cost."""

    platform: str
    handle: str
    followers: int
    posts: int
    fee_per_post: float
    cost: float
    unique_reach: int
    reach_at_k: int
    matches_brief: bool
    expected_engagements: int | None = None
    engaged_people: int = 0
    cpe: float | None = None
    audience_quality: float | None = None
    authenticity_verdict: str | None = None
    fee_basis: str | None = None
    coordination: float = 0.0


@dataclass(frozen=True)
class Measure:
    """One figure of the plan beside the macro creator's, who wins it, and that in words."""

    name: str
    plan: float | None
    macro: float | None
    better: Literal["higher", "lower"]
    winner: Winner
    words: str


@dataclass(frozen=True)
class VersusMacro:
    """What the plan wins and loses against the one macro creator, in numbers and in words."""

    handle: str
    measures: list[Measure]
    wins: list[str]
    loses: list[str]
    summary: str


@dataclass(frozen=True)
class Comparisons:
    """The same budget spent otherwise; ``macro`` is None when no macro creator passing the
    gates fits the budget, and ``versus_macro`` then too."""

    ranked_top: RankedTop
    macro: MacroChoice | None
    versus_macro: VersusMacro | None = None


@dataclass(frozen=True)
class ExcludedCreator:
    """A candidate the gates left out, with every reason (``codes`` name the gates)."""

    platform: str
    handle: str
    followers: int | None
    relevance: float
    reasons: list[str]
    codes: list[str]


@dataclass(frozen=True)
class GateReport:
    """The gates as applied: thresholds, candidates before and after, exclusions by gate, and
    creators the user included although they fail a gate."""

    min_audience_quality: float
    max_days_since_post: float
    reach_gate: float
    include_unvetted: bool
    candidates: int
    passed: int
    excluded_by: dict[str, int]
    included_anyway: list[str]


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
    """The answer: chosen creators, totals, frontier, comparisons, how it was solved, and the
    candidates the gates left out with their reasons."""

    request: PlanSummary
    creators: list[PlannedCreator]
    totals: PlanTotals
    frontier: list[FrontierPoint]
    comparisons: Comparisons
    solver: SolverReport
    notes: list[str]
    excluded: list[ExcludedCreator] = field(default_factory=list)
    gates: GateReport | None = None

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready dicts (plan.json, ``--json``)."""
        return asdict(self)


__all__ = [
    "Comparisons",
    "ExcludedCreator",
    "FrontierPoint",
    "GateReport",
    "MacroChoice",
    "Measure",
    "Plan",
    "PlanSummary",
    "PlanTotals",
    "PlannedCreator",
    "RankedTop",
    "SolverReport",
    "VersusMacro",
]
