"""The search page: a brief and filters -> ranked creators with badges and reasons.

The form is drawn from the search request's declared options (services/discovery/request.py),
so the page offers every option the command and the API take, with the same bounds and help.
Two things differ on purpose, for people at a form rather than scripts: the page starts at the
micro band as a follower range with every tier allowed (so widening the range widens the
search), and it takes the engagement rate in percent.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.errors import MicroscoutError, ParameterError
from microscout.services.discovery.request import SearchRequest, parse_request, request_fields
from microscout.services.discovery.search import search
from microscout.services.requests import RequestField
from microscout.web.cache import PageCache
from microscout.web.pages import forms
from microscout.web.pages.render import page
from microscout.web.state import adapters, page_cache, settings, views, warehouse

router = APIRouter()
FIELDS = request_fields(SearchRequest)
# Options the page takes in percent: the form's number is 100 times the request's.
PERCENT = frozenset({"min_engagement"})
# How the form shows some options: a shorter label, the width of the box, a placeholder.
LOOKS = types.MappingProxyType(
    {
        "brief": {"placeholder": "plant-based skincare for sensitive skin"},
        "country": {"size": "3", "placeholder": "US"},
        "language": {"size": "3", "placeholder": "en"},
        "min_engagement": {
            "title": "Min engagement %",
            "size": "5",
            "description": "Least median engagement rate, in percent (2 = 2%).",
        },
        "reach_gate": {"title": "Posts reach ≥ 10% of followers"},
        "min_audience_quality": {"size": "4", "placeholder": "0-100"},
        "max_fee": {"size": "7"},
        "limit": {"size": "4", "placeholder": "20"},
    }
)


def _value(spec: RequestField, form: Mapping[str, str]) -> Any:
    """One field's form text as the request takes it (None when left empty); a number that
    does not parse or is out of range names its field as the form does."""
    scale = 100 if spec.name in PERCENT else 1
    low = (spec.low or 0) * scale
    high = 1e12 if spec.high is None else spec.high * scale
    if spec.kind == "flag":
        return forms.flag(form, spec.name)
    if spec.kind == "integer":
        return forms.integer(form, spec.name, low=int(low), high=int(high))
    if spec.kind == "number":
        value = forms.number(form, spec.name, low=low, high=high)
        return None if value is None else value / scale
    return forms.text(form, spec.name)


def search_request(form: Mapping[str, str]) -> SearchRequest:
    """The request the form asks for; every tier unless the form picks one."""
    if forms.text(form, "brief") is None:
        raise ParameterError("brief", "is empty: describe the niche in words")
    given: dict[str, Any] = {"tier": "any"}
    for spec in FIELDS:
        value = _value(spec, form)
        if value is not None:
            given[spec.name] = value
    return parse_request(SearchRequest, given)


def defaults(cfg: Settings) -> dict[str, str]:
    """The form before the first search: the micro band as a follower range, every tier."""
    return {
        "min_followers": str(cfg.tier_nano_max),
        "max_followers": str(cfg.tier_micro_max),
        "tier": "any",
    }


def with_defaults(form: Mapping[str, str], cfg: Settings) -> dict[str, str]:
    """The query with the page's defaults where it says nothing: a link with only a brief
    searches the micro band, as the API does by default, rather than every follower count. A
    query that names a tier or a follower bound keeps it (a field sent empty stays empty)."""
    if not {"tier", "min_followers", "max_followers"} & form.keys():
        return {**defaults(cfg), **form}
    return {"tier": "any", **form}


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    cache: Annotated[PageCache, Depends(page_cache)],
    real: Annotated[Adapters, Depends(adapters)],
    current: Annotated[ViewStore | None, Depends(views)],
) -> HTMLResponse:
    return cache.serve(request, lambda: _render(request, wh, cfg, real, current))


def _render(
    request: Request, wh: Warehouse, cfg: Settings, real: Adapters, current: ViewStore | None
) -> HTMLResponse:
    form = with_defaults(request.query_params, cfg)
    context: dict[str, Any] = {
        "form": form,
        "fields": FIELDS,
        "looks": LOOKS,
        "result": None,
        "error": None,
    }
    status = 200
    if "brief" in form:
        try:
            asked = search_request(form)
            context["result"] = search(
                wh,
                cfg,
                asked.brief,
                asked.filters(),
                asked.limit,
                index=real.index_store,
                embedder=real.embedder,
                views=current,
            )
        except MicroscoutError as exc:
            context["error"], status = exc.message, exc.http_status
    return page(request, "search.html", "Search", context, status)
