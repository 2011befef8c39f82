"""The engagement window and per-post values.

A creator's window ends at the anchor (``as_of`` when given, else the creator's latest post) and
holds the latest ``window_max_posts`` posts published in the ``window_days`` before it.

Posts are sorted once, and only those inside the span. Rates are divided by followers only after
aggregation (followers are constant per creator), which keeps a join against the creators table
off the per-post path.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.params import SECONDS_PER_DAY, MetricParams

KEY = ("platform", "creator_id")


def _float(value: float) -> ir.FloatingScalar:
    # Spark reads a bare decimal literal as DECIMAL; an explicit float64 keeps both backends alike.
    return ibis.literal(value, type="float64")


def ranked_posts(posts: ir.Table, params: MetricParams) -> ir.Table:
    """Dated posts (cut at ``as_of``) with ts, anchor_ts, in_span, and recency_rank in the span.

    The anchor comes from a small per-creator aggregate joined back, so the one sort (for the
    recency rank) only sees posts inside the span — on real data most posts are older.
    """
    dated = posts.filter(posts.posted_at.notnull())
    if params.as_of is not None:
        dated = dated.filter(dated.posted_at <= params.as_of)
    dated = dated.mutate(ts=dated.posted_at.epoch_seconds())
    if params.as_of is not None:
        with_anchor = dated.mutate(anchor_ts=ibis.literal(params.as_of).epoch_seconds())
    else:
        latest = dated.group_by(list(KEY)).agg(anchor_ts=dated.ts.max())
        with_anchor = dated.join(latest, list(KEY))
    span = params.window_days * SECONDS_PER_DAY
    return with_anchor.mutate(in_span=with_anchor.ts > with_anchor.anchor_ts - span)


def activity(ranked: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: anchor, latest post, posts in the data and posts per week over the span."""
    weeks = _float(params.window_days / 7)
    agg = ranked.group_by(list(KEY)).agg(
        anchor_ts=ranked.anchor_ts.max(),
        last_post_ts=ranked.ts.max(),
        posts_in_data=ranked.count(),
        posts_in_span=ranked.count(where=ranked.in_span),
    )
    return agg.mutate(posts_per_week=agg.posts_in_span.cast("float64") / weeks).drop(
        "posts_in_span"
    )


def window_posts(ranked: ir.Table, params: MetricParams) -> ir.Table:
    """The window's posts with per-post engagement and the ranks the order statistics need.

    Columns added: eng (NULL when likes are hidden), erv (by views), seen (reach, else views),
    eng_rank (0-based rank of eng ascending, NULLs last) and eng_count (posts with eng).
    """
    inside = ranked.filter(ranked.in_span)
    latest_first = ibis.window(group_by=list(KEY), order_by=[ibis.desc("ts"), ibis.desc("post_id")])
    inside = inside.mutate(recency_rank=ibis.row_number().over(latest_first))
    capped = inside.filter(inside.recency_rank < params.window_max_posts)
    # Likes are the bulk of engagement: a post with hidden likes would look like a flop, so it
    # is left out of every rate rather than counted with the likes it did not show.
    eng = (
        capped.likes
        + capped.comments.fill_null(0)
        + capped.shares.fill_null(0)
        + capped.saves.fill_null(0)
    ).cast("float64")
    rates = capped.mutate(
        eng=eng,
        erv=ibis.ifelse(capped.views > 0, eng / capped.views.cast("float64"), ibis.null("float64")),
        seen=capped.reach.fill_null(capped.views).cast("float64"),
    )
    # Ibis orders NULLs last on every backend, so posts with hidden likes rank after the rest.
    by_eng = ibis.window(group_by=list(KEY), order_by=[rates.eng])
    return rates.mutate(
        eng_rank=ibis.row_number().over(by_eng),
        eng_count=rates.eng.count().over(by_eng),
    )
