"""The campaign short links: ``/r/<code>`` counts the click (once per visitor and day, bots
ignored, no address stored; services/campaigns/tracking.py) and sends the visitor on to the
creator's UTM-tagged landing page. Open to everyone: the people clicking are the audience."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from microscout.services.campaigns.tracking import follow_link
from microscout.web.state import app_state

router = APIRouter()


@router.get("/r/{code}", response_model=None, include_in_schema=False)
def short_link(request: Request, code: str) -> RedirectResponse:
    state = app_state(request)
    address = request.client.host if request.client else ""
    target = follow_link(
        state.workspace(),
        code[:40],
        state.signing_key(),
        address,
        request.headers.get("user-agent", ""),
        datetime.now(UTC).date(),
    )
    # 302, never cached: each visit must reach the server to be counted
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
