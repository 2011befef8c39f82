"""Shortlist pages: the lists, one list with notes and figures, adding from other pages, CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.errors import MicroscoutError, ParameterError
from microscout.services import shortlists as service
from microscout.services.browse.creators import split_key
from microscout.web.pages.render import page
from microscout.web.state import warehouse, workspace

router = APIRouter()


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/shortlists", response_class=HTMLResponse)
def lists_page(request: Request, ws: Annotated[Workspace, Depends(workspace)]) -> HTMLResponse:
    context = {"lists": service.list_shortlists(ws), "error": None}
    return page(request, "shortlists.html", "Shortlists", context)


@router.post("/shortlists", response_model=None)
def create_list(
    request: Request,
    ws: Annotated[Workspace, Depends(workspace)],
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        created = service.create_shortlist(ws, name, description)
    except MicroscoutError as exc:
        context = {
            "lists": service.list_shortlists(ws),
            "error": exc.message,
            "form": {"name": name},
        }
        return page(request, "shortlists.html", "Shortlists", context, exc.http_status)
    return _see(f"/shortlists/{created.id}")


@router.post("/shortlists/add", response_model=None)
def add_to_named(
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    c: Annotated[list[str] | None, Form()] = None,
    shortlist_name: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """From search, profile, compare or plan: add the chosen creators to the named list,
    creating it when no list has that name."""
    chosen = [key for key in c or [] if key.strip()]
    if not chosen:
        raise ParameterError("c", "select at least one creator to add")
    target = service.shortlist_named(ws, shortlist_name)
    service.add_creators(ws, wh, target.id, chosen, note=note.strip() or None)
    return _see(f"/shortlists/{target.id}")


@router.get("/shortlists/{shortlist_id}", response_class=HTMLResponse)
def list_page(
    request: Request,
    shortlist_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> HTMLResponse:
    detail = service.get_shortlist(ws, wh, shortlist_id)
    context: dict[str, Any] = {"detail": detail, "s": detail.shortlist, "error": None}
    return page(request, "shortlist.html", detail.shortlist.name, context)


@router.post("/shortlists/{shortlist_id}/note", response_model=None)
def set_note(
    shortlist_id: int,
    c: Annotated[str, Form()],
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    note: Annotated[str, Form()] = "",
) -> Response:
    platform, handle = split_key(c)
    service.set_note(ws, shortlist_id, handle, note, platform=platform, warehouse=wh)
    return _see(f"/shortlists/{shortlist_id}")


@router.post("/shortlists/{shortlist_id}/remove", response_model=None)
def remove(
    shortlist_id: int,
    c: Annotated[str, Form()],
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> Response:
    platform, handle = split_key(c)
    service.remove_creator(ws, shortlist_id, handle, platform=platform, warehouse=wh)
    return _see(f"/shortlists/{shortlist_id}")


@router.post("/shortlists/{shortlist_id}/delete", response_model=None)
def delete(shortlist_id: int, ws: Annotated[Workspace, Depends(workspace)]) -> Response:
    service.delete_shortlist(ws, shortlist_id)
    return _see("/shortlists")


@router.get("/shortlists/{shortlist_id}/export.csv")
def export(
    shortlist_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
) -> Response:
    return Response(
        service.export_csv(ws, wh, shortlist_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="shortlist-{shortlist_id}.csv"'},
    )
