"""The web app's outer wall, in front of every route: which hosts it answers, which writes it
takes, and the security headers on every response (docs/security.md).

- **Host allowlist** (setting ``allowed_hosts``, loopback names by default): any other ``Host``
  gets 400. A page on another site that rebinds its own name to 127.0.0.1 (DNS rebinding) then
  reaches nothing, because its requests carry its own name.
- **Cross-site writes refused**: a POST, PUT, PATCH or DELETE that a browser marks as coming from
  another site (``Sec-Fetch-Site: cross-site``) or whose ``Origin`` (else ``Referer``) is not
  this site's own gets 403. Browsers send these headers on every cross-origin form post and
  fetch; a client that sends none (curl, a script) is not a browser being tricked.
- **Headers** on every response, errors and cached pages included: a Content-Security-Policy
  that lets a page load nothing from outside (scripts, styles, images and requests all
  ``'self'``; no inline script, no eval, no framing; inline styles only, which plotly.js
  needs), ``nosniff``, no framing, a same-origin referrer
  policy and no access to camera, microphone or location.

Plain ASGI, not a Starlette ``BaseHTTPMiddleware``: it reads headers and adds some, and must not
cost the first page view anything measurable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microscout.web.errors import error_body

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # plotly.js writes the rules that style its charts into a <style> element at run time
        # (it warns "Cannot addRelatedStyleRule, probably due to strict CSP" without this);
        # styles, unlike scripts, cannot run code.
        "style-src 'self' 'unsafe-inline'",
        # Plotly and Swagger UI draw small icons as data: images.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port ("[::1]:8000" -> "::1"), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _origin_of(url: str) -> str | None:
    """``host[:port]`` of an Origin or Referer value; None when it names no host ("null")."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower() or None


class EdgeGuard:
    """ASGI middleware: the host allowlist, the cross-site write check and the security headers
    (module docstring). ``allowed_hosts`` holding "*" answers every host."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.any_host = "*" in allowed_hosts
        self.allowed = frozenset(host_name(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send_with_headers)
            return
        status, message = refusal
        await respond_plain(scope, send_with_headers, status, message)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) when the request is refused at the edge, else None."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.any_host and host_name(host) not in self.allowed:
            return 400, (
                f"this server does not answer for host {host_name(host) or '(none)'!r}; "
                "add it to the allowed_hosts setting if it is yours"
            )
        if scope["method"] not in UNSAFE_METHODS:
            return None
        if headers.get("sec-fetch-site", "").lower() == "cross-site":
            return 403, "cross-site request refused: a page on another site cannot change data"
        claimed = headers.get("origin") or headers.get("referer")
        if claimed is not None and _origin_of(claimed) != host.strip().lower():
            return 403, (
                f"cross-site request refused: it comes from {claimed.strip()!r}, not from this site"
            )
        return None


async def respond_plain(
    scope: Scope,
    send: Send,
    status: int,
    message: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer before any route: the API's JSON error body under /api, plain text elsewhere."""
    path = str(scope.get("path", ""))
    if path.startswith("/api"):
        body = json.dumps(error_body(status, message)).encode()
        kind = b"application/json"
    else:
        body = message.encode()
        kind = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "UNSAFE_METHODS",
    "EdgeGuard",
    "host_name",
    "respond_plain",
]
