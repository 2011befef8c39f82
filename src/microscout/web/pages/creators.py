"""The creator profile page: explained metrics, charts, authenticity verdict, posts and fee."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from microscout.adapters.render.charts import to_png
from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.errors import NotFoundError
from microscout.services.browse.creators import creator_profile, explained_scores, find_creator
from microscout.services.charts.profile import PROFILE_CHARTS
from microscout.services.vetting.vet import stored_verdict
from microscout.web.cache import PageCache
from microscout.web.pages.charts import profile_charts
from microscout.web.pages.render import page
from microscout.web.state import page_cache, settings, views, warehouse

router = APIRouter()
# Metrics shown first, in this order; the rest follow in schema order under "all metrics".
HEADLINE = (
    "followers",
    "tier",
    "er_median",
    "reach_rate",
    "passes_reach_gate",
    "posts_per_week",
    "days_since_last_post",
    "growth_30d",
    "audience_quality",
    "fee_per_post",
)

# Stored as text for the record; the page shows them in the authenticity card instead.
SHOWN_ELSEWHERE = ("audience_quality_reasons", "authenticity_unavailable")


@router.get("/creators/{platform}/{handle}", response_class=HTMLResponse)
def profile_page(
    request: Request,
    platform: str,
    handle: str,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    cache: Annotated[PageCache, Depends(page_cache)],
    current: Annotated[ViewStore | None, Depends(views)],
) -> HTMLResponse:
    return cache.serve(request, lambda: _render(request, platform, handle, wh, cfg, current))


def _render(
    request: Request,
    platform: str,
    handle: str,
    wh: Warehouse,
    cfg: Settings,
    current: ViewStore | None,
) -> HTMLResponse:
    profile = creator_profile(wh, handle, platform, current)
    context: dict[str, Any] = {"profile": profile, "c": profile.creator, "verdict": None}
    if profile.scores is not None:
        metrics = explained_scores(profile.scores)
        by_name = {m.name: m for m in metrics}
        context["headline"] = [by_name[n] for n in HEADLINE if n in by_name]
        context["metrics"] = [m for m in metrics if m.name not in HEADLINE + SHOWN_ELSEWHERE]
        context["null_reasons"] = list(profile.scores.get("null_reasons") or [])
        context["verdict"] = stored_verdict(profile.scores)
        context["charts"] = profile_charts(wh, cfg, profile.creator, profile.scores, profile.view)
    title = f"@{profile.creator['handle']}"
    return page(request, "creator.html", title, context)


@router.get("/creators/{platform}/{handle}/charts/{name}.png")
def profile_chart_png(
    platform: str,
    handle: str,
    name: str,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> Response:
    """One profile chart as PNG, for reports."""
    build = PROFILE_CHARTS.get(name)
    if build is None:
        raise NotFoundError(f"no chart '{name}'; charts: {', '.join(PROFILE_CHARTS)}")
    creator = find_creator(wh, handle, platform)
    chart = build(wh, cfg, str(creator["platform"]), str(creator["creator_id"]))
    return Response(to_png(chart), media_type="image/png")
