"""The compare page: 2-6 creators side by side with their audience overlap matrix."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.errors import MicroscoutError
from microscout.services.browse.compare import compare
from microscout.web.access import stores_nothing
from microscout.web.cache import PageCache
from microscout.web.pages.charts import chart_view
from microscout.web.pages.render import page
from microscout.web.state import page_cache, settings, warehouse

router = APIRouter()


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    cache: Annotated[PageCache, Depends(page_cache)],
) -> HTMLResponse:
    return cache.serve(request, lambda: _render(request, wh, cfg))


@router.post("/compare", response_model=None)
@stores_nothing
async def compare_chosen(request: Request) -> RedirectResponse:
    """The search results' "Compare selected": the chosen creators' compare page (a post, so
    the form it shares with "Add to shortlist" keeps its CSRF token out of the URL)."""
    chosen = [c for c in (await request.form()).getlist("c") if isinstance(c, str) and c.strip()]
    return RedirectResponse("/compare?" + urlencode([("c", c) for c in chosen]), status_code=303)


def _render(request: Request, wh: Warehouse, cfg: Settings) -> HTMLResponse:
    chosen = [c for c in request.query_params.getlist("c") if c.strip()]
    context: dict[str, Any] = {"chosen": chosen, "comparison": None, "charts": [], "error": None}
    status = 200
    if len(chosen) == 1:
        context["hint"] = "Add at least one more creator (from search, or by handle below)."
    elif chosen:
        try:
            result = compare(wh, cfg, chosen)
        except MicroscoutError as exc:
            context["error"], status = exc.message, exc.http_status
        else:
            context["comparison"] = result
            context["charts"] = [chart_view(result.overlap_chart())]
    return page(request, "compare.html", "Compare", context, status)
