"""Errors at the web edge: the error tree becomes an HTTP status with a JSON body under ``/api``
and an HTML page elsewhere. Nothing else is translated here; an unexpected exception is a bug and
gets a plain 500 without its traceback.

Status codes: ``InputError`` (and its ``ParameterError``) 400, ``TooBusyError`` 429 with
``Retry-After``, a request the schema rejects
(wrong type, out-of-range value, malformed JSON) 422, ``NotFoundError`` 404, ``StoreError`` 503.
A 5xx answer says only that the server cannot answer now: its message (file paths, process ids,
settings) goes to the server's log, not to the visitor.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from microscout.errors import MicroscoutError, ParameterError, TooBusyError
from microscout.web.templating import templates

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


_SERVER_SIDE = (
    "the server cannot answer this right now (a store it reads is unavailable or being "
    "replaced); try again shortly; the server's log says why"
)


def error_body(status: int, message: str, parameter: str | None = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": _CODES.get(status, "error"),
            "message": message,
            "parameter": parameter,
        }
    }


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _respond(
    request: Request,
    status: int,
    message: str,
    parameter: str | None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        return JSONResponse(
            error_body(status, message, parameter), status_code=status, headers=headers
        )
    return HTMLResponse(
        templates.get_template("error.html").render(
            request=request, status=status, message=message, title=f"Error {status}"
        ),
        status_code=status,
        headers=headers,
    )


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    problems, first = [], None
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(loc) or "body"
        first = first or name
        if err.get("type") == "json_invalid":
            problems.append(f"the body is not valid JSON ({err.get('ctx', {}).get('error', '')})")
        else:
            problems.append(f"{name}: {err.get('msg')}")
    return "; ".join(problems) or "invalid request", first


def install(app: FastAPI) -> None:
    """Register the translations on the app."""

    @app.exception_handler(MicroscoutError)
    async def _known(request: Request, exc: MicroscoutError) -> Response:
        if exc.http_status >= 500:
            # The server's own trouble: its message names files, processes and settings,
            # which a visitor must not see; the log keeps it for whoever runs the server.
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc.message)
            return _respond(request, exc.http_status, _SERVER_SIDE, None)
        parameter = exc.name if isinstance(exc, ParameterError) else None
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooBusyError) else None
        if exc.http_status == 401:
            headers = {"WWW-Authenticate": 'Bearer realm="microscout"'}
        return _respond(request, exc.http_status, exc.message, parameter, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        message, parameter = _validation_message(exc)
        return _respond(request, 422, message, parameter)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return _respond(request, exc.status_code, message, None)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _respond(request, 500, "internal error: this is a bug in microscout", None)
