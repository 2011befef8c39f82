"""The plan page: brief, budget, objective and constraints -> the portfolio, its totals, the
budget -> reach frontier and the same-budget comparisons; the plan can be saved as a shortlist.

The form is drawn from the plan request's declared options (services/planning/request.py), so the
page offers every option the command and the API take, with the same bounds and help.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from microscout.adapters.render.charts import to_png
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.errors import MicroscoutError, ParameterError
from microscout.services.charts.profile import frontier_chart
from microscout.services.discovery.candidates import candidate_source
from microscout.services.planning.plan import plan
from microscout.services.planning.request import (
    PlanRequest,
    parse_quote_lines,
    parse_request,
    request_fields,
)
from microscout.services.planning.result import Plan
from microscout.services.requests import RequestField
from microscout.web.pages.charts import chart_view
from microscout.web.pages.render import page
from microscout.web.state import adapters, app_state, settings, warehouse

router = APIRouter()
FIELDS = request_fields()
# The options most plans set; the others sit behind "More options".
FIRST = ("brief", "budget", "objective", "k", "max_creators", "platforms", "countries")
CHOICE_LABELS = {
    "engaged": "engaged people (real people reached who engage)",
    "reach": "unique reach",
    "frequency": "effective frequency (reach ≥ k times)",
}
_SPLIT = re.compile(r"[\s,;]+")


def form_values(request: Request) -> dict[str, list[str]]:
    """The query string as field -> its non-empty values (a GET form sends empty fields too)."""
    values: dict[str, list[str]] = {}
    for name, raw in request.query_params.multi_items():
        if raw.strip():
            values.setdefault(name, []).append(raw.strip())
    return values


def _changed(spec: RequestField, raw: list[str] | None) -> bool:
    """Whether the form sets a field to something other than its default (a browser sends the
    selects and the checked boxes every time)."""
    if not raw:
        return False
    if spec.kind == "choices":
        return tuple(raw) != tuple(spec.default)
    if spec.kind == "flag":
        return raw[-1] != ("on" if spec.default else "off")
    return True


def _value(spec: RequestField, raw: list[str]) -> Any:
    """One field's form text as the request model takes it."""
    if spec.kind == "choices":
        return raw
    if spec.kind == "words":
        return [word for text in raw for word in _SPLIT.split(text) if word]
    if spec.kind == "quotes":
        return parse_quote_lines("\n".join(raw), spec.name)
    if spec.kind == "flag":
        return raw[-1].lower() in ("1", "on", "true", "yes")
    if spec.kind in ("number", "integer"):
        return raw[-1].replace(",", "")
    return raw[-1]


def plan_request(form: Mapping[str, list[str]]) -> PlanRequest:
    """The request the form asks for; a missing or out-of-range field names itself."""
    if not form.get("brief"):
        raise ParameterError("brief", "is empty: describe the campaign in plain words")
    if not form.get("budget"):
        raise ParameterError("budget", "is required (USD)")
    given = {f.name: _value(f, form[f.name]) for f in FIELDS if form.get(f.name)}
    return parse_request(given)


def _plan(
    request: Request,
    form: Mapping[str, list[str]],
    wh: Warehouse,
    cfg: Settings,
    real: Adapters,
) -> Plan:
    """The plan ``form`` asks for, in one of the process's plan slots (429 when none is free)."""
    source = candidate_source(cfg, real.index_store, lambda: real.embedder)
    with app_state(request).plan_slot():
        return plan(wh, cfg, plan_request(form), source)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
) -> HTMLResponse:
    form = form_values(request)
    placeholders = {"k": cfg.plan_frequency_k, "max_posts": cfg.plan_max_posts}
    context: dict[str, Any] = {
        "form": form,
        "submitted": "brief" in form,
        "fields": [f for f in FIELDS if f.name in FIRST],
        "more_fields": [f for f in FIELDS if f.name not in FIRST],
        "more_open": any(_changed(f, form.get(f.name)) for f in FIELDS if f.name not in FIRST),
        "choice_labels": CHOICE_LABELS,
        "placeholders": placeholders,
        "plan": None,
        "error": None,
        "charts": [],
    }
    status = 200
    if "brief" in form:
        try:
            result = _plan(request, form, wh, cfg, real)
        except MicroscoutError as exc:
            context["error"], status = exc.message, exc.http_status
        else:
            png = "/plan/frontier.png?" + str(request.query_params)
            context["plan"] = result
            context["charts"] = [chart_view(frontier_chart(result), png)]
            context["default_name"] = f"{result.request.brief[:60]} — ${result.totals.cost:,.0f}"
    return page(request, "plan.html", "Plan", context, status)


@router.get("/plan/frontier.png")
def frontier_png(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
) -> Response:
    result = _plan(request, form_values(request), wh, cfg, real)
    return Response(to_png(frontier_chart(result)), media_type="image/png")
