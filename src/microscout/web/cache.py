"""A small in-process cache of rendered read-only pages.

While the app serves, the warehouse is open read-only and DuckDB's file lock keeps writers out,
so a search or profile page rendered once stays right until the warehouse file changes. Entries
are keyed by the full URL and the warehouse file's modification time, and only successful pages
that read nothing but the warehouse are stored (never a shortlist page). Least recently used
entries go first; ``web_page_cache`` (0 turns it off) bounds the number kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse


class PageCache:
    def __init__(self, warehouse_file: Path, size: int) -> None:
        self.warehouse_file = warehouse_file
        self.size = size
        self.hits = 0
        self.misses = 0
        self._pages: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, request: Request) -> tuple[str, int]:
        try:
            version = self.warehouse_file.stat().st_mtime_ns
        except FileNotFoundError:
            version = 0
        return str(request.url.path) + "?" + str(request.url.query), version

    def get(self, request: Request) -> HTMLResponse | None:
        if self.size <= 0:
            return None
        key = self._key(request)
        with self._lock:
            body = self._pages.get(key)
            if body is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
        return HTMLResponse(body, headers={"X-Page-Cache": "hit"})

    def put(self, request: Request, response: HTMLResponse) -> HTMLResponse:
        if self.size > 0 and response.status_code == 200:
            key = self._key(request)
            with self._lock:
                self._pages[key] = bytes(response.body)
                self._pages.move_to_end(key)
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return response
