"""Per-creator aggregates over the window posts: engagement, reach, ratios, sponsored vs organic.

Aggregates are taken over per-post *counts* (engagement, reach) and divided by followers
afterwards: for one creator followers are a constant, so median(eng)/followers equals
median(eng/followers), and the order statistics of the CI are the same posts.
"""

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


def _masked(condition: ir.BooleanValue, value: ir.FloatingValue) -> ir.FloatingValue:
    # A conditional median is written as the median of a masked column: Spark cannot compile
    # a filtered percentile.
    return ibis.ifelse(condition, value, ibis.null("float64"))


def engagement(window: ir.Table, params: MetricParams) -> ir.Table:
    """Counts-level aggregates per creator; ``rates`` turns them into rates by followers."""
    n = window.eng_count
    lower = _ci_rank(n, params)
    both = window.likes.notnull() & window.comments.notnull()
    shared = window.shares.notnull() & (window.views > 0)
    sponsored = window.is_sponsored.fill_null(False)
    agg = window.group_by(list(KEY)).agg(
        n_posts_window=window.count(),
        posts_in_span=window.posts_in_span.max(),
        # the median from the ranks already computed: the middle one or two values
        eng_mid_low=window.eng.max(where=window.eng_rank == (n - 1) // 2),
        eng_mid_high=window.eng.max(where=window.eng_rank == n // 2),
        eng_mean=window.eng.mean(),
        eng_std=window.eng.std(how="sample"),
        eng_ci_low=window.eng.max(where=window.eng_rank == lower),
        eng_ci_high=window.eng.max(where=window.eng_rank == n - 1 - lower),
        eng_n=window.eng.count(),
        erv_median=window.erv.median(),
        erv_n=window.erv.count(),
        seen_median=window.seen.median(),
        seen_n=window.seen.count(),
        comments_sum=window.comments.sum(where=both),
        likes_sum=window.likes.sum(where=both),
        shares_sum=window.shares.sum(where=shared),
        views_sum=window.views.sum(where=shared),
        sponsored_eng_median=_masked(sponsored, window.eng).median(),
        sponsored_n=window.eng.count(where=sponsored),
        organic_eng_median=_masked(~sponsored, window.eng).median(),
        organic_n=window.eng.count(where=~sponsored),
    )
    return agg.mutate(
        comment_like_ratio=_ratio(agg.comments_sum, agg.likes_sum),
        share_rate=_ratio(agg.shares_sum, agg.views_sum),
        engagement_cv=ibis.ifelse(
            (agg.eng_n >= 2) & (agg.eng_mean > 0), agg.eng_std / agg.eng_mean, ibis.null("float64")
        ),
    ).drop("comments_sum", "likes_sum", "shares_sum", "views_sum", "eng_std")


def rates(t: ir.Table) -> dict[str, ir.Value]:
    """Rates by followers from ``engagement``'s counts; NULL when followers are 0 or unknown."""
    known = t.followers.notnull() & (t.followers > 0)
    followers = t.followers.cast("float64")

    def per_follower(value: ir.FloatingValue) -> ir.FloatingValue:
        return ibis.ifelse(known, value / followers, ibis.null("float64"))

    def counted(n: ir.IntegerValue) -> ir.IntegerValue:
        return ibis.ifelse(known | n.isnull(), n, ibis.literal(0, type="int64"))

    return {
        "er_median": per_follower((t.eng_mid_low + t.eng_mid_high) / 2),
        "er_mean": per_follower(t.eng_mean),
        "er_ci_low": per_follower(t.eng_ci_low),
        "er_ci_high": per_follower(t.eng_ci_high),
        "er_n": counted(t.eng_n),
        "reach_rate": per_follower(t.seen_median),
        "reach_n": counted(t.seen_n),
        "sponsored_er_median": per_follower(t.sponsored_eng_median),
        "sponsored_n": counted(t.sponsored_n),
        "organic_er_median": per_follower(t.organic_eng_median),
        "organic_n": counted(t.organic_n),
        "sponsored_vs_organic": ibis.ifelse(
            t.organic_eng_median > 0,
            t.sponsored_eng_median / t.organic_eng_median,
            ibis.null("float64"),
        ),
    }


def _ratio(top: ir.IntegerValue, bottom: ir.IntegerValue) -> ir.FloatingValue:
    return ibis.ifelse(
        bottom > 0, top.cast("float64") / bottom.cast("float64"), ibis.null("float64")
    )


def replies(window: ir.Table, comments: ir.Table) -> ir.Table:
    """Creator reply rate: replies by the creator / audience comments, over window posts."""
    # the creator comes from the post: a comment sample need not name the post's owner
    posts = window.select("platform", "post_id", "creator_id")
    sample = comments.select("platform", "post_id", "is_reply_by_creator").join(
        posts, ["platform", "post_id"]
    )
    by_creator = sample.is_reply_by_creator.fill_null(False)
    agg = sample.group_by(list(KEY)).agg(
        reply_n=sample.count(where=~by_creator),
        replies=sample.count(where=by_creator),
    )
    rate = agg.replies.cast("float64") / agg.reply_n.cast("float64")
    return agg.mutate(
        reply_rate=ibis.ifelse(agg.reply_n > 0, ibis.least(rate, 1.0), ibis.null("float64"))
    ).drop("replies")
