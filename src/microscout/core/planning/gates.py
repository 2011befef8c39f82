"""The gates a creator passes before a plan may book it, each failure named in words.

A brand signs a plan only if it would book every creator in it on its own: not judged high risk
by the vet, no red flag of bought or faked engagement (``FAKED_ENGAGEMENT``), an audience
quality of at least ``min_audience_quality`` (a creator with no audience evidence, whose quality
is unknown, only when ``include_unvetted``), a post within the last ``max_days_since_post``
days, and a reach gate not failed (an unknown reach rate passes, as in search).
docs/planning.md §1 gives the defaults and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

# Every gate, in the order its failure is listed.
GATES = (
    "no_followers",
    "high_risk",
    "faked_engagement",
    "unvetted",
    "low_quality",
    "inactive",
    "reach_gate",
)
UNVETTED = "not vetted"
# The vet's red flags that say the audience or its engagement was bought or staged, in words.
# A brand pays for real people's attention, so one of these keeps a creator out whatever its
# score (a pod creator keeps 75/100, the "ok" line). Inactivity and reach have their own gates;
# a low engagement rate alone is a weak creator, not a fraud.
FAKED_ENGAGEMENT = MappingProxyType(
    {
        "engagement_pod": "comments from an engagement pod",
        "follower_spike": "a follower spike like bought followers",
        "fake_followers": "a fake-follower share above the flag",
        "generic_comments": "mostly generic or copy-pasted comments",
        "following_change": "a follow/unfollow swing",
    }
)


@dataclass(frozen=True)
class GateRules:
    """The thresholds a plan applies (the plan_* settings and the request)."""

    min_audience_quality: float = 75.0
    max_days_since_post: float = 60.0
    reach_gate: float = 0.10
    include_unvetted: bool = False


@dataclass(frozen=True)
class GateFigures:
    """What the gates read of one creator's scores; None is unknown."""

    followers: float | None
    verdict: str | None
    audience_quality: float | None
    days_since_last_post: float | None
    reach_rate: float | None
    passes_reach_gate: bool | None
    red_flags: tuple[str, ...] = ()  # codes of the vet's red flags

    @property
    def unvetted(self) -> bool:
        """No audience evidence was judged: quality unknown, or the vet says "not vetted"."""
        return self.audience_quality is None or self.verdict == UNVETTED


@dataclass(frozen=True)
class Failure:
    """One gate a creator fails: its code (one of GATES) and the reason in words."""

    code: str
    reason: str


def _followers(fig: GateFigures) -> Failure | None:
    if fig.followers is None or fig.followers <= 0:
        return Failure("no_followers", "no follower count: it cannot be priced or reached")
    return None


def _quality(fig: GateFigures, rules: GateRules) -> Failure | None:
    quality = fig.audience_quality
    if fig.verdict == "high risk":
        shown = "unknown" if quality is None else f"{quality:.0f}/100"
        return Failure("high_risk", f"high risk by the vet (audience quality {shown})")
    if fig.unvetted:
        if rules.include_unvetted:
            return None
        return Failure(
            "unvetted",
            "not vetted: no audience evidence to judge it (include unvetted creators to plan it)",
        )
    if quality is not None and quality < rules.min_audience_quality:
        return Failure(
            "low_quality",
            f"audience quality {quality:.0f}/100, below the plan's minimum "
            f"{rules.min_audience_quality:.0f}",
        )
    return None


def _faked(fig: GateFigures) -> Failure | None:
    faked = [FAKED_ENGAGEMENT[code] for code in fig.red_flags if code in FAKED_ENGAGEMENT]
    if not faked:
        return None
    return Failure("faked_engagement", "red flag by the vet: " + "; ".join(faked))


def _activity(fig: GateFigures, rules: GateRules) -> Failure | None:
    days = fig.days_since_last_post
    if days is None:
        return Failure("inactive", "no dated post: whether it is active is unknown")
    if days > rules.max_days_since_post:
        return Failure(
            "inactive",
            f"inactive: last post {days:.0f} days ago, more than {rules.max_days_since_post:.0f}",
        )
    return None


def _reach(fig: GateFigures, rules: GateRules) -> Failure | None:
    if fig.passes_reach_gate is not False:
        return None
    rate = "unknown" if fig.reach_rate is None else f"{fig.reach_rate:.1%}"
    return Failure("reach_gate", f"reach rate {rate}, below the {rules.reach_gate:.0%} reach gate")


def gate_failures(fig: GateFigures, rules: GateRules) -> tuple[Failure, ...]:
    """Every gate the creator fails, in the order of GATES (empty: it may be planned)."""
    found = (
        _followers(fig),
        _quality(fig, rules),
        _faked(fig),
        _activity(fig, rules),
        _reach(fig, rules),
    )
    return tuple(sorted((f for f in found if f is not None), key=lambda f: GATES.index(f.code)))


__all__ = [
    "FAKED_ENGAGEMENT",
    "GATES",
    "UNVETTED",
    "Failure",
    "GateFigures",
    "GateRules",
    "gate_failures",
]
