"""How far the plan's reach predictions were from what happened, across campaigns: the
distribution of errors, and a calibration factor per platform and tier.

An observation is one creator on a campaign who has posted (content live or paid), with both a
predicted reach (from the plan) and an actual one (their campaign posts). The factor of a
platform and tier is the median of actual / predicted over its observations, with its
quartiles; it is marked usable from MIN_OBSERVATIONS on, since a factor from two creators says
little. A planner multiplying its reach by the factor would predict, on these campaigns, with
a median error of zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import median, quantiles
from typing import Any

MIN_OBSERVATIONS = 5


@dataclass(frozen=True)
class Observation:
    campaign: str
    handle: str
    platform: str
    tier: str
    predicted: int
    actual: int

    @property
    def ratio(self) -> float:
        return self.actual / self.predicted


@dataclass(frozen=True)
class Spread:
    """The middle of a set of numbers: median and quartiles (None when empty)."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None, None)
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    q1, _, q3 = quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median(values), q1, q3)


@dataclass(frozen=True)
class Factor:
    platform: str
    tier: str
    ratio: Spread  # actual / predicted
    usable: bool

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio.as_dict()}


def factors(observations: Sequence[Observation]) -> list[Factor]:
    """One factor per platform and tier seen, most observed first."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for o in observations:
        if o.predicted > 0:
            groups[(o.platform, o.tier)].append(o.ratio)
    out = [
        Factor(platform, tier, spread(ratios), len(ratios) >= MIN_OBSERVATIONS)
        for (platform, tier), ratios in groups.items()
    ]
    return sorted(out, key=lambda f: (-f.ratio.n, f.platform, f.tier))


def errors(observations: Sequence[Observation]) -> Spread:
    """The spread of (actual - predicted) / predicted over the observations."""
    return spread([o.ratio - 1 for o in observations if o.predicted > 0])


__all__ = ["MIN_OBSERVATIONS", "Factor", "Observation", "Spread", "errors", "factors", "spread"]
