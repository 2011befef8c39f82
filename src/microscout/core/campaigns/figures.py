"""The campaign report's figures and their formulas (docs/campaigns.md).

Per creator, from the campaign's posts (theirs once they have agreed, between the campaign's
dates, carrying its hashtag, its brand handle, their link or code, or an unnamed paid-partnership
mark; core/campaigns/posts.py):

- ``reach`` = the posts' reach summed (accounts reached per post, as the platform reports it
  to the account owner); a post without reach counts its ``views`` instead and the basis says
  so; None when no post has either;
- ``engagements`` = likes + comments + shares + saves of those posts;
- ``clicks`` = distinct visitors per day on the creator's short link; ``sessions`` = the
  sessions an analytics export counted for their UTM link; ``orders`` and ``revenue`` =
  imported orders carrying the creator's promo code or their ``utm_content``;
- ``spend`` = the agreed fee of creators from "agreed" on (committed money), else 0;
- ``emv`` = Σ over the posts' actions (views, reach, likes, comments, shares, saves) and the
  clicks of count × the value the user set for that action (setting ``campaign_emv_values``);
  None when no value is set: no vendor's table is assumed.

Totals add these up, and the ratios are taken on the totals: CPM = spend / reach x 1000,
CPE = spend / engagements, CPC = spend / clicks, CPA = spend / orders, ROAS = revenue / spend;
each is None when its denominator is 0 or unknown. Predicted vs actual: error = (actual -
predicted) / predicted, per creator, when both are known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any


def ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    """numerator / denominator x scale, or None when either is unknown or the denominator 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator * scale


def error(actual: float | None, predicted: float | None) -> float | None:
    """(actual - predicted) / predicted: +0.2 is 20% more than predicted."""
    if actual is None or not predicted:
        return None
    return (actual - predicted) / predicted


@dataclass(frozen=True)
class CreatorResult:
    handle: str
    platform: str
    status: str
    spend: float
    posts: int
    reach: int | None
    reach_basis: str
    views: int | None
    engagements: int | None
    clicks: int
    sessions: int
    orders: int
    revenue: float
    predicted_reach: int | None
    predicted_engagements: int | None
    predicted_fee: float | None
    emv: float | None = None

    @property
    def reach_error(self) -> float | None:
        return error(self.reach, self.predicted_reach)

    @property
    def engagements_error(self) -> float | None:
        return error(self.engagements, self.predicted_engagements)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["actual_reach"] = self.reach
        out["actual_engagements"] = self.engagements
        out["reach_error"] = self.reach_error
        out["engagements_error"] = self.engagements_error
        return out


@dataclass(frozen=True)
class Totals:
    spend: float
    posts: int
    reach: int | None
    views: int | None
    engagements: int | None
    clicks: int
    sessions: int
    orders: int
    revenue: float
    cpm: float | None
    cpe: float | None
    cpc: float | None
    cpa: float | None
    roas: float | None
    predicted_reach: int | None
    predicted_engagements: int | None
    emv: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def emv_of(
    posts: Sequence[Mapping[str, Any]], clicks: int, values: Mapping[str, float]
) -> float | None:
    """Earned media value of ``posts`` and ``clicks`` at the user's ``values`` (docstring)."""
    if not values:
        return None
    total = sum(
        float(post.get(action) or 0) * value
        for post in posts
        for action, value in values.items()
        if action != "clicks"
    )
    return round(total + clicks * values.get("clicks", 0.0), 2)


def _known_sum(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def totals_of(creators: Sequence[CreatorResult]) -> Totals:
    """The campaign's totals and ratios (module docstring)."""
    spend = sum(c.spend for c in creators)
    reach = _known_sum([c.reach for c in creators])
    engagements = _known_sum([c.engagements for c in creators])
    clicks = sum(c.clicks for c in creators)
    orders = sum(c.orders for c in creators)
    revenue = sum(c.revenue for c in creators)
    return Totals(
        spend=round(spend, 2),
        posts=sum(c.posts for c in creators),
        reach=reach,
        views=_known_sum([c.views for c in creators]),
        engagements=engagements,
        clicks=clicks,
        sessions=sum(c.sessions for c in creators),
        orders=orders,
        revenue=round(revenue, 2),
        cpm=ratio(spend, reach, 1000.0),
        cpe=ratio(spend, engagements),
        cpc=ratio(spend, clicks),
        cpa=ratio(spend, orders),
        roas=ratio(revenue, spend),
        predicted_reach=_known_sum([c.predicted_reach for c in creators]),
        predicted_engagements=_known_sum([c.predicted_engagements for c in creators]),
        emv=_known_total([c.emv for c in creators]),
    )


def _known_total(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known), 2) if known else None


__all__ = ["CreatorResult", "Totals", "emv_of", "error", "ratio", "totals_of"]
