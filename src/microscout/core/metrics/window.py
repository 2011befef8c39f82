"""The engagement window and per-post rates.

A creator's window ends at the anchor (``as_of`` when given, else the creator's latest post) and
holds the latest ``window_max_posts`` posts published in the ``window_days`` before it.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.params import SECONDS_PER_DAY, MetricParams

KEY = ("platform", "creator_id")


def _float(value: float) -> ir.FloatingScalar:
    # Spark reads a bare decimal literal as DECIMAL; an explicit float64 keeps both backends alike.
    return ibis.literal(value, type="float64")


def dated_posts(posts: ir.Table, params: MetricParams) -> ir.Table:
    """Posts with an epoch-seconds column ``ts``, cut at ``as_of`` when given."""
    dated = posts.filter(posts.posted_at.notnull())
    if params.as_of is not None:
        dated = dated.filter(dated.posted_at <= params.as_of)
    return dated.mutate(ts=dated.posted_at.epoch_seconds())


def anchors(dated: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: anchor_ts (window end), last_post_ts and all-time post count in the data."""
    agg = dated.group_by(list(KEY)).agg(last_post_ts=dated.ts.max(), posts_in_data=dated.count())
    if params.as_of is not None:
        fixed = ibis.literal(params.as_of).epoch_seconds()
        return agg.mutate(anchor_ts=fixed)
    return agg.mutate(anchor_ts=agg.last_post_ts)


def window_posts(
    dated: ir.Table, anchor: ir.Table, followers: ir.Table, params: MetricParams
) -> ir.Table:
    """Posts inside each creator's window with per-post engagement and rates.

    ``followers`` has KEY + followers. Columns added: eng, er (by followers), erv (by views),
    rr (reach rate), er_rank (0-based rank of er ascending, NULLs last), er_count (posts with er).
    ``in_window_all`` marks every post of the window span before the latest-N cap (for cadence).
    """
    span = params.window_days * SECONDS_PER_DAY
    joined = dated.join(anchor, list(KEY)).join(followers, list(KEY))
    inside = joined.filter((joined.ts <= joined.anchor_ts) & (joined.ts > joined.anchor_ts - span))
    latest = ibis.window(group_by=list(KEY), order_by=[ibis.desc("ts"), ibis.desc("post_id")])
    ranked = inside.mutate(recency_rank=ibis.row_number().over(latest))
    capped = ranked.filter(ranked.recency_rank < params.window_max_posts)

    # Likes are the bulk of engagement: a post with hidden likes would look like a flop, so it
    # is left out of every rate rather than counted with the likes it did not show.
    eng = (
        capped.likes
        + capped.comments.fill_null(0)
        + capped.shares.fill_null(0)
        + capped.saves.fill_null(0)
    ).cast("float64")
    followers_f = capped.followers.cast("float64")
    has_followers = capped.followers.notnull() & (capped.followers > 0)
    seen = capped.reach.fill_null(capped.views).cast("float64")
    rates = capped.mutate(
        eng=eng,
        er=ibis.ifelse(has_followers, eng / followers_f, ibis.null("float64")),
        erv=ibis.ifelse(capped.views > 0, eng / capped.views.cast("float64"), ibis.null("float64")),
        rr=ibis.ifelse(has_followers, seen / followers_f, ibis.null("float64")),
    )
    by_creator = ibis.window(group_by=list(KEY))
    by_er = ibis.window(group_by=list(KEY), order_by=[rates.er.isnull(), rates.er])
    return rates.mutate(
        er_rank=ibis.row_number().over(by_er),
        er_count=rates.er.count().over(by_creator),
    )


def cadence(dated: ir.Table, anchor: ir.Table, params: MetricParams) -> ir.Table:
    """Posts per week over the whole window span (not capped at the latest N)."""
    span = params.window_days * SECONDS_PER_DAY
    joined = dated.join(anchor, list(KEY))
    inside = joined.filter((joined.ts <= joined.anchor_ts) & (joined.ts > joined.anchor_ts - span))
    weeks = _float(params.window_days / 7)
    return inside.group_by(list(KEY)).agg(posts_per_week=inside.count().cast("float64") / weeks)
