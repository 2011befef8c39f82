"""Per-post values and rates by followers (docs/metrics.md): the one home of these formulas.

- engagement = likes + comments + shares + saves, a missing comment/share/save count counting 0;
  NULL when likes are hidden: likes are the bulk of engagement, so a post with hidden likes would
  look like a flop, and it is left out of every rate rather than counted without them.
- seen = reach when the owner shared it, else views.
- a rate by followers = value / followers; NULL when followers are unknown or 0.

Each formula is written twice, side by side: over Ibis columns for a scoring run (every creator
at once, on DuckDB or Spark), and over one post's plain values for a creator's charts, where
compiling an Ibis expression on every page view would double the profile page's time. A unit
test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

# The counts that make up engagement; the first one (likes) must be known.
ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")
Seen = Literal["reach", "views"]


# -- over Ibis columns (the scoring run) ----------------------------------------------------------
def engagement(posts: ir.Table) -> ir.FloatingValue:
    """Per-post engagement of ``posts`` (see the module docstring)."""
    likes, *others = (posts[name] for name in ENGAGEMENT_PARTS)
    total = likes
    for count in others:
        total = total + count.fill_null(0)
    return total.cast("float64")


def seen(posts: ir.Table) -> ir.FloatingValue:
    """Per-post reach, else views, of ``posts``."""
    return posts.reach.fill_null(posts.views).cast("float64")


def per_follower(value: ir.FloatingValue, followers: ir.IntegerValue) -> ir.FloatingValue:
    """``value`` / followers; NULL when followers are unknown or 0."""
    known = followers.notnull() & (followers > 0)
    return ibis.ifelse(known, value / followers.cast("float64"), ibis.null("float64"))


# -- over one post's values (a creator's charts) ---------------------------------------------------
def post_engagement(post: Mapping[str, Any]) -> float | None:
    """One post's engagement (see the module docstring); None when likes are hidden."""
    if post["likes"] is None:
        return None
    return float(post["likes"] + sum(post[name] or 0 for name in ENGAGEMENT_PARTS[1:]))


def seen_source(post: Mapping[str, Any]) -> Seen | None:
    """Which count a post's ``seen`` value comes from: reach, else views; None with neither."""
    if post["reach"] is not None:
        return "reach"
    return "views" if post["views"] is not None else None


def post_seen(post: Mapping[str, Any]) -> float | None:
    """One post's reach, else views; None with neither."""
    source = seen_source(post)
    return None if source is None else float(post[source])


def rate_by_followers(value: float | None, followers: int | None) -> float | None:
    """``value`` / followers; None when either is unknown or followers are 0."""
    if value is None or not followers or followers < 0:
        return None
    return value / followers


__all__ = [
    "ENGAGEMENT_PARTS",
    "engagement",
    "per_follower",
    "post_engagement",
    "post_seen",
    "rate_by_followers",
    "seen",
    "seen_source",
]
