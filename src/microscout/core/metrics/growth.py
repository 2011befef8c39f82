"""Follower growth and spike detection from follower snapshots."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.params import MetricParams
from microscout.core.metrics.window import KEY, _float


def growth(snapshots: ir.Table, params: MetricParams) -> ir.Table:
    """30/90-day relative growth to the last snapshot, and the largest weekly gain vs the norm.

    Gains between consecutive snapshots are scaled to 7 days. The norm is the creator's median
    weekly gain, floored at 0.1% of followers so a flat account's first real gain is not
    "infinitely" unusual. A spike is a gain ≥ spike_ratio × norm that is also ≥ spike_min_share
    of the followers before it.
    """
    snaps = snapshots.filter(snapshots.followers.notnull() & snapshots.snapshot_date.notnull())
    if params.as_of is not None:
        snaps = snaps.filter(snaps.snapshot_date <= params.as_of.date())
    snaps = snaps.mutate(day=snaps.snapshot_date.epoch_days())
    ordered = ibis.window(group_by=list(KEY), order_by="day")
    steps = snaps.mutate(
        prev_followers=snaps.followers.lag().over(ordered),
        prev_day=snaps.day.lag().over(ordered),
        last_day=snaps.day.max().over(ibis.window(group_by=list(KEY))),
    )
    steps = steps.mutate(
        age=steps.last_day - steps.day,
        weekly_gain=weekly_gain(steps.followers - steps.prev_followers, steps.day - steps.prev_day),
    )
    # The spike is the latest of the largest gains: with ties an engine's argmax picks any row.
    steps = steps.mutate(
        top=steps.weekly_gain == steps.weekly_gain.max().over(ibis.window(group_by=list(KEY)))
    )
    agg = steps.group_by(list(KEY)).agg(
        snapshots_n=steps.count(),
        f_last=steps.followers.max(where=steps.age == 0),
        f_30=steps.followers.argmin(steps.age, where=steps.age >= 30),
        f_90=steps.followers.argmin(steps.age, where=steps.age >= 90),
        gain_median=steps.weekly_gain.median(),
        gain_max=steps.weekly_gain.max(),
        spike_date=steps.snapshot_date.max(where=steps.top),
        spike_prev=steps.prev_followers.argmax(steps.day, where=steps.top),
    )
    norm = ibis.greatest(agg.gain_median, agg.f_last.cast("float64") * _float(0.001))
    ratio = ibis.ifelse(
        (agg.snapshots_n >= 3) & (norm > 0), agg.gain_max / norm, ibis.null("float64")
    )
    enough = agg.snapshots_n >= 3
    return agg.mutate(
        growth_30d=_relative(agg.f_last, agg.f_30),
        growth_90d=_relative(agg.f_last, agg.f_90),
        spike_ratio=ratio,
        spike_gain=ibis.ifelse(enough, agg.gain_max.round().cast("int64"), ibis.null("int64")),
        spike_date=ibis.ifelse(enough, agg.spike_date, ibis.null("date")),
        spike_flag=ibis.ifelse(
            enough,
            (ratio >= _float(params.spike_ratio))
            & (agg.gain_max >= agg.spike_prev.cast("float64") * _float(params.spike_min_share)),
            ibis.null("boolean"),
        ),
    ).select(
        *KEY,
        "snapshots_n",
        "growth_30d",
        "growth_90d",
        "spike_flag",
        "spike_gain",
        "spike_date",
        "spike_ratio",
    )


def weekly_gain(gain: ir.IntegerValue, days: ir.IntegerValue) -> ir.FloatingValue:
    """A gain in followers between two snapshots ``days`` apart, scaled to 7 days."""
    return gain.cast("float64") * _float(7.0) / days.cast("float64")


def weekly_gain_of(gain: int, days: int) -> float:
    """:func:`weekly_gain` for one pair of snapshots (a chart's hover text); 0 on the same day."""
    return gain * 7.0 / days if days else 0.0


def _relative(now: ir.IntegerValue, before: ir.IntegerValue) -> ir.FloatingValue:
    return ibis.ifelse(
        before > 0,
        (now - before).cast("float64") / before.cast("float64"),
        ibis.null("float64"),
    )
