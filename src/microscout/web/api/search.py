"""Search: a brief in plain words and filters -> creators ranked with their reasons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.services.discovery.request import SearchRequest
from microscout.services.discovery.search import SearchResult
from microscout.services.discovery.search import search as search_creators
from microscout.web.api.schemas import ERRORS, SearchResponse
from microscout.web.state import adapters, settings, views, warehouse

router = APIRouter(tags=["search"], responses=ERRORS)


def search_response(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "candidates": result.candidates,
        "notes": list(result.notes),
        "items": [
            {
                **h.as_row(),
                "matched_terms": list(h.matched_terms),
                "matched_posts": list(h.matched_posts),
                "reasons": list(h.reasons),
            }
            for h in result.hits
        ],
    }


@router.get("/search", response_model=SearchResponse, summary="Search creators by brief")
def search(
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
    current: Annotated[ViewStore | None, Depends(views)],
    request: Annotated[SearchRequest, Query()],
) -> dict[str, Any]:
    """Creators whose content matches the brief, ranked by the blend in docs/discovery.md; the
    query takes every option of ``microscout search`` (an unknown parameter is refused)."""
    result = search_creators(
        wh,
        cfg,
        request.brief,
        request.filters(),
        request.limit,
        index=real.index_store,
        embedder=real.embedder,
        views=current,
    )
    return search_response(result)
