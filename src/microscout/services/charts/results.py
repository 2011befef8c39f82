"""Chart specs built from results rather than one creator's rows: a plan's frontier, an overlap.

Re-exported by :mod:`microscout.services.charts.profile`, the one place the web layer imports
charts from.
"""

from __future__ import annotations

from collections.abc import Sequence

from microscout.core.charts import Chart, ReferenceLine, Series, empty_chart, format_value
from microscout.services.planning.result import Plan

# Where the overlap colours reach their darkest, unless a pair overlaps more: niche peers share
# a few percent of their audiences, so a 2% pair must not be drawn as dark as a 20% one.
OVERLAP_SCALE_TOP = 0.10
# The basis of a pair on two platforms: their audiences are different id sets, so nothing can
# be matched and the pair gets no number (services/browse/compare.py).
NO_SHARED_PLATFORM = "no shared platform"


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
    """Pairwise audience overlap (Jaccard) as a heatmap. Each cell writes its value and the
    basis it rests on; a pair with no figure (creators on different platforms) is a cell with
    no value that says why, never a 0 that looks measured."""
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
        cells = [_overlap_cell(r, c, value, basis) for c, value in enumerate(row)]
        z.append(tuple(v for v, _ in cells))
        text.append(tuple(t for _, t in cells))
    if all(v is None for row in z for v in row):
        return empty_chart(
            "overlap",
            title,
            "No two of these creators are on the same platform, so no audience overlap can be "
            "measured: their audiences are different accounts.",
            kind="heatmap",
            x_kind="category",
            y_format="percent",
        )
    kinds = {b for row in basis or () for b in row}
    subtitle = (
        "Jaccard = shared / combined sampled audience (MinHash estimate of audience samples or "
        "commenters); darker = more shared, the scale topping out at the largest overlap, "
        f"at least {OVERLAP_SCALE_TOP:.0%}"
    )
    if "model" in kinds:
        subtitle += (
            "; 'model' cells are the documented model estimate (same niche and country), "
            "not measured"
        )
    if NO_SHARED_PLATFORM in kinds:
        subtitle += (
            "; grey cells: creators on different platforms, whose audiences cannot be matched"
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
        z_max=OVERLAP_SCALE_TOP,
    )


def _overlap_cell(
    r: int, c: int, value: float | None, basis: Sequence[Sequence[str]] | None
) -> tuple[float | None, str]:
    """One cell's value and text: blank on the diagonal, the reason where there is no value,
    else the percentage over its basis (two lines, so it fits inside the cell)."""
    if r == c:
        return None, "—"
    how = basis[r][c] if basis else ""
    if value is None:
        return None, "\n".join(how.rsplit(" ", 1)) if how else "—"
    return value, format_value(value, "percent") + (f"\n({how})" if how else "")


__all__ = ["NO_SHARED_PLATFORM", "OVERLAP_SCALE_TOP", "frontier_chart", "overlap_chart"]
