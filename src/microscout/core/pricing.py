"""A transparent fee model: the expected fee per post from platform, tier and engagement.

Formula (docs/pricing.md): within the creator's tier, the fee moves geometrically from the low to
the high end of the published per-post range as followers go from the tier's lower to its upper
boundary, then an engagement multiplier ``clip(er / reference_er, 0.5, 2) ** 0.5`` moves it up or
down by at most x1.41. A user quote for a creator replaces the model entirely.

Every cost ratio the planner and the scores report is written here once: the fee a plan uses
(:func:`creator_fee`), what posts cost (:func:`fee_total`, :func:`affordable_posts`), what booking
a creator costs with its coordination (:func:`booking_cost`) and cost per result (:func:`cpe`,
:func:`cpm`, :func:`post_costs`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Published per-post rate ranges in USD by platform and tier (docs/pricing.md gives the source);
# the sources give mega as "X and up": the top of each mega range (2 x its bottom) is our own.
RATE_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "instagram": {
        "nano": (10, 100),
        "micro": (100, 500),
        "mid": (500, 5_000),
        "macro": (5_000, 10_000),
        "mega": (10_000, 20_000),
    },
    "tiktok": {
        "nano": (5, 25),
        "micro": (25, 125),
        "mid": (125, 1_250),
        "macro": (1_250, 2_500),
        "mega": (2_500, 5_000),
    },
    "youtube": {
        "nano": (20, 200),
        "micro": (200, 1_000),
        "mid": (1_000, 10_000),
        "macro": (10_000, 20_000),
        "mega": (20_000, 40_000),
    },
}
RATE_RANGES["other"] = RATE_RANGES["instagram"]
# Typical engagement rate by followers per platform: the point where the multiplier is 1.
REFERENCE_ER = {"instagram": 0.02, "tiktok": 0.04, "youtube": 0.02, "other": 0.02}
MULTIPLIER_BOUNDS = (0.5, 2.0)
TIERS = ("nano", "micro", "mid", "macro", "mega")


@dataclass(frozen=True)
class TierBounds:
    """Follower boundaries of the tiers (the tier_* settings)."""

    nano_max: int = 10_000
    micro_max: int = 50_000
    mid_max: int = 500_000
    macro_max: int = 1_000_000

    def span(self, tier: str) -> tuple[float, float]:
        edges = {
            "nano": (1_000.0, float(self.nano_max)),
            "micro": (float(self.nano_max), float(self.micro_max)),
            "mid": (float(self.micro_max), float(self.mid_max)),
            "macro": (float(self.mid_max), float(self.macro_max)),
            "mega": (float(self.macro_max), 10.0 * self.macro_max),
        }
        return edges[tier]

    def tier_of(self, followers: float) -> str:
        for tier, top in zip(
            TIERS[:4], (self.nano_max, self.micro_max, self.mid_max, self.macro_max), strict=True
        ):
            if followers < top:
                return tier
        return "mega"


@dataclass(frozen=True)
class Fee:
    """One creator's fee per post and how it was set."""

    per_post: float
    basis: str


def model_fee(
    platform: str, followers: float, er: float | None, tiers: TierBounds = TierBounds()
) -> Fee:
    """The model fee per post; ``er`` NULL (unknown) leaves the multiplier at 1 and says so."""
    fees, bases = model_fees([platform], np.array([followers], np.float64), [er], tiers)
    return Fee(float(fees[0]), bases[0])


def model_fees(
    platforms: Sequence[str],
    followers: npt.NDArray[np.float64],
    ers: Sequence[float | None],
    tiers: TierBounds = TierBounds(),
) -> tuple[npt.NDArray[np.float64], list[str]]:
    """:func:`model_fee` of many creators at once: their fees per post and their bases."""
    known = [p if p in RATE_RANGES else "other" for p in platforms]
    names = [tiers.tier_of(f) for f in followers.tolist()]
    ranges = [RATE_RANGES[p][t] for p, t in zip(known, names, strict=True)]
    low = np.array([r[0] for r in ranges], np.float64)
    high = np.array([r[1] for r in ranges], np.float64)
    spans = {t: tiers.span(t) for t in TIERS}
    lo_f = np.array([spans[t][0] for t in names], np.float64)
    hi_f = np.array([spans[t][1] for t in names], np.float64)
    t = (np.log(np.maximum(followers, 1.0)) - np.log(lo_f)) / (np.log(hi_f) - np.log(lo_f))
    base = low * (high / low) ** np.clip(t, 0.0, 1.0)
    er = np.array([np.nan if e is None else e for e in ers], np.float64)
    reference = np.array([REFERENCE_ER[p] for p in known], np.float64)
    ratio = np.clip(er / reference, *MULTIPLIER_BOUNDS)
    multiplier = np.where(np.isfinite(er), np.sqrt(ratio), 1.0)
    # Python's round, not numpy's: it rounds the decimal the user reads (2.675 -> 2.67 or 2.68
    # as repr says), so a fee is the same whichever function priced it.
    fees = np.array([round(x, 2) for x in (base * multiplier).tolist()], np.float64)
    bases = [
        f"model: {p} {tier} ${lo:,.0f}-${hi:,.0f} per post at {f:,.0f} followers = ${b:,.0f}; "
        + (
            f"engagement {e:.2%} vs {REFERENCE_ER[p]:.0%} typical, x{m:.2f}"
            if math.isfinite(e)
            else "engagement unknown, x1"
        )
        for p, tier, lo, hi, f, b, e, m in zip(
            known,
            names,
            low.tolist(),
            high.tolist(),
            followers.tolist(),
            base.tolist(),
            er.tolist(),
            multiplier.tolist(),
            strict=True,
        )
    ]
    return fees, bases


def quoted_fee(amount: float, where: str = "quote") -> Fee:
    """A fee the user was quoted; it replaces the model."""
    return Fee(round(float(amount), 2), where)


def creator_fee(
    platform: str,
    followers: float,
    er: float | None,
    *,
    quote: float | None = None,
    stored: float | None = None,
    stored_basis: str | None = None,
    tiers: TierBounds = TierBounds(),
) -> Fee:
    """The fee per post a plan uses: the user's quote, else the fee scoring stored, else the model.

    A stored fee that is not positive is taken as unknown (a free creator would break every
    cost ratio), so the model fills in.
    """
    if quote is not None:
        return quoted_fee(quote)
    if stored is not None and stored > 0:
        return Fee(float(stored), stored_basis or "stored")
    return model_fee(platform, followers, er, tiers)


def cost_per(fee: float, per_post: float | None, scale: float = 1.0) -> float | None:
    """fee / per_post x scale (CPE with scale 1, CPM with 1000); NULL when per_post is unknown."""
    if per_post is None or not math.isfinite(per_post) or per_post <= 0:
        return None
    return fee / per_post * scale


def cpe(cost: float, engagements: float | None) -> float | None:
    """Cost per engagement: CPE = cost / engagements; NULL when engagements are unknown or 0."""
    return cost_per(cost, engagements)


def cpm(cost: float, reach: float | None) -> float | None:
    """Cost per thousand people reached: CPM = cost / reach x 1,000; NULL when reach is unknown
    or 0."""
    return cost_per(cost, reach, 1000.0)


def fee_total(fee_per_post: float, posts: int) -> float:
    """What a creator's posts cost: fee = fee per post x posts."""
    return fee_per_post * posts


def affordable_posts(
    budget: float, fee_per_post: float, max_posts: int, coordination: float = 0.0
) -> int:
    """Posts of one creator a budget buys once its coordination cost is paid:
    min(max_posts, floor((budget - coordination) / fee per post)), never below 0."""
    return max(0, min(max_posts, int((budget - coordination) // fee_per_post)))


def booking_cost(fee_per_post: float, posts: int, coordination: float = 0.0) -> float:
    """What booking one creator costs: fee per post x posts, plus the per-creator coordination
    cost (the time and product seeding it takes, docs/planning.md) when it makes any post."""
    return fee_total(fee_per_post, posts) + (coordination if posts > 0 else 0.0)


@dataclass(frozen=True)
class PostCosts:
    """What one post of a creator costs per result; None where the result is unknown."""

    cpe: float | None
    cpm: float | None


def post_costs(
    fee_per_post: float,
    followers: float,
    er: float | None,
    reach_rate: float | None,
    real_share: float = 1.0,
) -> PostCosts:
    """CPE and CPM of one post (docs/pricing.md).

    CPE = fee / (followers x er); CPM = fee / (followers x reach rate x real share) x 1,000, the
    real share being 1 - the fake-follower share. The reach rate is not capped at 1 here: views
    above the follower count are real impressions.
    """
    engagements = followers * er if er is not None else None
    reach = followers * reach_rate * real_share if reach_rate is not None else None
    return PostCosts(cpe(fee_per_post, engagements), cpm(fee_per_post, reach))


__all__ = [
    "MULTIPLIER_BOUNDS",
    "RATE_RANGES",
    "REFERENCE_ER",
    "Fee",
    "PostCosts",
    "TierBounds",
    "affordable_posts",
    "booking_cost",
    "cost_per",
    "cpe",
    "cpm",
    "creator_fee",
    "fee_total",
    "model_fee",
    "post_costs",
    "quoted_fee",
]
