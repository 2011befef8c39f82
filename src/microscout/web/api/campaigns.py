"""Campaigns: creators as partners along a pipeline, and the report (docs/campaigns.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.errors import ParameterError
from microscout.services.campaigns import manage
from microscout.services.campaigns.report import campaign_report
from microscout.web.api.campaign_schemas import (
    Agreement,
    CampaignCreate,
    CampaignDetailPublic,
    CampaignPublic,
    CampaignReportPublic,
    MemberPublic,
    MembersAdded,
    MembersCreate,
    StatusMove,
)
from microscout.web.api.params import PlatformName
from microscout.web.api.schemas import ERRORS
from microscout.web.state import settings, warehouse, workspace

router = APIRouter(prefix="/campaigns", tags=["campaigns"], responses=ERRORS)
CampaignId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The campaign's id.")]
Handle = Annotated[str, Path(min_length=1, max_length=200, description="The creator's handle.")]


@router.get("", response_model=list[CampaignPublic], summary="All campaigns")
def list_(ws: Annotated[Workspace, Depends(workspace)]) -> list[dict[str, Any]]:
    return [c.as_dict() for c in manage.list_campaigns(ws)]


@router.post("", response_model=CampaignPublic, status_code=201, summary="New campaign")
def create(body: CampaignCreate, ws: Annotated[Workspace, Depends(workspace)]) -> dict[str, Any]:
    """A campaign with its budget and dates; its name must be unique (ignoring case)."""
    return manage.create_campaign(
        ws,
        body.name,
        body.budget,
        body.starts_on,
        body.ends_on,
        brand=body.brand,
        objective=body.objective,
        currency=body.currency,
        hashtag=body.hashtag,
        brand_handle=body.brand_handle,
        landing_url=body.landing_url,
    ).as_dict()


@router.get("/{campaign_id}", response_model=CampaignDetailPublic, summary="One campaign")
def get_one(
    campaign_id: CampaignId, ws: Annotated[Workspace, Depends(workspace)]
) -> dict[str, Any]:
    """The campaign and its creators: status, source, predictions, agreed fee, codes."""
    return {
        "campaign": manage.get_campaign(ws, campaign_id).as_dict(),
        "creators": [m.as_dict() for m in manage.members(ws, campaign_id)],
    }


@router.post("/{campaign_id}/creators", response_model=MembersAdded, summary="Add creators")
def add(
    campaign_id: CampaignId,
    body: MembersCreate,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> dict[str, Any]:
    """By handle, or a shortlist's creators; one already there keeps its place."""
    if bool(body.creators) == (body.shortlist_id is not None):
        raise ParameterError("creators", "give creators or a shortlist_id, not both or neither")
    done = manage.add_creators(
        ws, wh, campaign_id, shortlist_id=body.shortlist_id, handles=body.creators
    )
    return {"added": done.added, "already": done.already}


@router.post(
    "/{campaign_id}/creators/{platform}/{handle}/status",
    response_model=MemberPublic,
    summary="Move a creator",
)
def move(
    campaign_id: CampaignId,
    platform: PlatformName,
    handle: Handle,
    body: StatusMove,
    ws: Annotated[Workspace, Depends(workspace)],
) -> dict[str, Any]:
    """Move a creator along the pipeline; the move is kept in their history."""
    return manage.move(ws, campaign_id, f"{platform}:{handle}", body.status, body.note).as_dict()


@router.post(
    "/{campaign_id}/creators/{platform}/{handle}/agreement",
    response_model=MemberPublic,
    summary="Record an agreement",
)
def agree(
    campaign_id: CampaignId,
    platform: PlatformName,
    handle: Handle,
    body: Agreement,
    ws: Annotated[Workspace, Depends(workspace)],
) -> dict[str, Any]:
    """The agreed fee, posts, deliverables, due date, usage rights and disclosure; the creator
    moves to "agreed" unless further on."""
    terms = manage.Terms(
        deliverables=body.deliverables,
        due_on=body.due_on,
        usage_rights=body.usage_rights,
        disclosure=body.disclosure,
    )
    key = f"{platform}:{handle}"
    return manage.agree(ws, campaign_id, key, body.fee, body.posts, body.note, terms).as_dict()


@router.get("/{campaign_id}/report", response_model=CampaignReportPublic, summary="The report")
def report(
    campaign_id: CampaignId,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> dict[str, Any]:
    """Spend, reach, engagements, clicks, sessions, orders, revenue and their ratios, per
    creator and in total, with predicted against actual and the posts that counted."""
    return campaign_report(ws, wh, campaign_id, cfg.campaign_emv_values).as_dict()
