"""Ibis expressions the authenticity stage reads: population norms and following changes.

Pure expressions over warehouse tables, so they run on DuckDB and on Spark alike.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

KEY = ("platform", "creator_id")


def norms(scores: ir.Table) -> ir.Table:
    """Median engagement rate and comment/like ratio per (platform, tier), with creator counts.

    The creator being judged is part of its own norm; with the tens of creators a norm needs
    that moves it little, and it keeps the norm one number per group.
    """
    t = scores.filter(scores.tier.notnull())
    return t.group_by(["platform", "tier"]).agg(
        er_norm=t.er_median.median(),
        er_norm_n=t.er_median.count(),
        clr_norm=t.comment_like_ratio.median(),
        clr_norm_n=t.comment_like_ratio.count(),
    )


def following_changes(snapshots: ir.Table) -> ir.Table:
    """Per creator, the largest change in accounts followed between consecutive snapshots.

    Columns: platform, creator_id, following_snapshots_n, following_before, following_after,
    following_change_date. Largest means largest absolute change, relative to the count before.
    """
    snaps = snapshots.filter(snapshots.following.notnull() & snapshots.snapshot_date.notnull())
    ordered = ibis.window(group_by=list(KEY), order_by="snapshot_date")
    steps = snaps.mutate(before=snaps.following.lag().over(ordered))
    size = (steps.following - steps.before).abs().cast("float64") / ibis.greatest(
        steps.before, 1
    ).cast("float64")
    steps = steps.mutate(size=ibis.ifelse(steps.before.notnull(), size, ibis.null("float64")))
    return steps.group_by(list(KEY)).agg(
        following_snapshots_n=steps.count(),
        following_before=steps.before.argmax(steps.size),
        following_after=steps.following.argmax(steps.size),
        following_change_date=steps.snapshot_date.argmax(steps.size),
    )


__all__ = ["following_changes", "norms"]
