"""Per-creator aggregates over the window posts: engagement, reach, ratios, sponsored vs organic."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.confidence import median_ci_ranks
from microscout.core.metrics.params import MetricParams
from microscout.core.metrics.window import KEY


def _ci_rank(n: ir.IntegerValue, params: MetricParams) -> ir.IntegerValue:
    """0-based rank of the CI's lower bound for a sample of n, NULL when n is too small."""
    ranks = median_ci_ranks(params.window_max_posts, params.ci_confidence)
    if not ranks:
        return ibis.null("int64")
    return ibis.cases(*((n == size, j - 1) for size, j in ranks.items()), else_=ibis.null("int64"))


def engagement(window: ir.Table, params: MetricParams) -> ir.Table:
    """Engagement by followers (median, mean, CI), by views, reach rate and ratios per creator."""
    lower = _ci_rank(window.er_count, params)
    upper = window.er_count - 1 - lower
    both = window.likes.notnull() & window.comments.notnull()
    shared = window.shares.notnull() & (window.views > 0)
    sponsored = window.is_sponsored.fill_null(False)
    agg = window.group_by(list(KEY)).agg(
        n_posts_window=window.count(),
        er_median=window.er.median(),
        er_mean=window.er.mean(),
        er_std=window.er.std(how="sample"),
        er_ci_low=window.er.max(where=window.er_rank == lower),
        er_ci_high=window.er.max(where=window.er_rank == upper),
        er_n=window.er.count(),
        erv_median=window.erv.median(),
        erv_n=window.erv.count(),
        reach_rate=window.rr.median(),
        reach_n=window.rr.count(),
        comments_sum=window.comments.sum(where=both),
        likes_sum=window.likes.sum(where=both),
        shares_sum=window.shares.sum(where=shared),
        views_sum=window.views.sum(where=shared),
        # A conditional median is written as the median of a masked column: Spark cannot
        # compile a filtered percentile.
        sponsored_er_median=ibis.ifelse(sponsored, window.er, ibis.null("float64")).median(),
        sponsored_n=window.er.count(where=sponsored),
        organic_er_median=ibis.ifelse(~sponsored, window.er, ibis.null("float64")).median(),
        organic_n=window.er.count(where=~sponsored),
    )
    return agg.mutate(
        comment_like_ratio=ibis.ifelse(
            agg.likes_sum > 0,
            agg.comments_sum.cast("float64") / agg.likes_sum.cast("float64"),
            ibis.null("float64"),
        ),
        share_rate=ibis.ifelse(
            agg.views_sum > 0,
            agg.shares_sum.cast("float64") / agg.views_sum.cast("float64"),
            ibis.null("float64"),
        ),
        engagement_cv=ibis.ifelse(
            (agg.er_n >= 2) & (agg.er_mean > 0), agg.er_std / agg.er_mean, ibis.null("float64")
        ),
        sponsored_vs_organic=ibis.ifelse(
            agg.organic_er_median > 0,
            agg.sponsored_er_median / agg.organic_er_median,
            ibis.null("float64"),
        ),
    ).drop("comments_sum", "likes_sum", "shares_sum", "views_sum", "er_std")


def replies(window: ir.Table, comments: ir.Table) -> ir.Table:
    """Creator reply rate: replies by the creator / audience comments, over window posts."""
    posts = window.select("platform", "post_id")
    sample = comments.join(posts, ["platform", "post_id"])
    by_creator = sample.is_reply_by_creator.fill_null(False)
    agg = sample.group_by(list(KEY)).agg(
        reply_n=sample.count(where=~by_creator),
        replies=sample.count(where=by_creator),
    )
    rate = agg.replies.cast("float64") / agg.reply_n.cast("float64")
    return agg.mutate(
        reply_rate=ibis.ifelse(agg.reply_n > 0, ibis.least(rate, 1.0), ibis.null("float64"))
    ).drop("replies")
