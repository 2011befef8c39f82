"""Shortlists: named lists of creators with a note each, kept in the workspace store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.services import shortlists as service
from microscout.web.api.params import PlatformName
from microscout.web.api.schemas import (
    ERRORS,
    EntriesAdded,
    EntriesCreate,
    EntryRef,
    NoteUpdate,
    ShortlistCreate,
    ShortlistDetailPublic,
    ShortlistPublic,
    ShortlistUpdate,
)
from microscout.web.state import warehouse, workspace

router = APIRouter(prefix="/shortlists", tags=["shortlists"], responses=ERRORS)
ShortlistId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The shortlist's id.")]


@router.get("", response_model=list[ShortlistPublic], summary="All shortlists")
def list_(ws: Annotated[Workspace, Depends(workspace)]) -> list[dict[str, Any]]:
    return [s.as_dict() for s in service.list_shortlists(ws)]


@router.post("", response_model=ShortlistPublic, status_code=201, summary="New shortlist")
def create(body: ShortlistCreate, ws: Annotated[Workspace, Depends(workspace)]) -> dict[str, Any]:
    """An empty shortlist; its name must be unique (ignoring case)."""
    return service.create_shortlist(ws, body.name, body.description).as_dict()


@router.get("/{shortlist_id}", response_model=ShortlistDetailPublic, summary="One shortlist")
def get_one(
    shortlist_id: ShortlistId,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> dict[str, Any]:
    """The shortlist with each creator's note and current figures."""
    return service.get_shortlist(ws, wh, shortlist_id).as_dict()


@router.patch("/{shortlist_id}", response_model=ShortlistPublic, summary="Rename or describe")
def update(
    shortlist_id: ShortlistId, body: ShortlistUpdate, ws: Annotated[Workspace, Depends(workspace)]
) -> dict[str, Any]:
    return service.update_shortlist(
        ws, shortlist_id, name=body.name, description=body.description
    ).as_dict()


@router.delete("/{shortlist_id}", response_model=ShortlistPublic, summary="Delete a shortlist")
def delete(
    shortlist_id: ShortlistId, ws: Annotated[Workspace, Depends(workspace)]
) -> dict[str, Any]:
    """Deletes the list and its entries; returns what was deleted."""
    return service.delete_shortlist(ws, shortlist_id).as_dict()


@router.post("/{shortlist_id}/creators", response_model=EntriesAdded, summary="Add creators")
def add(
    shortlist_id: ShortlistId,
    body: EntriesCreate,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> dict[str, Any]:
    """Adds creators by handle; one already there is not an error (its note is updated)."""
    return service.add_creators(ws, wh, shortlist_id, body.creators, note=body.note).as_dict()


@router.patch(
    "/{shortlist_id}/creators/{platform}/{handle}", response_model=EntryRef, summary="Set a note"
)
def note(
    shortlist_id: ShortlistId,
    platform: PlatformName,
    handle: str,
    body: NoteUpdate,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> dict[str, Any]:
    return service.set_note(
        ws, shortlist_id, handle, body.note, platform=platform, warehouse=wh
    ).as_dict()


@router.delete(
    "/{shortlist_id}/creators/{platform}/{handle}", response_model=EntryRef, summary="Remove one"
)
def remove(
    shortlist_id: ShortlistId,
    platform: PlatformName,
    handle: str,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> dict[str, Any]:
    return service.remove_creator(
        ws, shortlist_id, handle, platform=platform, warehouse=wh
    ).as_dict()


@router.get(
    "/{shortlist_id}/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The shortlist as CSV."}},
    summary="Export as CSV",
)
def export(
    shortlist_id: ShortlistId,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> Response:
    text = service.export_csv(ws, wh, shortlist_id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="shortlist-{shortlist_id}.csv"'},
    )
