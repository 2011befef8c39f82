"""A small in-process cache of rendered read-only pages.

While the app serves, the warehouse is open read-only and DuckDB's file lock keeps writers out,
so a search or profile page rendered once stays right until the warehouse file changes. Entries
are keyed by the full URL and the warehouse file's modification time, and only successful pages
that read nothing but the warehouse are stored (never a shortlist page). Least recently used
entries go first; ``web_page_cache`` (0 turns it off) bounds the number kept.

Requests for a page being rendered wait for that rendering instead of repeating it
(``rendering``), so a burst of visitors to one new page costs one rendering, not one each.

``ServeCachedPages`` answers a GET for a stored page before routing: a hit then costs no
dependency resolution, no worker-thread hop and no warehouse connection, which keeps the one
event loop free for the pages that must be rendered.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

HIT_HEADERS = {"X-Page-Cache": "hit"}
# Who a page is rendered for (set by access.Gatekeeper): a page carries its viewer's name and
# CSRF token, so each viewer has copies of their own.
VIEWER_KEY = "microscout.viewer"


class PageCache:
    def __init__(self, warehouse_file: Path, size: int) -> None:
        self.warehouse_file = warehouse_file
        self.size = size
        self._pages: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._busy: dict[tuple[str, int], threading.Lock] = {}

    def _key(self, scope: Scope) -> tuple[str, int]:
        """The page's viewer, path and raw query string, and the warehouse file's version."""
        try:
            version = self.warehouse_file.stat().st_mtime_ns
        except FileNotFoundError:
            version = 0
        url = str(scope["path"]) + "?" + bytes(scope["query_string"]).decode("latin-1")
        return str(scope.get(VIEWER_KEY, "")) + " " + url, version

    def stored(self, scope: Scope) -> bytes | None:
        """The stored page for this request's scope, or None."""
        if self.size <= 0:
            return None
        key = self._key(scope)
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def get(self, request: Request) -> HTMLResponse | None:
        body = self.stored(request.scope)
        return None if body is None else HTMLResponse(body, headers=HIT_HEADERS)

    @contextlib.contextmanager
    def rendering(self, request: Request) -> Iterator[HTMLResponse | None]:
        """The cached page, or None while this caller renders it; others asking for the same
        page meanwhile wait, then get the cached copy (or render it themselves on an error)."""
        if self.size <= 0:
            yield None
            return
        key = self._key(request.scope)
        with self._lock:
            busy = self._busy.setdefault(key, threading.Lock())
        with busy:
            try:
                yield self.get(request)
            finally:
                with self._lock:
                    if self._busy.get(key) is busy:
                        del self._busy[key]

    def put(self, request: Request, response: HTMLResponse) -> HTMLResponse:
        if self.size > 0 and response.status_code == 200:
            key = self._key(request.scope)
            with self._lock:
                self._pages[key] = bytes(response.body)
                self._pages.move_to_end(key)
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return response

    def serve(self, request: Request, render: Callable[[], HTMLResponse]) -> HTMLResponse:
        """The cached page, else ``render()``'s, stored when it succeeded."""
        with self.rendering(request) as hit:
            if hit is not None:
                return hit
            return self.put(request, render())


class ServeCachedPages:
    """ASGI middleware: a GET whose page is stored is answered from the cache at once."""

    def __init__(self, app: ASGIApp, cache: PageCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            body = self.cache.stored(scope)
            if body is not None:
                await HTMLResponse(body, headers=HIT_HEADERS)(scope, receive, send)
                return
        await self.app(scope, receive, send)
