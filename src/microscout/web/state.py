"""What the web app holds between requests: settings and per-thread store connections."""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from microscout.adapters.secrets import Passwords
from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Actor, Workspace
from microscout.bootstrap import Adapters, open_warehouse, open_workspace, signing_key
from microscout.config import Settings
from microscout.errors import TooBusyError
from microscout.services.browse.views import views_current
from microscout.web.access_log import AccessLog
from microscout.web.cache import PageCache

# Where Gatekeeper (access.py) leaves the request's principal in its ASGI scope.
PRINCIPAL_KEY = "microscout.principal"
# What a client refused a plan slot is told to wait: about one plan's time.
PLAN_RETRY_AFTER_S = 5
# Failed logins from one address before it must wait, and how long it waits.
LOGIN_FAILURES_ALLOWED = 10
LOGIN_WINDOW_S = 15 * 60
LOGIN_ADDRESSES_KEPT = 10_000
# (inode, modification time in ns) of the warehouse file: a writer's swap changes both.
FileStamp = tuple[int, int]


def file_stamp(path: Path) -> FileStamp | None:
    """The file's (inode, modification time), or None when there is no file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


class WarehousePool:
    """Read-only warehouse connections lent to one request at a time.

    A DuckDB connection refuses a second call while one runs, and FastAPI may resolve a
    dependency and run the route on different worker threads, so connections are checked out
    per request rather than tied to a thread. Connections to the same file in one process
    share the database, so each costs little. Writers (``import``, ``score``) build a copy and
    swap it in (``adapters/warehouse/swap.py``): a lent connection keeps reading the file it
    opened until its request ends, and the next request opens the new one, so a refresh never
    interrupts the app.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._free: list[Warehouse] = []
        self._all: list[Warehouse] = []
        self._stamp: FileStamp | None = None

    def _current_stamp(self) -> FileStamp | None:
        return file_stamp(self.settings.warehouse_file)

    def acquire(self) -> Warehouse:
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._retire()  # a writer swapped a new file in: connections to the old go
                self._stamp = stamp
            if self._free:
                return self._free.pop()
            if stamp is None:
                # A fresh home: create an empty warehouse so pages can say "no data yet".
                open_warehouse(self.settings).close()
        warehouse = open_warehouse(self.settings, read_only=True)
        with self._lock:
            self._all.append(warehouse)
        return warehouse

    def idle(self) -> Warehouse | None:
        """An idle connection to the current file, or None when taking one would mean
        opening one (``acquire``); never blocks on more than a file check and the lock."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp or not self._free:
                return None
            return self._free.pop()

    def release(self, warehouse: Warehouse) -> None:
        with self._lock:
            if warehouse in self._all:
                self._free.append(warehouse)
                return
        warehouse.close()  # opened on a file that has been swapped out since

    def _retire(self) -> None:
        """Close the idle connections and forget the lent ones (closed when released)."""
        for warehouse in self._free:
            warehouse.close()
        self._free.clear()
        self._all.clear()

    def close(self) -> None:
        """Close every connection; a later request opens a new one (the app can restart)."""
        with self._lock:
            for warehouse in self._all:
                warehouse.close()
            self._all.clear()
            self._free.clear()
            self._stamp = None


class ViewsPool:
    """The creator views (``services/browse/views.py``) the app reads while they are current.

    The store is reopened when its file changes (scoring renames a new one over it); whether
    it is current is asked once per warehouse connection, since a connection sees one version
    of the warehouse for its whole life (``WarehousePool`` retires it on a swap).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: FileStamp | None = None
        self._store: ViewStore | None = None
        self._current: weakref.WeakKeyDictionary[Warehouse, bool] = weakref.WeakKeyDictionary()

    def known(self, warehouse: Warehouse) -> tuple[bool, ViewStore | None]:
        """(True, the answer of ``for_warehouse``) when it is already known for this
        connection and file, else (False, None); only a file check and the lock."""
        stamp = file_stamp(self.settings.views_file)
        with self._lock:
            if stamp != self._stamp:
                return False, None
            store, known = self._store, self._current.get(warehouse)
        if store is None:
            return True, None
        if known is None:
            return False, None
        return True, store if known else None

    def for_warehouse(self, warehouse: Warehouse) -> ViewStore | None:
        stamp = file_stamp(self.settings.views_file)
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._store = None if stamp is None else ViewStore.open(self.settings.views_file)
                self._current.clear()
            store, known = self._store, self._current.get(warehouse)
        if store is None:
            return None
        if known is None:
            known = views_current(warehouse, store, self.settings)
            with self._lock:
                if self._store is store:
                    self._current[warehouse] = known
        return store if known else None

    def close(self) -> None:
        """Close the store; a later request opens it again."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store, self._stamp = None, None
            self._current.clear()


class LoginThrottle:
    """Failed logins per client address: after LOGIN_FAILURES_ALLOWED within LOGIN_WINDOW_S,
    that address gets 429 until the window has passed. Each guess already costs the server an
    Argon2id hash (64 MiB, ~0.1 s), and at most two are computed at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self.hashing = threading.BoundedSemaphore(2)

    def _recent(self, address: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(address, []) if now - t < LOGIN_WINDOW_S]
        if kept:
            self._failures[address] = kept
        else:
            self._failures.pop(address, None)
        return kept

    @contextlib.contextmanager
    def attempt(self, address: str) -> Iterator[None]:
        """One login attempt from ``address``: 429 (TooBusyError) when it failed too often
        lately or two other logins are being checked right now."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(address, now)
        if len(recent) >= LOGIN_FAILURES_ALLOWED:
            wait = int(LOGIN_WINDOW_S - (now - recent[0])) + 1
            raise TooBusyError(
                f"too many failed sign-ins from this address; try again in {wait // 60 + 1} "
                "minutes",
                wait,
            )
        if not self.hashing.acquire(blocking=False):
            raise TooBusyError("other sign-ins are being checked; try again in a second", 1)
        try:
            yield
        finally:
            self.hashing.release()

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures[address] = [*self._recent(address, now), now]
            if len(self._failures) > LOGIN_ADDRESSES_KEPT:
                # many addresses failing (or one attacker cycling them): the oldest go first
                for stale in list(self._failures)[: LOGIN_ADDRESSES_KEPT // 2]:
                    del self._failures[stale]

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


@dataclass
class AppState:
    settings: Settings
    warehouses: WarehousePool
    pages: PageCache
    views: ViewsPool
    access_log: AccessLog | None = None
    _workspace: Workspace | None = None
    _signing_key: bytes | None = None
    _passwords: Passwords | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # The app's real adapters (models, caches), built on first use and kept for its lifetime.
    adapters: Adapters = field(init=False)
    # One slot per plan the process works on at once (setting web_plans_at_once).
    plans: threading.BoundedSemaphore = field(init=False)
    logins: LoginThrottle = field(default_factory=LoginThrottle)

    def __post_init__(self) -> None:
        self.adapters = Adapters(self.settings, one_thread_each=True)
        self.plans = threading.BoundedSemaphore(self.settings.web_plans_at_once)

    @contextlib.contextmanager
    def plan_slot(self) -> Iterator[None]:
        """Hold one of the process's plan slots, or refuse at once with TooBusyError (429):
        queued plans would hold connections and threads while each takes seconds of CPU."""
        if not self.plans.acquire(blocking=False):
            raise TooBusyError(
                f"already working on {self.settings.web_plans_at_once} plan(s), the most at "
                "once (the web_plans_at_once setting); try again in a few seconds",
                PLAN_RETRY_AFTER_S,
            )
        try:
            yield
        finally:
            self.plans.release()

    def signing_key(self) -> bytes:
        """The key CSRF tokens are signed with: the secret_key setting, else the key file in
        the home (made on first use; shared by every server process)."""
        with self._lock:
            if self._signing_key is None:
                self._signing_key = signing_key(self.settings)
            return self._signing_key

    def passwords(self) -> Passwords:
        """The password hasher, made on the first login (it hashes a decoy when made)."""
        with self._lock:
            if self._passwords is None:
                self._passwords = Passwords()
            return self._passwords

    def workspace(self) -> Workspace:
        """The workspace store, opened (and migrated) on first use; SQLAlchemy's engine is
        shared by all threads, each request using its own session."""
        with self._lock:
            if self._workspace is None:
                self._workspace = open_workspace(self.settings)
            return self._workspace

    def close(self) -> None:
        self.warehouses.close()
        self.views.close()
        if self.access_log is not None:
            self.access_log.close()
        with self._lock:
            if self._workspace is not None:
                self._workspace.close()
                self._workspace = None


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.microscout
    return state


# The warehouse and views dependencies are async: what they usually do (take an idle
# connection, look up an answer already known) is a file check and a lock, done on the event
# loop; only opening a connection or asking the warehouse goes to a worker thread. As plain
# functions each request sent them to a worker thread and back, three times.
async def warehouse(request: Request) -> AsyncIterator[Warehouse]:
    """A connection of the pool for the length of one request."""
    pool = app_state(request).warehouses
    lent = pool.idle()
    if lent is None:
        lent = await run_in_threadpool(pool.acquire)
    try:
        yield lent
    finally:
        pool.release(lent)


async def views(
    request: Request, lent: Annotated[Warehouse, Depends(warehouse)]
) -> ViewStore | None:
    """The current creator views for this request's warehouse connection, or None."""
    pool = app_state(request).views
    found, store = pool.known(lent)
    return store if found else await run_in_threadpool(pool.for_warehouse, lent)


def workspace(request: Request) -> Workspace:
    """The workspace, its changes recorded as made by the request's user from its address."""
    address = request.client.host if request.client else "unknown"
    principal = request.scope.get(PRINCIPAL_KEY)
    name = principal.name if principal is not None else "anonymous"
    return app_state(request).workspace().acting_as(Actor(name, address))


def plan_slot(request: Request) -> Iterator[None]:
    """The route dependency holding a plan slot for the request (:meth:`AppState.plan_slot`)."""
    with app_state(request).plan_slot():
        yield


# The dependencies below only read the app's state: async, so FastAPI calls them on the event
# loop; a plain function would be sent to a worker thread and back for each request.
async def page_cache(request: Request) -> PageCache:
    return app_state(request).pages


async def settings(request: Request) -> Settings:
    return app_state(request).settings


async def adapters(request: Request) -> Adapters:
    return app_state(request).adapters
