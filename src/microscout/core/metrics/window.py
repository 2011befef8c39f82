"""The engagement window and per-post values.

A creator's window ends at the anchor (``as_of`` when given, else the creator's latest post) and
holds the latest ``window_max_posts`` posts published in the ``window_days`` before it. The cap
never splits an instant: when posts share the timestamp of the last post that fits and not all of
them fit, that timestamp is left out whole (an arbitrary pick among them, say by post id, would
make the window depend on how ids are spelled).

Nothing here sorts the posts. The posts in a span are always a creator's latest ones, so the
window is every post at or after one timestamp per creator, ``first_ts``; it is read from each
creator's sorted list of timestamps in the aggregation that finds the anchor. The window sorts
this replaced cost most of the scoring time (docs/decisions.md).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.core.metrics.params import SECONDS_PER_DAY, MetricParams
from microscout.core.metrics.per_post import engagement, seen

KEY = ("platform", "creator_id")


def _float(value: float) -> ir.FloatingScalar:
    # Spark reads a bare decimal literal as DECIMAL; an explicit float64 keeps both backends alike.
    return ibis.literal(value, type="float64")


def element(values: ir.ArrayValue, index: ir.IntegerValue) -> ir.Value:
    """``values[index]`` (0-based), NULL when out of range: ANSI Spark raises instead."""
    inside = (index >= 0) & (values.length() > index)
    # Spark indexes arrays with a 32-bit integer only
    return ibis.ifelse(inside, values[index.cast("int32")], ibis.null(values.type().value_type))


# Only these post columns reach the metrics; projecting early keeps captions and other wide
# text out of every join.
_POST_COLUMNS = (
    "platform",
    "creator_id",
    "post_id",
    "likes",
    "comments",
    "shares",
    "saves",
    "views",
    "reach",
    "is_sponsored",
)


def whole_seconds(ts: ir.TimestampValue) -> ir.IntegerValue:
    """Seconds since the epoch, the fraction dropped: DuckDB keeps it, Spark does not, and the
    two engines must give the same metrics."""
    return ts.epoch_seconds().floor().cast("int64")


def _dated(posts: ir.Table, params: MetricParams, columns: tuple[str, ...]) -> ir.Table:
    dated = posts.filter(posts.posted_at.notnull())
    if params.as_of is not None:
        dated = dated.filter(dated.posted_at <= params.as_of)
    return dated.select(*columns, ts=whole_seconds(dated.posted_at))


def dated_posts(posts: ir.Table, params: MetricParams) -> ir.Table:
    """The metric columns of dated posts (cut at ``as_of``) with epoch seconds ``ts``."""
    return _dated(posts, params, _POST_COLUMNS)


def count_below(ascending: ir.ArrayValue, value: ir.IntegerValue) -> ir.IntegerValue:
    """How many elements of a sorted integer list are below ``value``.

    Written without a lambda (DuckDB 2 rejects the arrow lambdas Ibis emits): inserted into the
    list, ``value`` first appears right after the smaller elements.
    """
    return ascending.concat(ibis.array([value])).sort().index(value)


def activity(posts: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: the anchor, the latest post, post counts and where the window starts.

    Columns: last_post_ts, posts_in_data, anchor_ts, first_ts (the window is every post from
    first_ts to the anchor) and posts_in_span (posts in the span before the cap, for cadence;
    NULL where the cap does not bind, as the window then holds the whole span).
    """
    # Its own projection of the posts, not dated_posts: a shared one would be materialised.
    dated = _dated(posts, params, KEY)
    n = params.window_max_posts
    agg = dated.group_by(list(KEY)).agg(
        last_post_ts=dated.ts.max(), posts_in_data=dated.count(), times=dated.ts.collect()
    )
    anchor = (
        whole_seconds(ibis.literal(params.as_of)) if params.as_of is not None else agg.last_post_ts
    )
    over = agg.posts_in_data - n  # where the N-th latest post sits in the ascending list
    # Sorting a list costs about a microsecond; only creators with more than N posts need it.
    steps = agg.mutate(
        anchor_ts=anchor,
        span_first=anchor - params.window_days * SECONDS_PER_DAY + 1,
        times=ibis.ifelse(over > 0, agg.times.sort(), ibis.null(agg.times.type())),
        over=over,
    )
    cut = element(steps.times, steps.over)
    binds = cut.notnull() & (cut >= steps.span_first)
    # When posts before the cut share its timestamp, the cap cannot hold that instant whole.
    # ``index`` finds the first of them: the list is sorted and holds the cut.
    cap_first = ibis.ifelse(steps.times.index(cut) < steps.over, cut + 1, cut)
    return steps.select(
        *KEY,
        "last_post_ts",
        "posts_in_data",
        "anchor_ts",
        first_ts=ibis.ifelse(binds, cap_first, steps.span_first),
        posts_in_span=ibis.ifelse(
            binds,
            steps.posts_in_data - count_below(steps.times, steps.span_first),
            ibis.null("int64"),
        ),
    )


def window_posts(dated: ir.Table, anchor: ir.Table) -> ir.Table:
    """The window's posts with per-post engagement.

    Columns added: eng (NULL when likes are hidden), erv (by views) and seen (reach, else views),
    as core.metrics.per_post defines them.
    """
    joined = dated.join(anchor.select(*KEY, "first_ts"), list(KEY))
    kept = joined.filter(joined.ts >= joined.first_ts).drop("first_ts")
    eng = engagement(kept)
    return kept.mutate(
        eng=eng,
        erv=ibis.ifelse(kept.views > 0, eng / kept.views.cast("float64"), ibis.null("float64")),
        seen=seen(kept),
    )
