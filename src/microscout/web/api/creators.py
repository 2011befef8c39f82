"""Creators: list with filters and pages, one creator with explained scores, vet, similar."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.services.browse.compare import compare
from microscout.services.browse.creators import CreatorFilter
from microscout.services.browse.detail import creator_detail
from microscout.services.browse.listing import ALL_COLUMNS, CreatorRow, creator_list
from microscout.services.discovery.request import (
    LookalikeOptions,
    LookalikeRequest,
    parse_request,
)
from microscout.services.discovery.search import similar as similar_creators
from microscout.services.vetting.vet import vet
from microscout.web.api.params import (
    Country,
    MaxFollowers,
    MinEngagement,
    MinFollowers,
    Offset,
    Platform,
    PlatformName,
    SortColumn,
    TierName,
)
from microscout.web.api.schemas import (
    ERRORS,
    MAX_PAGE_SIZE,
    CompareResponse,
    CreatorDetail,
    CreatorSummary,
    Page,
    SearchResponse,
    VetResponse,
)
from microscout.web.api.search import search_response
from microscout.web.state import adapters, settings, views, warehouse

router = APIRouter(prefix="/creators", tags=["creators"], responses=ERRORS)
SUMMARY_COLUMNS = tuple(CreatorSummary.model_fields)


@router.get(
    "",
    response_model=Page[CreatorRow],
    response_model_exclude_unset=True,
    summary="List scored creators",
)
def list_(
    wh: Annotated[Warehouse, Depends(warehouse)],
    platform: Platform = None,
    tier: Annotated[
        Literal[TierName, "any"] | None, Query(description="Follower tier (any: every tier).")
    ] = None,
    country: Country = None,
    min_followers: MinFollowers = None,
    max_followers: MaxFollowers = None,
    min_engagement: MinEngagement = None,
    sort: Annotated[SortColumn, Query(description="Column to sort by.")] = "followers",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Offset = 0,
    columns: Annotated[
        Literal["summary", "all"],
        Query(
            description=f"summary: {', '.join(SUMMARY_COLUMNS)}; all: every stored score "
            "column (verdict, audience quality, fake-follower share and interval, niche, fee, "
            "CPE, CPM, reasons, null_reasons) with niche_name and reason_codes."
        ),
    ] = "summary",
) -> dict[str, Any]:
    """Creators passing every filter (bounds inclusive; an unknown metric never passes one).

    A row carries only the columns asked for; 404 on a store never scored."""
    flt = CreatorFilter(
        platforms=(platform,) if platform else (),
        tiers=(tier,) if tier else (),
        countries=(country,) if country else (),
        min_followers=min_followers,
        max_followers=max_followers,
        minimum={"er_median": min_engagement} if min_engagement is not None else {},
    )
    listed = creator_list(
        wh,
        flt,
        sort=sort,
        descending=order == "desc",
        limit=limit,
        offset=offset,
        columns=SUMMARY_COLUMNS if columns == "summary" else ALL_COLUMNS,
    )
    return {
        "items": listed.rows.to_pylist(),
        "total": listed.total,
        "limit": limit,
        "offset": offset,
        "next_offset": listed.next_offset,
    }


@router.get("/{platform}/{handle}", response_model=CreatorDetail, summary="One creator")
def get_one(
    platform: PlatformName, handle: str, wh: Annotated[Warehouse, Depends(warehouse)]
) -> CreatorDetail:
    """Profile, every metric with meaning, window and sample size, and the latest posts."""
    return creator_detail(wh, handle, platform)


@router.get("/{platform}/{handle}/vet", response_model=VetResponse, summary="Vet one creator")
def vet_one(
    platform: PlatformName,
    handle: str,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
) -> VetResponse:
    """Audience quality 0-100, verdict, reasons with evidence, and the signals unavailable."""
    models = real.follower_models
    return vet(wh, cfg, handle, platform, model=models.current(), model_identity=models.identity())


@router.get(
    "/{platform}/{handle}/similar", response_model=SearchResponse, summary="Lookalike creators"
)
def similar(
    platform: PlatformName,
    handle: str,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
    current: Annotated[ViewStore | None, Depends(views)],
    options: Annotated[LookalikeOptions, Query()],
) -> dict[str, Any]:
    """Creators close in content (and audience, when samples exist) to this one; the query takes
    every option of ``microscout similar`` but the seed's platform, which is in the path."""
    seed = {"handle": handle, "platform": platform}
    request = parse_request(LookalikeRequest, {**options.model_dump(), **seed})
    result = similar_creators(
        wh,
        cfg,
        request.handle,
        request.filters(),
        request.limit,
        request.platform,
        index=real.index_store,
        embedder=real.embedder,
        views=current,
    )
    return search_response(result)


@router.get("/compare", response_model=CompareResponse, summary="Compare 2-6 creators")
def compare_creators(
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    creator: Annotated[
        list[str],
        Query(min_length=2, max_length=6, description="PLATFORM:HANDLE (or a bare handle)."),
    ],
) -> dict[str, Any]:
    """Key figures side by side with the pairwise audience overlap (Jaccard) and its basis."""
    return compare(wh, cfg, creator).as_dict()
