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
from microscout.core.metrics.per_post import per_follower
from microscout.core.metrics.window import KEY, element


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
    both = window.likes.notnull() & window.comments.notnull()
    shared = window.shares.notnull() & (window.views > 0)
    sponsored = window.is_sponsored.fill_null(False)
    agg = window.group_by(list(KEY)).agg(
        n_posts_window=window.count(),
        # at most window_max_posts values: the median and its interval are read from the list
        eng_sorted=window.eng.collect().sort(),
        eng_n=window.eng.count(),
        eng_mean=window.eng.mean(),
        eng_std=window.eng.std(how="sample"),
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
        reply_n=window.audience_comments.sum(),
        replies=window.creator_replies.sum(),
    )
    values = agg.eng_sorted
    n = agg.eng_n
    lower = _ci_rank(n, params)
    return agg.mutate(
        eng_mid_low=element(values, (n - 1) // 2),
        eng_mid_high=element(values, n // 2),
        eng_ci_low=element(values, lower),
        eng_ci_high=element(values, n - 1 - lower),
        comment_like_ratio=_ratio(agg.comments_sum, agg.likes_sum),
        share_rate=_ratio(agg.shares_sum, agg.views_sum),
        reply_rate=reply_rate(agg.reply_n, agg.replies),
        engagement_cv=ibis.ifelse(
            (n >= 2) & (agg.eng_mean > 0), agg.eng_std / agg.eng_mean, ibis.null("float64")
        ),
    ).drop(
        "comments_sum", "likes_sum", "shares_sum", "views_sum", "eng_std", "eng_sorted", "replies"
    )


def rates(t: ir.Table) -> dict[str, ir.Value]:
    """Rates by followers from ``engagement``'s counts; NULL when followers are 0 or unknown."""
    known = t.followers.notnull() & (t.followers > 0)

    def by_followers(value: ir.FloatingValue) -> ir.FloatingValue:
        return per_follower(value, t.followers)

    def counted(n: ir.IntegerValue) -> ir.IntegerValue:
        return ibis.ifelse(known | n.isnull(), n, ibis.literal(0, type="int64"))

    return {
        "er_median": by_followers((t.eng_mid_low + t.eng_mid_high) / 2),
        "er_mean": by_followers(t.eng_mean),
        "er_ci_low": by_followers(t.eng_ci_low),
        "er_ci_high": by_followers(t.eng_ci_high),
        "er_n": counted(t.eng_n),
        "reach_rate": by_followers(t.seen_median),
        "reach_n": counted(t.seen_n),
        "sponsored_er_median": by_followers(t.sponsored_eng_median),
        "sponsored_n": counted(t.sponsored_n),
        "organic_er_median": by_followers(t.organic_eng_median),
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


def with_comment_counts(window: ir.Table, comments: ir.Table) -> ir.Table:
    """Window posts with their sampled comments counted: audience_comments, creator_replies.

    The creator is the post's: a comment sample need not name the post's owner. Posts without a
    sample get NULLs, so a creator with no sample at all gets no reply rate rather than 0.
    """
    by_creator = comments.is_reply_by_creator.fill_null(False)
    counts = comments.group_by("platform", "post_id").agg(
        audience_comments=comments.count(where=~by_creator),
        creator_replies=comments.count(where=by_creator),
    )
    return window.left_join(counts, ["platform", "post_id"]).select(
        window, counts.audience_comments, counts.creator_replies
    )


def reply_rate(audience: ir.IntegerValue, replies: ir.IntegerValue) -> ir.FloatingValue:
    """Creator replies per audience comment, capped at 1; NULL without audience comments."""
    rate = replies.cast("float64") / audience.cast("float64")
    return ibis.ifelse(audience > 0, ibis.least(rate, 1.0), ibis.null("float64"))
