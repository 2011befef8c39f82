"""Which of a creator's posts belong to a campaign, and what they add up to.

A post between the campaign's dates, by a creator who has agreed to work on it, belongs to it
when it carries any of: the campaign's hashtag, a mention or paid-partnership tag of the brand's
handle, the creator's promo code or short-link code in its text, or the platform's
paid-partnership mark with no sponsor named. A paid partnership that names another brand does
not count: it is someone else's campaign. The reason is kept per post, so a report can say why
each post counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ENGAGEMENT_FIELDS = ("likes", "comments", "shares", "saves")


@dataclass(frozen=True)
class Markers:
    """What marks one creator's posts as the campaign's."""

    hashtag: str | None
    brand_handle: str | None
    promo_code: str
    link_code: str


def _split(value: Any) -> set[str]:
    return {p.strip().lower().lstrip("#@") for p in str(value or "").split("|") if p.strip()}


def why_counted(post: Mapping[str, Any], markers: Markers) -> str | None:
    """Why the post is the campaign's ("hashtag #x", "mentions @brand", …), or None."""
    text = str(post.get("caption") or "")
    tag = (markers.hashtag or "").lower().lstrip("#")
    if tag and (tag in _split(post.get("hashtags")) or f"#{tag}" in text.lower()):
        return f"hashtag #{tag}"
    brand = (markers.brand_handle or "").lower().lstrip("@")
    if brand and (
        brand in _split(post.get("mentions"))
        or brand in _split(post.get("sponsors"))
        or f"@{brand}" in text.lower()
    ):
        return f"mentions @{brand}"
    if markers.promo_code and markers.promo_code.lower() in text.lower():
        return f"promo code {markers.promo_code}"
    if markers.link_code and f"/r/{markers.link_code}" in text.lower():
        return "tracking link"
    if post.get("is_sponsored") and not _split(post.get("sponsors")):
        return "marked as a paid partnership (no sponsor named)"
    return None


@dataclass(frozen=True)
class PostTotals:
    posts: int
    reach: int | None
    reach_basis: str
    views: int | None
    engagements: int | None


def add_up(posts: Sequence[Mapping[str, Any]]) -> PostTotals:
    """Reach (views where a post has no reach), views and engagements of ``posts``
    (docs/campaigns.md)."""
    reach, from_views, unknown = 0, 0, 0
    for post in posts:
        if post.get("reach") is not None:
            reach += int(post["reach"])
        elif post.get("views") is not None:
            reach += int(post["views"])
            from_views += 1
        else:
            unknown += 1
    counted = len(posts) - unknown
    views = [int(p["views"]) for p in posts if p.get("views") is not None]
    engaged = [
        sum(int(p.get(f) or 0) for f in ENGAGEMENT_FIELDS)
        for p in posts
        if any(p.get(f) is not None for f in ENGAGEMENT_FIELDS)
    ]
    if not posts:
        basis = "no campaign post found"
    elif counted == 0:
        basis = "no post reports reach or views"
    else:
        parts = [f"reach of {counted - from_views} post(s)"] if counted > from_views else []
        parts += [f"views of {from_views} post(s) without reach"] if from_views else []
        parts += [f"{unknown} post(s) with neither left out"] if unknown else []
        basis = "; ".join(parts)
    return PostTotals(
        posts=len(posts),
        reach=reach if counted else None,
        reach_basis=basis,
        views=sum(views) if views else None,
        engagements=sum(engaged) if engaged else None,
    )


__all__ = ["ENGAGEMENT_FIELDS", "Markers", "PostTotals", "add_up", "why_counted"]
