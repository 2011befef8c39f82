"""Signing in and out, one's own API tokens, and (for owners) the audit log."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.access import Via
from microscout.errors import ForbiddenError, MicroscoutError, TooBusyError
from microscout.services import accounts
from microscout.services.audit import recent_changes
from microscout.web.access import SESSION_COOKIE, principal_of, self_service
from microscout.web.pages.render import page
from microscout.web.state import app_state, settings, workspace

# The login form is outside the routers that check CSRF tokens (there is no session yet to
# bind one to); the outer wall's Origin check still keeps other sites' forms out.
login_router = APIRouter()
router = APIRouter()
AUDIT_ROWS = 200


def safe_next(target: str) -> str:
    """Where to go after signing in: a path on this site only ("//evil.example" and
    "https://…" would send a fresh session's user elsewhere)."""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith(("//", "/\\")) or parts.netloc:
        return "/search"
    return target


@login_router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/search") -> HTMLResponse:
    return page(request, "login.html", "Sign in", {"next": safe_next(next), "error": None})


@login_router.post("/login", response_model=None)
def login(
    request: Request,
    cfg: Annotated[Settings, Depends(settings)],
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/search",
) -> Response:
    state = app_state(request)
    address = request.client.host if request.client else "unknown"
    try:
        with state.logins.attempt(address):
            _, key = accounts.sign_in(
                state.workspace(), state.passwords(), name, password, cfg.session_hours
            )
    except MicroscoutError as exc:
        if exc.http_status == 401:
            state.logins.failed(address)
        context = {"next": safe_next(next), "error": exc.message, "name": name}
        refused = page(request, "login.html", "Sign in", context, exc.http_status)
        if isinstance(exc, TooBusyError):
            refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    state.logins.succeeded(address)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        key,
        max_age=int(cfg.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=cfg.cookie_secure,
    )
    return response


@router.post("/logout", response_model=None)
@self_service
def logout(request: Request) -> Response:
    key = request.cookies.get(SESSION_COOKIE)
    if key:
        accounts.sign_out(app_state(request).workspace(), key)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _signed_in_user(request: Request) -> str:
    principal = principal_of(request)
    if principal.via is not Via.SESSION:
        raise ForbiddenError(
            "API tokens belong to users: add one with `microscout user add` and sign in first "
            "(with no users the API needs no token)"
        )
    return principal.name


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, ws: Annotated[Workspace, Depends(workspace)]) -> HTMLResponse:
    principal = principal_of(request)
    tokens = accounts.list_tokens(ws, principal.name) if principal.via is Via.SESSION else []
    context = {"principal": principal, "tokens": tokens, "made": None, "error": None}
    return page(request, "account.html", "Account", context)


@router.post("/account/tokens", response_model=None)
@self_service
def make_token(
    request: Request,
    ws: Annotated[Workspace, Depends(workspace)],
    scope: Annotated[str, Form(max_length=20)] = "read",
    label: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A new token of one's own, shown on this page once."""
    name = _signed_in_user(request)
    principal = principal_of(request)
    made, error = None, None
    try:
        made = accounts.create_token(ws, name, scope, label)
    except MicroscoutError as exc:
        error = exc.message
    tokens = accounts.list_tokens(ws, name)
    context = {"principal": principal, "tokens": tokens, "made": made, "error": error}
    return page(request, "account.html", "Account", context, 201 if made else 400)


@router.post("/account/tokens/{token_id}/revoke", response_model=None)
@self_service
def revoke(
    request: Request, token_id: int, ws: Annotated[Workspace, Depends(workspace)]
) -> Response:
    accounts.revoke_token(ws, token_id, _signed_in_user(request))
    return RedirectResponse("/account", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, ws: Annotated[Workspace, Depends(workspace)]) -> HTMLResponse:
    """The latest changes to the workspace; owners only."""
    principal = principal_of(request)
    if not principal.can_administer:
        raise ForbiddenError("only owners may read the audit log")
    context = {"changes": recent_changes(ws, AUDIT_ROWS), "rows": AUDIT_ROWS}
    return page(request, "audit.html", "Audit log", context)
