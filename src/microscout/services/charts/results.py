"""Chart specs built from results rather than one creator's rows: a plan's frontier, an overlap.

Re-exported by :mod:`microscout.services.charts.profile`, the one place the web layer imports
charts from.
"""

from __future__ import annotations

from collections.abc import Sequence

from microscout.core.charts import Chart, ReferenceLine, Series, empty_chart, format_value
from microscout.services.planning.result import Plan


def frontier_chart(plan: Plan) -> Chart:
    """Budget -> expected unique reach of the best portfolio, this plan and the alternatives."""
    request, totals = plan.request, plan.totals
    title = f"Budget → reach: {request.brief[:60]}"
    series = []
    points = plan.frontier
    if points:
        series.append(
            Series(
                "best portfolio of micro-influencers",
                tuple(p.budget for p in points),
                tuple(float(p.unique_reach) for p in points),
                mode="lines+markers",
                color="#1f6feb",
                hover=tuple(
                    f"budget ${p.budget:,.0f}: {p.creators} creators cost "
                    f"${p.cost:,.0f}, reach {p.unique_reach:,} people"
                    for p in points
                ),
            )
        )
        if request.objective == "frequency":
            series.append(
                Series(
                    f"people reached ≥ {request.k} times",
                    tuple(p.budget for p in points),
                    tuple(float(p.reach_at_k) for p in points),
                    mode="lines+markers",
                    color="#8250df",
                    symbol="square",
                    hover=tuple(
                        f"budget ${p.budget:,.0f}: {p.reach_at_k:,} people reached "
                        f"≥ {request.k} times"
                        for p in points
                    ),
                )
            )
    series.append(
        Series(
            f"this plan: {totals.creators} creators",
            (totals.cost,),
            (float(totals.unique_reach),),
            color="#1a7f37",
            size=12,
            hover=(
                f"this plan: {totals.creators} creators, ${totals.cost:,.0f}, "
                f"{totals.unique_reach:,} people",
            ),
        )
    )
    macro = plan.comparisons.macro
    if macro:
        series.append(
            Series(
                f"best single macro creator (@{macro.handle})",
                (macro.cost,),
                (float(macro.unique_reach),),
                color="#cf222e",
                symbol="diamond",
                size=12,
                hover=(
                    f"@{macro.handle}: {macro.posts} posts, ${macro.cost:,.0f}, "
                    f"{macro.unique_reach:,} people",
                ),
            )
        )
    top = plan.comparisons.ranked_top
    if top.creators:
        series.append(
            Series(
                f"top {len(top.creators)} of the ranked list",
                (top.cost,),
                (float(top.unique_reach),),
                color="#9a6700",
                symbol="triangle-up",
                size=12,
                hover=(f"top of the ranked list: ${top.cost:,.0f}, {top.unique_reach:,} people",),
            )
        )
    budget = float(request.budget)
    subtitle = (
        "unique reach = people expected to see at least one post, estimated from sampled "
        f"audiences (docs/planning.md) · frontier: greedy plans at 25–200% of the ${budget:,.0f} "
        f"budget · {request.candidates} candidates"
    )
    return Chart(
        id="frontier",
        title=title,
        subtitle=subtitle,
        kind="line",
        x_label="budget (USD)",
        y_label="expected unique reach (people)",
        x_kind="number",
        x_format="usd",
        y_format="count",
        series=tuple(series),
        reference_lines=(ReferenceLine("x", budget, f"your budget ${budget:,.0f}"),),
        y_zero=True,
    )


def overlap_chart(
    labels: Sequence[str],
    matrix: Sequence[Sequence[float | None]],
    basis: Sequence[Sequence[str]] | None = None,
) -> Chart:
    """Pairwise audience overlap (Jaccard) as a heatmap; cells say which basis they rest on."""
    title = "Audience overlap"
    if len(labels) < 2:
        return empty_chart(
            "overlap",
            title,
            "Overlap needs at least two creators.",
            kind="heatmap",
            x_kind="category",
            y_format="percent",
        )
    z: list[tuple[float | None, ...]] = []
    text: list[tuple[str, ...]] = []
    for r, row in enumerate(matrix):
        z_row: list[float | None] = []
        t_row: list[str] = []
        for c, value in enumerate(row):
            if r == c:
                z_row.append(None)
                t_row.append("—")
                continue
            z_row.append(value)
            how = basis[r][c] if basis else ""
            t_row.append(format_value(value, "percent") + (f" ({how})" if how else ""))
        z.append(tuple(z_row))
        text.append(tuple(t_row))
    model = basis is not None and any("model" in b for row in basis for b in row)
    subtitle = (
        "Jaccard = shared / combined sampled audience (MinHash estimate of audience samples or "
        "commenters)"
        + (
            "; 'model' cells are the documented model estimate (same niche and "
            "country), not measured"
            if model
            else ""
        )
    )
    return Chart(
        id="overlap",
        title=title,
        subtitle=subtitle,
        kind="heatmap",
        x_label="creator",
        y_label="Jaccard overlap",
        x_kind="category",
        y_format="percent",
        labels=tuple(labels),
        z=tuple(z),
        z_text=tuple(text),
    )


__all__ = ["frontier_chart", "overlap_chart"]
