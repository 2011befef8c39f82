"""Chart specs for a creator's profile, the compare page and a plan (docs/charts.md).

Each builder reads what it needs from the warehouse and returns a pure
:class:`~microscout.core.charts.Chart`; ``microscout.adapters.render.charts`` draws it for the
browser (Plotly) or a report (PNG). Per-post values follow docs/metrics.md; the engagement window
and the follower spike are the ones the latest scoring run recorded in ``creator_scores`` (computed
by ``core.metrics``), so a chart never disagrees with the score it illustrates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any, TypedDict

from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.views import CreatorView
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.charts import (
    creator_handle_followers,
    creator_niche_rows,
    follower_points,
    latest_dated_posts,
    latest_run_as_of,
    score_columns,
)
from microscout.config import Settings
from microscout.core.charts import (
    MAX_POSTS_FACTOR,
    AxisKind,
    Band,
    Chart,
    ReferenceLine,
    Series,
    ValueFormat,
    empty_chart,
    format_value,
    median,
)
from microscout.core.metrics import MetricParams
from microscout.core.metrics.growth import weekly_gain_of
from microscout.core.metrics.per_post import (
    post_engagement,
    post_seen,
    rate_by_followers,
    seen_source,
)
from microscout.errors import NotFoundError
from microscout.services.charts.results import frontier_chart, overlap_chart
from microscout.services.scoring.run import metric_params

NICHE_BARS = 8
SPIKE_RULE = (
    "spike: the largest weekly gain when ≥ {ratio:g}× the median weekly gain and ≥ {share:.0%} "
    "of the followers before it"
)


class _Axes(TypedDict):
    x_label: str
    y_label: str
    x_kind: AxisKind
    y_format: ValueFormat


def chart_params(warehouse: Warehouse, settings: Settings) -> MetricParams:
    """The metric parameters of the settings, anchored like the latest scoring run."""
    return metric_params(settings, latest_run_as_of(warehouse))


def _creator(warehouse: Warehouse, platform: str, creator_id: str) -> dict[str, Any]:
    found = creator_handle_followers(warehouse, platform, creator_id)
    if found is None:
        raise NotFoundError(f"no creator {creator_id} on {platform}")
    return found


_SCORE_COLUMNS = (
    "anchor_at",
    "window_start",
    "n_posts_window",
    "spike_flag",
    "spike_date",
    "spike_ratio",
    "growth_30d",
)


def _post_rows(
    newest_first: list[dict[str, Any]], scores: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    """The creator's latest dated posts (oldest first), the ids in the scoring window, the anchor.

    The window is the one the latest scoring run recorded (``anchor_at``, ``window_start``,
    ``n_posts_window``; core.metrics.window defines it): the latest ``n_posts_window`` posts after
    ``window_start`` up to ``anchor_at``. The cap never splits an instant, so those are exactly
    the posts behind the stored figures whatever order ties take here. Like the metrics, it
    reads posting times to the whole second (``core.metrics.window.whole_seconds``).
    """
    rows = list(newest_first)
    anchor_at = scores.get("anchor_at") if scores else None
    start = scores.get("window_start") if scores else None
    in_window: set[str] = set()
    if anchor_at is not None and start is not None:
        inside = [
            str(r["post_id"])
            for r in rows
            if start < r["posted_at"].replace(microsecond=0) <= anchor_at
        ]
        in_window = set(inside[: int(scores.get("n_posts_window") or 0)] if scores else ())
    rows.reverse()  # oldest first, the way a time axis reads
    return rows, in_window, anchor_at


@dataclass
class CreatorReads:
    """What several charts of one creator read, fetched once per page and shared; a caller that
    already holds the creator row or its creator_scores row passes them in, and a caller with
    the creator's current view (``services/browse/views.py``) reads everything from it."""

    warehouse: Warehouse
    settings: Settings
    platform: str
    creator_id: str
    known_creator: dict[str, Any] | None = None
    known_scores: dict[str, Any] | None = None
    view: CreatorView | None = None

    @cached_property
    def params(self) -> MetricParams:
        if self.view is not None:
            return metric_params(self.settings, self.view.as_of)
        return chart_params(self.warehouse, self.settings)

    @cached_property
    def creator(self) -> dict[str, Any]:
        if self.known_creator is not None:
            return self.known_creator
        return _creator(self.warehouse, self.platform, self.creator_id)

    @cached_property
    def scores(self) -> dict[str, Any] | None:
        if self.known_scores is not None:
            return self.known_scores
        return score_columns(self.warehouse, self.platform, self.creator_id, _SCORE_COLUMNS)

    @cached_property
    def posts(self) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
        if self.view is not None:
            return _post_rows(self.view.dated, self.scores)
        limit = MAX_POSTS_FACTOR * self.params.window_max_posts
        rows = latest_dated_posts(
            self.warehouse, self.platform, self.creator_id, self.params.as_of, limit
        )
        return _post_rows(rows, self.scores)

    @cached_property
    def followers(self) -> list[dict[str, Any]]:
        """Follower snapshots up to the run's ``as_of`` (snapshot_date, followers), oldest first."""
        if self.view is not None:
            return self.view.followers
        as_of = self.params.as_of
        return follower_points(
            self.warehouse, self.platform, self.creator_id, None if as_of is None else as_of.date()
        )

    @cached_property
    def niches(self) -> list[dict[str, Any]]:
        """The niche mix the niche stage stored, by rank."""
        if self.view is not None:
            return self.view.niches
        return creator_niche_rows(self.warehouse, self.platform, self.creator_id)


def _window_text(params: MetricParams, anchor_at: datetime | None) -> str:
    end = f"{anchor_at:%Y-%m-%d}" if anchor_at else "the latest post"
    return (
        f"window: latest {params.window_max_posts} posts in the {params.window_days} days to {end}"
    )


def _count(value: Any) -> str:
    return "—" if value is None else f"{value:,}"


def _per_post_frame(
    reads: CreatorReads, chart_id: str, rate: str
) -> tuple[str, _Axes, Chart | None]:
    """Title and axes of a per-post rate chart, and the empty chart when followers are unknown
    or 0 (a rate by followers needs them)."""
    title = f"{rate} per post — @{reads.creator['handle']}"
    labels: _Axes = {
        "x_label": "posted (UTC date)",
        "y_label": f"{rate.lower()} (% of followers)",
        "x_kind": "date",
        "y_format": "percent",
    }
    followers = reads.creator["followers"]
    if followers:
        return title, labels, None
    why = "followers unknown" if followers is None else "followers is 0"
    return title, labels, empty_chart(chart_id, title, f"No {rate.lower()}: {why}.", **labels)


@dataclass
class _PostPoints:
    """One per-post series being built: time, rate, hover text and whether each post lies
    outside the scoring window (drawn hollow)."""

    x: list[str] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    outside: list[bool] = field(default_factory=list)

    def add(self, posted: str, rate: float, text: str, inside: bool) -> None:
        """One post: ``posted`` its time in ISO 8601, ``text`` its hover line."""
        self.x.append(posted)
        self.y.append(rate)
        self.outside.append(not inside)
        self.hover.append(text + ("" if inside else " · outside the scoring window"))

    def series(self, name: str, highlight_label: str, symbol: str = "circle") -> Series:
        return Series(
            name,
            tuple(self.x),
            tuple(self.y),
            hover=tuple(self.hover),
            highlight=tuple(self.outside),
            highlight_label=highlight_label,
            highlight_style="muted",
            symbol=symbol,
        )


def _no_points(
    chart_id: str, title: str, rows: list[dict[str, Any]], why: str, labels: _Axes
) -> Chart:
    """The empty per-post chart: no dated posts at all, or ``why`` none of them has a value."""
    reason = "No dated posts in the data." if not rows else why
    return empty_chart(chart_id, title, reason, **labels)


def engagement_chart(
    warehouse: Warehouse,
    settings: Settings,
    platform: str,
    creator_id: str,
    reads: CreatorReads | None = None,
) -> Chart:
    """Engagement rate by followers per post over time, window posts apart, median line."""
    reads = reads or CreatorReads(warehouse, settings, platform, creator_id)
    params, creator = reads.params, reads.creator
    title, labels, empty = _per_post_frame(reads, "engagement", "Engagement rate")
    if empty is not None:
        return empty
    followers = creator["followers"]
    rows, in_window, anchor_at = reads.posts
    rated = [(r, rate_by_followers(post_engagement(r), followers)) for r in rows]
    visible = [(r, rate) for r, rate in rated if rate is not None]
    if not visible:
        why = f"Likes are hidden on all {len(rows)} posts shown, so no engagement rate."
        return _no_points("engagement", title, rows, why, labels)
    points = _PostPoints()
    # Formatted once, not per point: a profile page draws some 120 points.
    by_followers = f" / {followers:,} followers = "
    for r, rate in visible:
        posted = r["posted_at"].isoformat()
        text = (
            f"{posted[:10]}: ({_count(r['likes'])} likes + {_count(r['comments'])} "
            f"comments + {_count(r['shares'])} shares + {_count(r['saves'])} saves)"
            f"{by_followers}{format_value(rate, 'percent')}"
        )
        points.add(posted, rate, text, str(r["post_id"]) in in_window)
    outside = points.outside
    window_rates = [v for v, out in zip(points.y, outside, strict=True) if not out]
    mid = median(window_rates)
    hidden = len(rows) - len(visible)
    subtitle = (
        f"ER = (likes + comments + shares + saves) / {followers:,} followers · "
        f"{_window_text(params, anchor_at)} (n = {len(window_rates)} posts)"
        + (f" · {sum(outside)} older posts hollow" if any(outside) else "")
        + (f" · {hidden} posts with hidden likes left out" if hidden else "")
    )
    lines: tuple[ReferenceLine, ...] = ()
    if mid is not None:
        lines = (
            ReferenceLine(
                "y", mid, f"median ER {format_value(mid, 'percent')} (n = {len(window_rates)})"
            ),
        )
    series = points.series("posts in the scoring window", "outside the scoring window")
    return Chart(
        id="engagement",
        title=title,
        subtitle=subtitle,
        kind="scatter",
        series=(series,),
        reference_lines=lines,
        y_zero=True,
        **labels,
    )


def reach_chart(
    warehouse: Warehouse,
    settings: Settings,
    platform: str,
    creator_id: str,
    reads: CreatorReads | None = None,
) -> Chart:
    """Reach rate per post (reach, else views, / followers) with the reach-gate line."""
    reads = reads or CreatorReads(warehouse, settings, platform, creator_id)
    params, creator = reads.params, reads.creator
    title, labels, empty = _per_post_frame(reads, "reach", "Reach rate")
    if empty is not None:
        return empty
    followers = creator["followers"]
    rows, in_window, anchor_at = reads.posts
    groups = {"reach": _PostPoints(), "views": _PostPoints()}
    window_rates = []
    by_followers = f" / {followers:,} followers = "
    for r in rows:
        source = seen_source(r)
        rate = rate_by_followers(post_seen(r), followers)
        if source is None or rate is None:
            continue
        inside = str(r["post_id"]) in in_window
        if inside:
            window_rates.append(rate)
        posted = r["posted_at"].isoformat()
        text = f"{posted[:10]}: {source} {r[source]:,}{by_followers}{format_value(rate, 'percent')}"
        groups[source].add(posted, rate, text, inside)
    if not groups["reach"].x and not groups["views"].x:
        why = f"None of the {len(rows)} posts shown has reach (owner insights) or views."
        return _no_points("reach", title, rows, why, labels)
    series = [
        groups[source].series(name, f"{source}: outside the scoring window", symbol)
        for source, name, symbol in (
            ("reach", "reach (owner insights)", "circle"),
            ("views", "views (no reach shared)", "square"),
        )
        if groups[source].x
    ]
    mid = median(window_rates)
    gate = params.reach_gate
    lines = [ReferenceLine("y", gate, f"reach gate {format_value(gate, 'percent')}")]
    if mid is not None:
        verdict = "passes" if mid >= gate else "fails"
        lines.append(
            ReferenceLine(
                "y",
                mid,
                f"median {format_value(mid, 'percent')} (n = {len(window_rates)}): {verdict}",
            )
        )
    subtitle = (
        f"reach rate = (reach, else views) / {followers:,} followers · "
        f"{_window_text(params, anchor_at)} (n = {len(window_rates)} posts with reach or views)"
        f" · gate: median ≥ {format_value(gate, 'percent')}"
    )
    return Chart(
        id="reach",
        title=title,
        subtitle=subtitle,
        kind="scatter",
        series=tuple(series),
        reference_lines=tuple(lines),
        y_zero=True,
        **labels,
    )


def growth_chart(
    warehouse: Warehouse,
    settings: Settings,
    platform: str,
    creator_id: str,
    reads: CreatorReads | None = None,
) -> Chart:
    """Followers over time from the snapshots, the flagged spike marked, the micro band shaded."""
    reads = reads or CreatorReads(warehouse, settings, platform, creator_id)
    params, creator = reads.params, reads.creator
    title = f"Follower growth — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "snapshot date",
        "y_label": "followers (accounts)",
        "x_kind": "date",
        "y_format": "count",
    }
    points = reads.followers
    if len(points) < 2:
        return empty_chart(
            "growth",
            title,
            f"Fewer than 2 follower snapshots ({len(points)}): no growth to show.",
            **labels,
        )
    # The latest scoring run's own spike verdict, so the chart marks exactly what spike_flag
    # reports (core.metrics.growth computed it from these snapshots).
    spike = reads.scores or dict.fromkeys(("spike_flag", "spike_date", "growth_30d"))
    spike_day: date | None = spike["spike_date"] if spike["spike_flag"] else None
    x, y, hover, marked = [], [], [], []
    previous: dict[str, Any] | None = None
    for p in points:
        day: date = p["snapshot_date"]
        shown = day.isoformat()
        text = f"{shown}: {p['followers']:,} followers"
        if previous is not None:
            days = (day - previous["snapshot_date"]).days
            gain = p["followers"] - previous["followers"]
            weekly = weekly_gain_of(gain, days)
            text += f" ({gain:+,} in {days} days = {weekly:+,.0f}/week)"
        is_spike = spike_day is not None and day == spike_day
        if is_spike:
            text += f" · spike: {spike['spike_ratio']:.1f}× the creator's usual weekly gain"
        x.append(shown)
        y.append(float(p["followers"]))
        hover.append(text)
        marked.append(is_spike)
        previous = p
    rule = SPIKE_RULE.format(ratio=params.spike_ratio, share=params.spike_min_share)
    growth_30 = spike["growth_30d"]
    subtitle = (
        f"n = {len(points)} snapshots, {points[0]['snapshot_date']:%Y-%m-%d} to "
        f"{points[-1]['snapshot_date']:%Y-%m-%d}"
        + (f" · 30-day growth {growth_30:+.1%}" if growth_30 is not None else "")
        + f" · {rule}"
        + ("" if len(points) >= 3 else " (needs ≥ 3 snapshots)")
    )
    band = Band(
        "y",
        float(params.tier_nano_max),
        float(params.tier_micro_max),
        f"micro tier {params.tier_nano_max:,}–{params.tier_micro_max:,}",
    )
    series = Series(
        "followers",
        tuple(x),
        tuple(y),
        mode="lines+markers",
        hover=tuple(hover),
        highlight=tuple(marked),
        highlight_label="flagged follower spike",
        size=4,
    )
    return Chart(
        id="growth",
        title=title,
        subtitle=subtitle,
        kind="line",
        series=(series,),
        bands=(band,),
        **labels,
    )


def niche_mix_chart(
    warehouse: Warehouse,
    settings: Settings,
    platform: str,
    creator_id: str,
    reads: CreatorReads | None = None,
) -> Chart:
    """The creator's niche shares (IAB Content Taxonomy 3.1) from the niche scoring stage."""
    reads = reads or CreatorReads(warehouse, settings, platform, creator_id)
    creator = reads.creator
    title = f"Niche mix — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "IAB Content Taxonomy 3.1 niche",
        "x_kind": "category",
        "y_label": "share of matched posts (%)",
        "y_format": "percent",
    }
    rows = reads.niches
    if not rows:
        return empty_chart(
            "niche_mix",
            title,
            "No niche mix: none of the creator's recent posts matched a niche term, or the "
            "niche scoring stage has not run (`microscout score`).",
            kind="bar",
            **labels,
        )
    taxonomy = packaged_taxonomy()
    shown, rest = rows[:NICHE_BARS], rows[NICHE_BARS:]
    names, shares, hover = [], [], []
    for r in shown:
        name = r["niche_name"] or taxonomy.name(r["niche_id"]) or r["niche_id"]
        path = taxonomy.get(r["niche_id"]).path if r["niche_id"] in taxonomy else name
        names.append(str(name))
        shares.append(float(r["share"]))
        hover.append(f"{path} (IAB {r['niche_id']}): {format_value(r['share'], 'percent')}")
    if rest:
        other = sum(float(r["share"]) for r in rest)
        names.append(f"{len(rest)} other niches")
        shares.append(other)
        hover.append(f"{len(rest)} other niches together: {format_value(other, 'percent')}")
    n, method = rows[0]["posts_n"], rows[0]["method"]
    subtitle = (
        f"share = mean over the creator's matched posts of each post's niche share · "
        f"n = {n} posts with a matched term · method: {method}"
    )
    series = Series("niche share", tuple(names), tuple(shares), hover=tuple(hover))
    return Chart(
        id="niche_mix", title=title, subtitle=subtitle, kind="bar", series=(series,), **labels
    )


__all__ = [
    "chart_params",
    "engagement_chart",
    "frontier_chart",
    "growth_chart",
    "niche_mix_chart",
    "overlap_chart",
    "reach_chart",
]


def profile_charts(
    warehouse: Warehouse,
    settings: Settings,
    creator: dict[str, Any],
    scores: dict[str, Any] | None = None,
    view: CreatorView | None = None,
) -> dict[str, Chart]:
    """The profile page's charts by name, for a creator row (and its creator_scores row when the
    caller has it), reading the creator's posts once for all of them, from its current view
    when the caller has one."""
    platform, creator_id = str(creator["platform"]), str(creator["creator_id"])
    reads = CreatorReads(warehouse, settings, platform, creator_id, creator, scores, view)
    return {
        name: build(warehouse, settings, platform, creator_id, reads)
        for name, build in PROFILE_CHARTS.items()
    }


PROFILE_CHARTS = MappingProxyType(
    {
        "engagement": engagement_chart,
        "reach": reach_chart,
        "growth": growth_chart,
        "niches": niche_mix_chart,
    }
)
