"""Chart specs for a creator's profile, the compare page and a plan (docs/charts.md).

Each builder reads what it needs from the warehouse and returns a pure
:class:`~microscout.core.charts.Chart`; ``microscout.adapters.charts`` draws it for the browser
(Plotly) or a report (PNG). Per-post values follow docs/metrics.md, and the engagement window and
follower-spike rule are the metrics' own (``core.metrics``), so a chart never disagrees with the
score it illustrates. The window is anchored like the latest scoring run (its ``as_of``, else each
creator's latest post).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypedDict

import ibis

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.charts import (
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
from microscout.core.metrics.window import activity, dated_posts, window_posts
from microscout.core.schema import POSTS, arrow_schema
from microscout.errors import NotFoundError
from microscout.services.charts_results import frontier_chart, overlap_chart
from microscout.services.niches import load_taxonomy
from microscout.services.score import metric_params

# Posts drawn per creator: up to three windows' worth, so the window sits in its trend.
MAX_POSTS_FACTOR = 3
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
    as_of = warehouse.scalar("SELECT as_of FROM score_runs ORDER BY started_at DESC LIMIT 1")
    return metric_params(settings, as_of if isinstance(as_of, datetime) else None)


def _creator(warehouse: Warehouse, platform: str, creator_id: str) -> dict[str, Any]:
    rows = warehouse.fetch_arrow(
        "SELECT handle, followers FROM creators WHERE platform = ? AND creator_id = ?",
        (platform, creator_id),
    ).to_pylist()
    if not rows:
        raise NotFoundError(f"no creator {creator_id} on {platform}")
    return dict(rows[0])


# The one creator's posts the window queries read: a temp table on the request's connection.
_MINE = "_chart_posts"


@lru_cache(maxsize=16)
def _window_sql(params: MetricParams, limit: int) -> tuple[str, str, str]:
    """SQL for the window ids, the anchor and the latest posts of the creator in ``_MINE``.

    Compiled once per parameter set from the metrics' own expressions (``core.metrics.window``)
    on an unbound table, so a chart shows exactly the scoring window without paying Ibis's
    compile cost on every page view.
    """
    posts = ibis.table(ibis.Schema.from_pyarrow(arrow_schema(POSTS)), name=_MINE)
    dated = dated_posts(posts, params)
    anchor = activity(dated, params)
    window = window_posts(dated, anchor, params).select("post_id")
    anchor_ts = anchor.select(anchor.anchor_ts.cast("float64").name("anchor_ts"))
    latest = (
        dated.order_by([ibis.desc("posted_at"), ibis.desc("post_id")])
        .limit(limit)
        .select("post_id", "posted_at", "likes", "comments", "shares", "saves", "views", "reach")
    )
    return tuple(str(ibis.to_sql(e, dialect="duckdb")) for e in (window, anchor_ts, latest))  # type: ignore[return-value]


def _post_rows(
    warehouse: Warehouse, platform: str, creator_id: str, params: MetricParams
) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    """The creator's latest dated posts (newest first), the ids in the scoring window, the anchor.

    Window membership comes from the metrics' own window expression, not a re-statement of it.
    """
    window_sql, anchor_sql, latest_sql = _window_sql(
        params, MAX_POSTS_FACTOR * params.window_max_posts
    )
    warehouse.duck.execute(
        f"CREATE OR REPLACE TEMP TABLE {_MINE} AS "
        "SELECT * FROM posts WHERE platform = ? AND creator_id = ?",
        [platform, creator_id],
    )
    try:
        in_window = {str(r["post_id"]) for r in warehouse.fetch_arrow(window_sql).to_pylist()}
        anchor_rows = warehouse.fetch_arrow(anchor_sql).to_pylist()
        rows = warehouse.fetch_arrow(latest_sql).to_pylist()
    finally:
        warehouse.duck.execute(f"DROP TABLE IF EXISTS {_MINE}")
    anchor_at = (
        datetime.fromtimestamp(int(anchor_rows[0]["anchor_ts"]), UTC).replace(tzinfo=None)
        if anchor_rows and anchor_rows[0]["anchor_ts"] is not None
        else None
    )
    rows.reverse()  # oldest first, the way a time axis reads
    return rows, in_window, anchor_at


def _window_text(params: MetricParams, anchor_at: datetime | None) -> str:
    end = f"{anchor_at:%Y-%m-%d}" if anchor_at else "the latest post"
    return (
        f"window: latest {params.window_max_posts} posts in the {params.window_days} days to {end}"
    )


def _count(value: Any) -> str:
    return "—" if value is None else f"{value:,}"


def engagement_chart(
    warehouse: Warehouse, settings: Settings, platform: str, creator_id: str
) -> Chart:
    """Engagement rate by followers per post over time, window posts apart, median line."""
    params = chart_params(warehouse, settings)
    creator = _creator(warehouse, platform, creator_id)
    title = f"Engagement rate per post — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "posted (UTC date)",
        "y_label": "engagement rate (% of followers)",
        "x_kind": "date",
        "y_format": "percent",
    }
    followers = creator["followers"]
    if not followers:
        why = "followers unknown" if followers is None else "followers is 0"
        return empty_chart("engagement", title, f"No engagement rate: {why}.", **labels)
    rows, in_window, anchor_at = _post_rows(warehouse, platform, creator_id, params)
    visible = [r for r in rows if r["likes"] is not None]
    if not visible:
        reason = (
            "No dated posts in the data."
            if not rows
            else (f"Likes are hidden on all {len(rows)} posts shown, so no engagement rate.")
        )
        return empty_chart("engagement", title, reason, **labels)
    x, y, hover, outside = [], [], [], []
    for r in visible:
        engagement = r["likes"] + sum(r[c] or 0 for c in ("comments", "shares", "saves"))
        rate = engagement / followers
        inside = str(r["post_id"]) in in_window
        x.append(r["posted_at"].isoformat())
        y.append(rate)
        outside.append(not inside)
        hover.append(
            f"{r['posted_at']:%Y-%m-%d}: ({_count(r['likes'])} likes + {_count(r['comments'])} "
            f"comments + {_count(r['shares'])} shares + {_count(r['saves'])} saves) / "
            f"{followers:,} followers = {format_value(rate, 'percent')}"
            + ("" if inside else " · outside the scoring window")
        )
    window_rates = [v for v, out in zip(y, outside, strict=True) if not out]
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
    series = Series(
        "posts in the scoring window",
        tuple(x),
        tuple(y),
        hover=tuple(hover),
        highlight=tuple(outside),
        highlight_label="outside the scoring window",
        highlight_style="muted",
    )
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


def reach_chart(warehouse: Warehouse, settings: Settings, platform: str, creator_id: str) -> Chart:
    """Reach rate per post (reach, else views, / followers) with the reach-gate line."""
    params = chart_params(warehouse, settings)
    creator = _creator(warehouse, platform, creator_id)
    title = f"Reach rate per post — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "posted (UTC date)",
        "y_label": "reach rate (% of followers)",
        "x_kind": "date",
        "y_format": "percent",
    }
    followers = creator["followers"]
    if not followers:
        why = "followers unknown" if followers is None else "followers is 0"
        return empty_chart("reach", title, f"No reach rate: {why}.", **labels)
    rows, in_window, anchor_at = _post_rows(warehouse, platform, creator_id, params)
    groups: dict[str, dict[str, list[Any]]] = {
        "reach": {"x": [], "y": [], "hover": [], "out": []},
        "views": {"x": [], "y": [], "hover": [], "out": []},
    }
    window_rates = []
    for r in rows:
        source = "reach" if r["reach"] is not None else "views" if r["views"] is not None else None
        if source is None:
            continue
        rate = r[source] / followers
        inside = str(r["post_id"]) in in_window
        if inside:
            window_rates.append(rate)
        g = groups[source]
        g["x"].append(r["posted_at"].isoformat())
        g["y"].append(rate)
        g["out"].append(not inside)
        g["hover"].append(
            f"{r['posted_at']:%Y-%m-%d}: {source} {r[source]:,} / {followers:,} followers = "
            f"{format_value(rate, 'percent')}" + ("" if inside else " · outside the scoring window")
        )
    if not window_rates and not groups["reach"]["x"] and not groups["views"]["x"]:
        reason = (
            "No dated posts in the data."
            if not rows
            else (f"None of the {len(rows)} posts shown has reach (owner insights) or views.")
        )
        return empty_chart("reach", title, reason, **labels)
    series = []
    for source, name, symbol in (
        ("reach", "reach (owner insights)", "circle"),
        ("views", "views (no reach shared)", "square"),
    ):
        g = groups[source]
        if g["x"]:
            series.append(
                Series(
                    name,
                    tuple(g["x"]),
                    tuple(g["y"]),
                    hover=tuple(g["hover"]),
                    highlight=tuple(g["out"]),
                    highlight_style="muted",
                    symbol=symbol,
                    highlight_label=f"{source}: outside the scoring window",
                )
            )
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


def growth_chart(warehouse: Warehouse, settings: Settings, platform: str, creator_id: str) -> Chart:
    """Followers over time from the snapshots, the flagged spike marked, the micro band shaded."""
    params = chart_params(warehouse, settings)
    creator = _creator(warehouse, platform, creator_id)
    title = f"Follower growth — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "snapshot date",
        "y_label": "followers (accounts)",
        "x_kind": "date",
        "y_format": "count",
    }
    cut = "" if params.as_of is None else " AND snapshot_date <= ?"
    points = warehouse.fetch_arrow(
        "SELECT snapshot_date, followers FROM follower_snapshots WHERE platform = ? "
        f"AND creator_id = ? AND followers IS NOT NULL AND snapshot_date IS NOT NULL{cut} "
        "ORDER BY snapshot_date",
        [platform, creator_id] + ([] if params.as_of is None else [params.as_of.date()]),
    ).to_pylist()
    if len(points) < 2:
        return empty_chart(
            "growth",
            title,
            f"Fewer than 2 follower snapshots ({len(points)}): no growth to show.",
            **labels,
        )
    # The latest scoring run's own spike verdict, so the chart marks exactly what spike_flag
    # reports (core.metrics.growth computed it from these snapshots).
    stored = warehouse.fetch_arrow(
        "SELECT spike_flag, spike_date, spike_ratio, growth_30d FROM creator_scores "
        "WHERE platform = ? AND creator_id = ?",
        [platform, creator_id],
    ).to_pylist()
    spike = (
        stored[0]
        if stored
        else dict.fromkeys(("spike_flag", "spike_date", "spike_ratio", "growth_30d"))
    )
    spike_day: date | None = spike["spike_date"] if spike["spike_flag"] else None
    x, y, hover, marked = [], [], [], []
    previous: dict[str, Any] | None = None
    for p in points:
        day: date = p["snapshot_date"]
        text = f"{day:%Y-%m-%d}: {p['followers']:,} followers"
        if previous is not None:
            days = (day - previous["snapshot_date"]).days
            gain = p["followers"] - previous["followers"]
            weekly = gain * 7 / days if days else 0.0
            text += f" ({gain:+,} in {days} days = {weekly:+,.0f}/week)"
        is_spike = spike_day is not None and day == spike_day
        if is_spike:
            text += f" · spike: {spike['spike_ratio']:.1f}× the creator's usual weekly gain"
        x.append(day.isoformat())
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
    warehouse: Warehouse, settings: Settings, platform: str, creator_id: str
) -> Chart:
    """The creator's niche shares (IAB Content Taxonomy 3.1) from the niche scoring stage."""
    del settings
    creator = _creator(warehouse, platform, creator_id)
    title = f"Niche mix — @{creator['handle']}"
    labels: _Axes = {
        "x_label": "IAB Content Taxonomy 3.1 niche",
        "x_kind": "category",
        "y_label": "share of matched posts (%)",
        "y_format": "percent",
    }
    rows = warehouse.fetch_arrow(
        """SELECT niche_id, niche_name, share, posts_n, method FROM creator_niches
           WHERE platform = ? AND creator_id = ? ORDER BY rank, niche_id""",
        (platform, creator_id),
    ).to_pylist()
    if not rows:
        return empty_chart(
            "niche_mix",
            title,
            "No niche mix: none of the creator's recent posts matched a niche term, or the "
            "niche scoring stage has not run (`microscout score`).",
            kind="bar",
            **labels,
        )
    taxonomy = load_taxonomy()
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
