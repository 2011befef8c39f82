"""Charts on pages: a chart spec becomes a Plotly figure (drawn by /static/app.js) or, when it
has no data, its reason in words; the same spec is offered as PNG for reports."""

from __future__ import annotations

from typing import Any

from microscout.adapters.render.charts import to_plotly
from microscout.adapters.views import CreatorView
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.charts import Chart
from microscout.services.charts import profile as chart_service


def chart_view(chart: Chart, png_url: str | None = None) -> dict[str, Any]:
    """What a template needs: title, subtitle, and the figure or why there is none."""
    return {
        "id": f"chart-{chart.id}",
        "title": chart.title,
        "subtitle": chart.subtitle,
        "empty_reason": chart.empty_reason,
        "figure": None if chart.empty_reason else _without_title(to_plotly(chart)),
        "png_url": png_url,
    }


def _without_title(figure: dict[str, Any]) -> dict[str, Any]:
    """The page prints title and subtitle above the chart, so the figure does not repeat them."""
    layout = {k: v for k, v in figure["layout"].items() if k != "title"}
    layout["margin"] = {**layout.get("margin", {}), "t": 20}
    return {**figure, "layout": layout}


def profile_charts(
    warehouse: Warehouse,
    settings: Settings,
    creator: dict[str, Any],
    scores: dict[str, Any] | None,
    view: CreatorView | None = None,
) -> list[dict[str, Any]]:
    base = f"/creators/{creator['platform']}/{creator['handle']}/charts"
    return [
        chart_view(chart, f"{base}/{name}.png")
        for name, chart in chart_service.profile_charts(
            warehouse, settings, creator, scores, view
        ).items()
    ]
