"""Tier from follower count: nano < 10k ≤ micro < 50k ≤ mid < 500k ≤ macro < 1M ≤ mega."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microscout.core.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

TIERS = ("nano", "micro", "mid", "macro", "mega")


def tier_of(followers: ir.IntegerValue, params: MetricParams) -> ir.StringValue:
    """NULL when followers are unknown; the boundaries are settings."""
    import ibis  # here: the tier names and bounds are read by commands that load no Ibis

    return ibis.cases(
        (followers.isnull(), ibis.null("string")),
        (followers < params.tier_nano_max, "nano"),
        (followers < params.tier_micro_max, "micro"),
        (followers < params.tier_mid_max, "mid"),
        (followers < params.tier_macro_max, "macro"),
        else_="mega",
    )


def tier_bounds(tier: str, params: MetricParams) -> tuple[int, int | None]:
    """[low, high) follower bounds of a tier name."""
    edges = [0, params.tier_nano_max, params.tier_micro_max, params.tier_mid_max]
    edges.append(params.tier_macro_max)
    index = TIERS.index(tier)
    high = edges[index + 1] if index + 1 < len(edges) else None
    return edges[index], high
