"""Compose every metric into one row per creator, with a reason for each NULL."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.confidence import min_posts_for_ci
from microscout.core.metrics.engagement import engagement, rates, with_comment_counts
from microscout.core.metrics.growth import growth
from microscout.core.metrics.params import SECONDS_PER_DAY, MetricParams
from microscout.core.metrics.tiers import tier_of
from microscout.core.metrics.window import (
    KEY,
    _float,
    activity,
    dated_posts,
    whole_seconds,
    window_posts,
)
from microscout.core.schema import CREATOR_SCORES, ENRICHED_SCORES


@dataclass(frozen=True)
class CanonicalTables:
    """The canonical tables as Ibis expressions on one backend."""

    creators: ir.Table
    posts: ir.Table
    comments: ir.Table
    follower_snapshots: ir.Table


def creator_scores(tables: CanonicalTables, params: MetricParams, run_id: str) -> ir.Table:
    """Every creator's metrics (schema ``creator_scores``); see docs/metrics.md for formulas."""
    creators = tables.creators.select(*KEY, "handle", "followers")
    anchor = activity(tables.posts, params)
    window = window_posts(dated_posts(tables.posts, params), anchor)
    window = with_comment_counts(window, tables.comments)

    out = creators
    for part in (
        anchor,
        engagement(window, params),
        growth(tables.follower_snapshots, params),
    ):
        extra = [c for c in part.columns if c not in KEY]
        out = out.left_join(part, list(KEY)).select(out, *(part[c] for c in extra))

    reference = (
        whole_seconds(ibis.literal(params.as_of))
        if params.as_of is not None
        else whole_seconds(tables.posts.posted_at.max()).as_scalar()
    )
    has_posts = out.posts_in_data.notnull()
    out = out.mutate(**rates(out))
    out = out.mutate(
        tier=tier_of(out.followers, params),
        anchor_at=out.anchor_ts.as_timestamp("s"),
        window_start=(out.anchor_ts - params.window_days * SECONDS_PER_DAY).as_timestamp("s"),
        n_posts_window=ibis.ifelse(has_posts, out.n_posts_window.fill_null(0), ibis.null("int64")),
        posts_per_week=ibis.ifelse(
            has_posts,
            # NULL where the cap did not bind: the window then holds the whole span
            out.posts_in_span.fill_null(out.n_posts_window).fill_null(0).cast("float64")
            / _float(params.window_days / 7),
            ibis.null("float64"),
        ),
        days_since_last_post=(reference - out.last_post_ts).cast("float64")
        / _float(SECONDS_PER_DAY),
        passes_reach_gate=out.reach_rate >= _float(params.reach_gate),
        run_id=ibis.literal(run_id),
    )
    out = out.mutate(
        null_reasons=_null_reasons(out, params),
        # later scoring stages fill these; the SQL metrics leave them typed NULL
        **{c.name: ibis.null(c.dtype) for c in ENRICHED_SCORES},
    )
    return out.select(*CREATOR_SCORES.names)


_REASON_SEPARATOR = "\x1f"  # ASCII unit separator


def _null_reasons(t: ir.Table, params: MetricParams) -> ir.ArrayValue:
    """'metric: why' for every NULL metric, so a missing number is never a silent blank."""
    no_posts = t.posts_in_data.isnull()
    empty_window = t.n_posts_window == 0
    followers_unknown = t.followers.isnull()
    followers_zero = t.followers == 0

    def posts_reason(specific: str) -> ir.StringValue:
        return ibis.cases(
            (no_posts, "no posts in the data"),
            (empty_window, f"no posts in the {params.window_days} days before the anchor"),
            else_=specific,
        )

    def follower_reason(specific: str) -> ir.StringValue:
        return ibis.cases(
            (followers_unknown, "followers unknown"),
            (followers_zero, "followers is 0"),
            else_=posts_reason(specific),
        )

    min_ci = min_posts_for_ci(params.ci_confidence)
    snaps_none = t.snapshots_n.isnull()
    reasons: list[tuple[str, ir.Value, ir.StringValue]] = [
        ("tier", t.tier, ibis.literal("followers unknown")),
        ("er_median", t.er_median, follower_reason("likes hidden on every window post")),
        (
            "er_ci",
            t.er_ci_low,
            ibis.ifelse(
                t.er_median.notnull(),
                f"fewer than {min_ci} posts for a {params.ci_confidence:.0%} interval",
                follower_reason("likes hidden on every window post"),
            ),
        ),
        ("erv_median", t.erv_median, posts_reason("no views on window posts")),
        ("reach_rate", t.reach_rate, follower_reason("no reach or views on window posts")),
        (
            "comment_like_ratio",
            t.comment_like_ratio,
            posts_reason("no window post with both likes and comments (or 0 likes)"),
        ),
        ("share_rate", t.share_rate, posts_reason("no window post with both shares and views")),
        ("reply_rate", t.reply_rate, posts_reason("no comment sample on window posts")),
        ("posts_per_week", t.posts_per_week, ibis.literal("no posts in the data")),
        (
            "engagement_cv",
            t.engagement_cv,
            posts_reason("fewer than 2 posts with an engagement rate"),
        ),
        (
            "growth_30d",
            t.growth_30d,
            ibis.ifelse(
                snaps_none, "no follower snapshots", "no snapshot 30+ days before the last"
            ),
        ),
        (
            "growth_90d",
            t.growth_90d,
            ibis.ifelse(
                snaps_none, "no follower snapshots", "no snapshot 90+ days before the last"
            ),
        ),
        (
            "spike",
            t.spike_flag,
            ibis.ifelse(snaps_none, "no follower snapshots", "fewer than 3 follower snapshots"),
        ),
        (
            "sponsored_er_median",
            t.sponsored_er_median,
            posts_reason("no sponsored window post with an engagement rate"),
        ),
        (
            "organic_er_median",
            t.organic_er_median,
            posts_reason("no organic window post with an engagement rate"),
        ),
    ]
    parts = [
        ibis.ifelse(value.isnull(), ibis.literal(f"{name}: ").concat(why), ibis.null("string"))
        for name, value, why in reasons
    ]
    # Joining skips the NULL parts and splitting makes the list: it runs on DuckDB and Spark
    # alike, where a list filter would need a lambda. The separator never occurs in a reason.
    joined = ibis.literal(_REASON_SEPARATOR).join(parts)
    return ibis.ifelse(
        joined == "", ibis.literal([], type="array<string>"), joined.split(_REASON_SEPARATOR)
    )
