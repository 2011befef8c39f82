"""The FastAPI application: ``create_app(settings)`` wires the API, the pages and static files."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from threadpoolctl import threadpool_limits

from microscout import __version__
from microscout.config import Settings, load_settings
from microscout.web import errors
from microscout.web.access import Gatekeeper, csrf_input, permitted
from microscout.web.access_log import AccessLog
from microscout.web.api import router as api_router
from microscout.web.cache import PageCache, ServeCachedPages
from microscout.web.edge import EdgeGuard
from microscout.web.pages import account, redirect
from microscout.web.pages import router as pages_router
from microscout.web.state import AppState, ViewsPool, WarehousePool
from microscout.web.templating import templates

STATIC = Path(__file__).parent / "static"
templates.env.globals["csrf_input"] = csrf_input
OPENAPI_URL = "/api/v1/openapi.json"


def swagger_ui_files() -> Path:
    """Swagger UI as shipped in the swagger-ui-py package (found, not imported: only its files
    are used, and importing it loads every web framework handler it has)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("swagger-ui-py is missing: `make test` or `make demo` installs it")
    return Path(spec.origin).parent / "static"


def plotly_js() -> Path:
    """plotly.js as shipped inside the plotly package: served locally, never from a CDN."""
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


def create_app(settings: Settings | None = None) -> FastAPI:
    cfg = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A search's vector product would use every core through BLAS, whose threads spin
        # against the other requests'; the app's parallelism is its requests.
        threadpool_limits(limits=1, user_api="blas")
        # Sync routes run on worker threads; at most serve_threads at once, the rest queued in
        # arrival order (anyio's limiter is first come, first served).
        to_thread.current_default_thread_limiter().total_tokens = cfg.serve_threads
        yield
        state.close()

    app = FastAPI(
        title="microscout",
        version=__version__,
        summary="Find, vet and plan portfolios of micro-influencers; every number explained.",
        lifespan=lifespan,
        openapi_url=OPENAPI_URL,
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN: ours is below
        redoc_url=None,
    )
    pages = PageCache(cfg.warehouse_file, cfg.web_page_cache)
    access_log = AccessLog(cfg.access_log_file) if cfg.access_log else None
    state = AppState(cfg, WarehousePool(cfg), pages, ViewsPool(cfg), access_log)
    app.state.microscout = state
    # Innermost first: a cached page is served only after Gatekeeper has named its viewer,
    # and the outer wall (added last) refuses foreign hosts and sites before anything else
    # and puts the security headers on every answer.
    app.add_middleware(ServeCachedPages, cache=state.pages)
    app.add_middleware(Gatekeeper, state=state, log=state.access_log)
    app.add_middleware(EdgeGuard, allowed_hosts=cfg.allowed_hosts)
    errors.install(app)
    checked = [Depends(permitted)]
    # A request is matched against the routes in order, each included router walked route by
    # route (about 0.3 ms of a profile page when the API's came first): the most asked-for first.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages_router, dependencies=checked)
    app.include_router(api_router, prefix="/api/v1", dependencies=checked)
    app.include_router(account.login_router, include_in_schema=False)
    app.include_router(redirect.router)
    app.mount("/vendor/swagger-ui", StaticFiles(directory=swagger_ui_files()), name="swagger-ui")

    described = app.openapi

    def openapi_token_optional() -> dict[str, Any]:
        """The schema with the API token marked optional (an empty requirement beside it):
        with no users (local mode) calls need none; with users, each call needs one."""
        if app.openapi_schema is None:
            schema = described()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    if "security" in operation:
                        operation["security"] = [*operation["security"], {}]
        return app.openapi_schema or described()

    app.openapi = openapi_token_optional  # type: ignore[method-assign]

    @app.get("/api/v1/docs", include_in_schema=False)
    def _api_docs(request: Request) -> HTMLResponse:
        """The API's interactive docs, every file served from here (swagger-ui-py)."""
        return templates.TemplateResponse(request, "api_docs.html", {"spec_url": OPENAPI_URL})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def _plotly() -> FileResponse:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/", include_in_schema=False)
    def _home() -> RedirectResponse:
        return RedirectResponse("/search", status_code=303)

    return app
