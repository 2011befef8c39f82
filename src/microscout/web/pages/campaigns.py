"""Campaign pages: the list, the board (a column per status; moving a creator is one form),
the brief editor with its check and preview, and the report (services/campaigns)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.campaigns import STATUSES
from microscout.core.campaigns.brief import APPROVALS, CREATOR_DECIDES
from microscout.errors import MicroscoutError, NotFoundError, ParameterError
from microscout.services.campaigns import manage
from microscout.services.campaigns import report as reporting
from microscout.services.campaigns.briefs import set_brief, view_brief
from microscout.services.campaigns.report import campaign_report
from microscout.services.charts.campaign import report_charts
from microscout.web.pages.charts import chart_view
from microscout.web.pages.render import page
from microscout.web.state import settings, warehouse, workspace

router = APIRouter()


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ParameterError(name, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _amount(text: str, name: str) -> float:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        raise ParameterError(name, f"{text!r} is not an amount") from None


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, ws: Annotated[Workspace, Depends(workspace)]) -> HTMLResponse:
    context: dict[str, Any] = {"campaigns": manage.list_campaigns(ws), "error": None, "form": {}}
    return page(request, "campaigns.html", "Campaigns", context)


@router.post("/campaigns", response_model=None)
def create(
    request: Request,
    ws: Annotated[Workspace, Depends(workspace)],
    name: Annotated[str, Form(max_length=200)] = "",
    budget: Annotated[str, Form(max_length=40)] = "",
    start: Annotated[str, Form(max_length=40)] = "",
    end: Annotated[str, Form(max_length=40)] = "",
    brand: Annotated[str, Form(max_length=200)] = "",
    hashtag: Annotated[str, Form(max_length=200)] = "",
    brand_handle: Annotated[str, Form(max_length=200)] = "",
    landing_url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"name": name, "budget": budget, "start": start, "end": end, "brand": brand}
    try:
        made = manage.create_campaign(
            ws,
            name,
            _amount(budget, "--budget"),
            _day(start, "--start"),
            _day(end, "--end"),
            brand=brand or None,
            hashtag=hashtag or None,
            brand_handle=brand_handle or None,
            landing_url=landing_url or None,
        )
    except MicroscoutError as exc:
        context = {"campaigns": manage.list_campaigns(ws), "error": exc.message, "form": form}
        return page(request, "campaigns.html", "Campaigns", context, exc.http_status)
    return _see(f"/campaigns/{made.id}")


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def board(
    request: Request, campaign_id: int, ws: Annotated[Workspace, Depends(workspace)]
) -> HTMLResponse:
    return _board(request, ws, campaign_id, None, 200)


def _board(
    request: Request, ws: Workspace, campaign_id: int, error: str | None, status: int
) -> HTMLResponse:
    summary = manage.get_campaign(ws, campaign_id)
    people = manage.members(ws, campaign_id)
    columns = [(s, [m for m in people if m.status == s]) for s in STATUSES]
    context = {
        "c": summary,
        "columns": columns,
        "statuses": STATUSES,
        "error": error,
        "tab": "board",
    }
    return page(request, "campaign_board.html", summary.name, context, status)


def _on_board(
    request: Request, ws: Workspace, campaign_id: int, action: Callable[[], object]
) -> Response:
    """Do ``action`` and go back to the board; a refusal is shown on the board instead, with
    its status (400 for a move the figures forbid, 404 for an unknown creator)."""
    try:
        action()
    except (ParameterError, NotFoundError) as exc:
        return _board(request, ws, campaign_id, exc.message, exc.http_status)
    return _see(f"/campaigns/{campaign_id}")


@router.post("/campaigns/{campaign_id}/move", response_model=None)
def move(
    request: Request,
    campaign_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    c: Annotated[str, Form(max_length=300)],
    status: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """One action moves a creator to another column (refused moves are shown on the board)."""
    return _on_board(
        request, ws, campaign_id, lambda: manage.move(ws, campaign_id, c, status, note)
    )


@router.post("/campaigns/{campaign_id}/agree", response_model=None)
def agree(
    request: Request,
    campaign_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    c: Annotated[str, Form(max_length=300)],
    fee: Annotated[str, Form(max_length=40)],
) -> Response:
    return _on_board(
        request, ws, campaign_id, lambda: manage.agree(ws, campaign_id, c, _amount(fee, "--fee"))
    )


@router.post("/campaigns/{campaign_id}/add", response_model=None)
def add(
    request: Request,
    campaign_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    handles: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    chosen = [h for h in handles.replace(",", " ").split() if h.strip()]

    def add_them() -> object:
        if not chosen:
            raise ParameterError("handles", "name at least one creator")
        return manage.add_creators(ws, wh, campaign_id, handles=chosen)

    return _on_board(request, ws, campaign_id, add_them)


# -- the brief -----------------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _deliverables(text: str) -> list[dict[str, Any]]:
    """One deliverable per line: "format, count, due" ("reel, 1, by 20 April")."""
    out = []
    for line in _lines(text):
        parts = [p.strip() for p in line.split(",", 2)]
        count = parts[1] if len(parts) > 1 and parts[1] else "1"
        if not count.isdigit():
            raise ParameterError("deliverables", f"'{line}': write format, count, due")
        out.append(
            {"format": parts[0], "count": int(count), "due": parts[2] if len(parts) > 2 else ""}
        )
    return out


@router.get("/campaigns/{campaign_id}/brief", response_class=HTMLResponse)
def brief_page(
    request: Request, campaign_id: int, ws: Annotated[Workspace, Depends(workspace)]
) -> HTMLResponse:
    summary = manage.get_campaign(ws, campaign_id)
    try:
        shown = view_brief(ws, campaign_id)
    except NotFoundError:
        shown = None
    return _brief(request, summary, shown, shown.brief.as_dict() if shown else {}, None, 200)


def _brief(
    request: Request,
    summary: manage.CampaignSummary,
    shown: Any,
    fields: dict[str, Any],
    error: str | None,
    status: int,
) -> HTMLResponse:
    context = {
        "c": summary,
        "shown": shown,
        "f": fields,
        "approvals": APPROVALS,
        "decides": CREATOR_DECIDES,
        "error": error,
        "tab": "brief",
    }
    return page(request, "campaign_brief.html", f"Brief · {summary.name}", context, status)


@router.post("/campaigns/{campaign_id}/brief", response_model=None)
async def save_brief(
    request: Request, campaign_id: int, ws: Annotated[Workspace, Depends(workspace)]
) -> Response:
    form = await request.form()
    text = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    fields: dict[str, Any] = {
        "goal": text.get("goal", ""),
        "audience": text.get("audience", ""),
        "must_mentions": _lines(text.get("must_mentions", "")),
        "donts": _lines(text.get("donts", "")),
        "approval": text.get("approval", "none"),
        "creator_decides": [d for d in form.getlist("creator_decides") if isinstance(d, str)],
        "usage_rights": text.get("usage_rights", ""),
        "fee_terms": text.get("fee_terms", ""),
        "background": text.get("background", ""),
    }
    summary = manage.get_campaign(ws, campaign_id)
    try:
        fields["deliverables"] = _deliverables(text.get("deliverables", ""))
        shown = set_brief(ws, campaign_id, fields)
    except ParameterError as exc:
        fields["deliverables_text"] = text.get("deliverables", "")
        return _brief(request, summary, None, fields, exc.message, 400)
    return _brief(request, summary, shown, shown.brief.as_dict(), None, 200)


# -- the report ----------------------------------------------------------------------------------
@router.get("/campaigns/{campaign_id}/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    campaign_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> HTMLResponse:
    done = campaign_report(ws, wh, campaign_id, cfg.campaign_emv_values)
    charts = [chart_view(chart) for chart in report_charts(done)]
    context = {"c": done.campaign, "r": done, "charts": charts, "error": None, "tab": "report"}
    return page(request, "campaign_report.html", f"Report · {done.campaign.name}", context)


@router.get("/campaigns/{campaign_id}/report.csv")
def report_csv(
    campaign_id: int,
    ws: Annotated[Workspace, Depends(workspace)],
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> Response:
    done = campaign_report(ws, wh, campaign_id, cfg.campaign_emv_values)
    return Response(
        reporting.report_csv(done),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign_id}.csv"'},
    )
