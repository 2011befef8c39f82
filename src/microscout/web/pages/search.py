"""The search page: a brief and filters -> ranked creators with badges and reasons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.errors import MicroscoutError, ParameterError
from microscout.services.discovery.search import Filters, search
from microscout.web.cache import PageCache
from microscout.web.pages import forms
from microscout.web.pages.render import page
from microscout.web.state import adapters, page_cache, settings, warehouse

router = APIRouter()
PLATFORMS = ("instagram", "tiktok", "youtube")


def search_filters(form: dict[str, str], cfg: Settings) -> Filters:
    """The page's filters; the follower range defaults to the micro band (10k-50k)."""
    min_followers = forms.integer(form, "min_followers")
    max_followers = forms.integer(form, "max_followers")
    engagement = forms.number(form, "min_engagement", high=100)
    return Filters(
        platform=forms.choice(form, "platform", PLATFORMS),
        country=forms.text(form, "country", 2),
        language=forms.text(form, "language", 3),
        tier="any",
        min_followers=min_followers,
        max_followers=max_followers,
        min_engagement=None if engagement is None else engagement / 100,
        reach_gate=forms.flag(form, "reach_gate"),
        min_audience_quality=forms.number(form, "min_quality", high=100),
        max_fee=forms.number(form, "max_fee"),
    )


def defaults(cfg: Settings) -> dict[str, str]:
    return {"min_followers": str(cfg.tier_nano_max), "max_followers": str(cfg.tier_micro_max)}


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    cache: Annotated[PageCache, Depends(page_cache)],
    real: Annotated[Adapters, Depends(adapters)],
) -> HTMLResponse:
    return cache.serve(request, lambda: _render(request, wh, cfg, real))


def _render(request: Request, wh: Warehouse, cfg: Settings, real: Adapters) -> HTMLResponse:
    form = dict(request.query_params)
    if "brief" not in form:
        form = {**defaults(cfg), **form}
    context: dict[str, Any] = {"form": form, "result": None, "error": None}
    status = 200
    brief = forms.text(form, "brief") if "brief" in form else None
    if "brief" in form:
        try:
            if brief is None:
                raise ParameterError("brief", "is empty: describe the niche in words")
            limit = forms.integer(form, "limit", low=1, high=100) or 20
            filters = search_filters(form, cfg)
            context["result"] = search(
                wh, cfg, brief, filters, limit, index=real.index_store, embedder=real.embedder
            )
        except MicroscoutError as exc:
            context["error"], status = exc.message, exc.http_status
    return page(request, "search.html", "Search", context, status)
