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


# Only these post columns reach the metrics; projecting early keeps captions and other wide
# text out of every sort and join.
_POST_COLUMNS = (
    "platform", "creator_id", "post_id", "posted_at", "likes", "comments", "shares", "saves",
    "views", "reach", "is_sponsored",
)  # fmt: skip


def dated_posts(posts: ir.Table, params: MetricParams) -> ir.Table:
    """The metric columns of dated posts (cut at ``as_of``) with epoch seconds ``ts``."""
    dated = posts.select(*_POST_COLUMNS)
    dated = dated.filter(dated.posted_at.notnull())
    if params.as_of is not None:
        dated = dated.filter(dated.posted_at <= params.as_of)
    return dated.mutate(ts=dated.posted_at.epoch_seconds())


def activity(dated: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: the anchor (window end), the latest post and the posts in the data."""
    agg = dated.group_by(list(KEY)).agg(last_post_ts=dated.ts.max(), posts_in_data=dated.count())
    anchor = (
        ibis.literal(params.as_of).epoch_seconds() if params.as_of is not None else agg.last_post_ts
    )
    return agg.mutate(anchor_ts=anchor)


def window_posts(dated: ir.Table, anchor: ir.Table, params: MetricParams) -> ir.Table:
    """The window's posts with per-post engagement and the ranks the order statistics need.

    Only posts inside the span are sorted. Columns added: posts_in_span (before the latest-N
    cap, for cadence), eng (NULL when likes are hidden), erv (by views), seen (reach, else
    views), eng_rank (0-based rank of eng ascending, NULLs last) and eng_count (posts with eng).
    """
    span = params.window_days * SECONDS_PER_DAY
    joined = dated.join(anchor.select(*KEY, "anchor_ts"), list(KEY))
    inside = joined.filter(joined.ts > joined.anchor_ts - span)
    latest_first = ibis.window(group_by=list(KEY), order_by=[ibis.desc("ts"), ibis.desc("post_id")])
    # one sort serves both: Ibis frames these windows over the whole partition
    inside = inside.mutate(
        recency_rank=ibis.row_number().over(latest_first),
        posts_in_span=inside.count().over(latest_first),
    )
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
