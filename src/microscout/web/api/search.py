"""Search: a brief in plain words and filters -> creators ranked with their reasons."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.services.discovery.search import Filters, SearchResult
from microscout.services.discovery.search import search as search_creators
from microscout.web.api.params import (
    Country,
    Language,
    MaxFee,
    MaxFollowers,
    MinEngagement,
    MinFollowers,
    MinQuality,
    Platform,
    ReachGate,
    TierName,
)
from microscout.web.api.schemas import ERRORS, SearchResponse
from microscout.web.state import adapters, settings, warehouse

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
    brief: Annotated[str, Query(min_length=1, max_length=500, description="Plain words.")],
    platform: Platform = None,
    country: Country = None,
    language: Language = None,
    tier: Annotated[TierName | Literal["any"], Query(description="Follower tier.")] = "micro",
    min_followers: MinFollowers = None,
    max_followers: MaxFollowers = None,
    min_engagement: MinEngagement = None,
    reach_gate: ReachGate = False,
    min_audience_quality: MinQuality = None,
    max_fee: MaxFee = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Creators whose content matches the brief, ranked by the blend in docs/discovery.md."""
    filters = Filters(
        platform=platform,
        country=country,
        language=language,
        tier=tier,
        min_followers=min_followers,
        max_followers=max_followers,
        min_engagement=min_engagement,
        reach_gate=reach_gate,
        min_audience_quality=min_audience_quality,
        max_fee=max_fee,
    )
    result = search_creators(
        wh, cfg, brief, filters, limit, index=real.index_store, embedder=real.embedder
    )
    return search_response(result)
