"""Who a request comes from and what it may do (docs/security.md; the rules are in
``core/access.py``).

``Gatekeeper`` (ASGI middleware, inside the outer wall of ``edge.py``) names the principal of
every request before any route or cached page answers it:

- ``Authorization: Bearer <token>``: the API token's user and scope; an unknown or revoked token
  gets 401 whatever it asks for.
- else the session cookie of a signed-in browser;
- else, while the workspace has no users at all, the local owner (one person on their own
  machine; ``serve`` refuses any non-loopback address in that mode);
- else nobody: pages redirect to the login page and the API answers 401. The login page, static
  files and the API's description stay open.

It also writes the access log (``access_log`` setting; ``access_log.py``).

Routes then ask ``permitted`` (a dependency on every router): a request that changes anything
needs a role that may write (editor, owner) and, from a browser (session or local mode), the
form's CSRF token — an HMAC of the session with the server's key, which a page on another site
can neither read nor make. API tokens need no CSRF token: a browser never sends them by itself.
Requests that only compute (a plan, the compare shortcut) are not writes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Request
from markupsafe import Markup
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microscout.adapters.workspace import Workspace
from microscout.core.access import LOCAL_OWNER, Principal, Via
from microscout.errors import AuthenticationError, ForbiddenError, MicroscoutError
from microscout.services import accounts
from microscout.web.access_log import AccessLog, access_line
from microscout.web.cache import VIEWER_KEY
from microscout.web.edge import UNSAFE_METHODS, respond_plain
from microscout.web.state import PRINCIPAL_KEY, AppState, app_state

log = logging.getLogger(__name__)
SESSION_COOKIE = "microscout_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# Open to everyone: signing in, campaign short links (their visitors are the audience), the
# files pages load, and the API's description.
STATIC_PATHS = ("/static/", "/vendor/")
PUBLIC_PATHS = ("/login", "/r/", *STATIC_PATHS, "/api/v1/openapi.json", "/api/v1/docs")
# What a route's endpoint is marked as (``stores_nothing``, ``self_service``).
ACCESS_MARK = "__microscout_access__"
LOCAL_VIEWER = "local"

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def stores_nothing(endpoint: Endpoint) -> Endpoint:
    """Mark a POST route that only computes (a plan, the compare shortcut): it needs neither
    a writing role nor a CSRF token, since a forged one changes nothing."""
    setattr(endpoint, ACCESS_MARK, "stores nothing")
    return endpoint


def self_service(endpoint: Endpoint) -> Endpoint:
    """Mark a route that changes only the caller's own session or tokens: it needs a CSRF
    token but no writing role (a viewer may sign out and make a read token)."""
    setattr(endpoint, ACCESS_MARK, "self service")
    return endpoint


def _is_public(path: str) -> bool:
    return any(path == p or path.startswith(p) for p in PUBLIC_PATHS)


def _cookie(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value
    return None


Identity = tuple[Principal | None, str]


class Identities:
    """What the workspace said about each credential (a token, a session cookie, none), kept
    while the workspace is unchanged: a page view then costs no query. Any commit to the store
    (a sign-out, a revoked token, a new user, also from another process) clears it, as seen by
    the store's change counter; entries also lapse after ENTRY_SECONDS, so a session is never
    honoured much past its end. A server database has no cheap counter: every request asks."""

    ENTRY_SECONDS = 60.0
    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[Identity, float]] = {}
        self._version: int | None = None
        self._counter: Callable[[], int | None] | None = None
        self._watched: Workspace | None = None

    def answer(
        self, workspace: Workspace, key: tuple[str, str], compute: Callable[[], Identity]
    ) -> Identity:
        if self._watched is not workspace:  # the first request, or the store was reopened
            with self._lock:
                if self._watched is not workspace:
                    self._counter, self._watched = workspace.change_counter(), workspace
                    self._seen.clear()
        if self._counter is None:
            return compute()
        version, now = self._counter(), time.monotonic()
        if version is None:  # the store was closed under this request: ask it afresh
            return compute()
        with self._lock:
            if version != self._version:
                self._seen.clear()
                self._version = version
            hit = self._seen.get(key)
        if hit is not None and now - hit[1] < self.ENTRY_SECONDS:
            return hit[0]
        found = compute()
        with self._lock:
            if self._version == version and len(self._seen) < self.MAX_ENTRIES:
                self._seen[key] = (found, now)
        return found


class Gatekeeper:
    """ASGI middleware naming each request's principal (module docstring)."""

    def __init__(self, app: ASGIApp, state: AppState, log: AccessLog | None) -> None:
        self.app = app
        self.state = state
        self.log = log
        self.identities = Identities()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.time()
        sent: dict[str, int] = {"status": 0, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self._guarded(scope, receive, counting)
        finally:
            if self.log is not None:
                principal: Principal | None = scope.get(PRINCIPAL_KEY)
                self.log.write(
                    access_line(scope, principal, sent["status"], sent["bytes"], started)
                )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        path = str(scope.get("path", ""))
        if path.startswith(STATIC_PATHS):  # files, the same for everyone: nobody to name
            await self.app(scope, receive, send)
            return
        try:
            principal, viewer = self.identify(headers)
        except MicroscoutError as exc:  # the workspace is unreachable, or a bad token
            status = exc.http_status
            if status >= 500:  # the visitor is told little; whoever runs the server, why
                log.error("cannot name the user of %s: %s", path, exc.message)
            message = exc.message if status < 500 else "the workspace cannot be read right now"
            extra = [(b"www-authenticate", b'Bearer realm="microscout"')] if status == 401 else []
            await respond_plain(scope, send, status, message, extra)
            return
        if principal is None and not _is_public(path):
            if path.startswith("/api"):
                await respond_plain(
                    scope,
                    send,
                    401,
                    "sign in first: send an API token (Authorization: Bearer ...); "
                    "`microscout token create` makes one",
                    [(b"www-authenticate", b'Bearer realm="microscout"')],
                )
                return
            target = path + (
                "?" + scope["query_string"].decode("latin-1") if scope["query_string"] else ""
            )
            where = "/login" + (
                f"?next={quote(target, safe='')}" if scope["method"] == "GET" else ""
            )
            await respond_plain(scope, send, 303, "sign in first", [(b"location", where.encode())])
            return
        scope[PRINCIPAL_KEY] = principal
        scope[VIEWER_KEY] = viewer
        await self.app(scope, receive, send)

    def identify(self, headers: Headers) -> Identity:
        """The principal and what its pages are bound to; AuthenticationError for a bad
        token."""
        workspace = self.state.workspace()
        authorization = headers.get("authorization", "")
        key = authorization, _cookie(headers, SESSION_COOKIE) or ""
        return self.identities.answer(workspace, key, lambda: self._lookup(workspace, headers))

    @staticmethod
    def _lookup(workspace: Workspace, headers: Headers) -> Identity:
        authorization = headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
            principal = accounts.token_principal(workspace, token)
            if principal is None:
                raise AuthenticationError("this API token is unknown or was revoked")
            return principal, "token:" + accounts.digest(token)
        key = _cookie(headers, SESSION_COOKIE)
        if key:
            principal = accounts.session_principal(workspace, key)
            if principal is not None:
                return principal, "session:" + accounts.digest(key)
        if not accounts.users_exist(workspace):
            return LOCAL_OWNER, LOCAL_VIEWER
        return None, ""


# -- per route -----------------------------------------------------------------------------------
def principal_of(request: Request) -> Principal:
    """The request's principal (set by ``Gatekeeper``; public routes may have none)."""
    found: Principal | None = request.scope.get(PRINCIPAL_KEY)
    if found is None:
        raise AuthenticationError("sign in first")
    return found


def csrf_token(request: Request) -> str:
    """The CSRF token for forms on this request's page: an HMAC of what the page is bound to
    (the session, or "local"), so it lasts as long as the session and a cached page keeps a
    valid one."""
    viewer = str(request.scope.get(VIEWER_KEY, ""))
    return _sign(app_state(request).signing_key(), viewer)


def _sign(key: bytes, viewer: str) -> str:
    mac = hmac.new(key, f"csrf|{viewer}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_input(request: Request) -> Markup:
    """The hidden form field carrying the CSRF token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, csrf_token(request)
    )


def _unforgeable_json(request: Request, principal: Principal) -> bool:
    """A local-mode API call that no page on another site can make: a browser sends a JSON
    body, a PATCH or a DELETE to another origin only after a CORS preflight, which this server
    never approves. Scripts on this machine then need no CSRF token; signed-in browsers
    (sessions) always do."""
    if principal.via is not Via.LOCAL or not request.url.path.startswith("/api/"):
        return False
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return request.method != "POST" or kind == "application/json"


async def permitted(request: Request) -> None:
    """Every route's dependency: a request that changes something needs a writing role and,
    from a browser, a valid CSRF token (module docstring)."""
    if request.method not in UNSAFE_METHODS:
        return
    mark = getattr(request.scope.get("endpoint"), ACCESS_MARK, None)
    if mark == "stores nothing":
        return
    principal = principal_of(request)
    if principal.via is not Via.TOKEN and not _unforgeable_json(request, principal):
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and "form" in request.headers.get("content-type", ""):
            field = (await request.form()).get(CSRF_FIELD)
            sent = field if isinstance(field, str) else None
        if not sent or not hmac.compare_digest(sent, csrf_token(request)):
            raise ForbiddenError(
                "this form has expired or did not come from microscout (its CSRF token is "
                "missing or wrong): reload the page and try again"
            )
    if not principal.can_write and mark != "self service":
        what = "token" if principal.via is Via.TOKEN else "role"
        raise ForbiddenError(
            f"{principal.name} ({principal.role.value}, {principal.scope.value} {what}) may "
            "not change anything: ask an owner for the editor role"
            + (" or use a write token" if principal.via is Via.TOKEN else "")
        )


__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Gatekeeper",
    "csrf_input",
    "csrf_token",
    "permitted",
    "principal_of",
    "self_service",
    "stores_nothing",
]
