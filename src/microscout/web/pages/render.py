"""Rendering a page: the template, its title, and the navigation every page shares."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from microscout.web.templating import templates

NAV = (
    ("/search", "Search"),
    ("/compare", "Compare"),
    ("/plan", "Plan"),
    ("/shortlists", "Shortlists"),
    ("/campaigns", "Campaigns"),
    ("/api/v1/docs", "API"),
)


def page(
    request: Request, template: str, title: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, template, {"title": title, "nav": NAV, **context}, status_code=status
    )
