"""The plan page: brief, budget, objective and constraints -> the portfolio, its totals, the
budget -> reach frontier and the same-budget comparisons; the plan can be saved as a shortlist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from microscout.adapters.render.charts import to_png
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.errors import MicroscoutError, ParameterError
from microscout.services.charts.profile import frontier_chart
from microscout.services.planning.plan import PlanRequest, plan
from microscout.web.pages import forms
from microscout.web.pages.charts import chart_view
from microscout.web.pages.render import page
from microscout.web.state import settings, warehouse

router = APIRouter()
PLATFORMS = ("instagram", "tiktok", "youtube")


def plan_request(form: dict[str, str]) -> PlanRequest:
    brief = forms.text(form, "brief")
    if brief is None:
        raise ParameterError("brief", "is empty: describe the campaign in plain words")
    budget = forms.number(form, "budget", low=1, high=1e9)
    if budget is None:
        raise ParameterError("budget", "is required (USD)")
    platform = forms.choice(form, "platform", PLATFORMS)
    country = forms.text(form, "country", 2)
    return PlanRequest(
        brief=brief, budget=budget,
        objective=forms.choice(form, "objective", ("reach", "frequency")) or "reach",
        k=forms.integer(form, "k", low=1, high=20),
        max_creators=forms.integer(form, "max_creators", low=1, high=100),
        max_per_niche=forms.integer(form, "max_per_niche", low=1, high=100),
        max_per_country=forms.integer(form, "max_per_country", low=1, high=100),
        platforms=(platform,) if platform else (), countries=(country,) if country else (),
    )  # fmt: skip


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> HTMLResponse:
    form = dict(request.query_params)
    context: dict[str, Any] = {"form": form, "plan": None, "error": None, "charts": [],
                               "default_k": cfg.plan_frequency_k}  # fmt: skip
    status = 200
    if "brief" in form:
        try:
            result = plan(wh, cfg, plan_request(form))
        except MicroscoutError as exc:
            context["error"], status = exc.message, exc.http_status
        else:
            png = "/plan/frontier.png?" + str(request.query_params)
            context["plan"] = result
            context["charts"] = [chart_view(frontier_chart(result), png)]
            context["default_name"] = (
                f"{result.request['brief'][:60]} — ${result.totals['cost']:,.0f}"
            )
    return page(request, "plan.html", "Plan", context, status)


@router.get("/plan/frontier.png")
def frontier_png(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> Response:
    result = plan(wh, cfg, plan_request(dict(request.query_params)))
    return Response(to_png(frontier_chart(result)), media_type="image/png")
