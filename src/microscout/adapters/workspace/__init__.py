"""The workspace store: what users create and edit (shortlists; later brands and campaigns).

One SQLAlchemy engine over a SQLite file by default, or PostgreSQL when ``workspace_url`` says
so. Opening a workspace migrates it to the newest Alembic revision shipped in ``migrations/``
and refuses one written by a newer microscout. ``session()`` is one transaction: everything in it
is committed together, or nothing is.
"""

from __future__ import annotations

import contextlib
import copy
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from microscout.adapters.workspace import (
    campaign_rows,  # noqa: F401 (registers the tables)
    sync_rows,  # noqa: F401 (registers the tables)
)
from microscout.adapters.workspace.audit import ACTOR_KEY, UNNAMED, Actor, audit_sessions
from microscout.adapters.workspace.models import AuditEvent
from microscout.errors import SchemaVersionError, StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any 64-bit key will do; it only has to be the same in every microscout process.
_PG_MIGRATION_LOCK = 0x6D6963726F73  # "micros"
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@]*@")
# A secret can also travel as a query parameter (libpq and psycopg read ?password=...).
_SECRET_IN_QUERY = re.compile(
    r"([?&](?:password|passwd|pwd|secret|token|api_key|apikey|access_token|sslpassword)=)"
    r"[^&#\s]*",
    re.IGNORECASE,
)


def mask_url(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``, in the user part and in the
    query alike, fit for messages and logs."""
    return _SECRET_IN_QUERY.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***@", url))


def _masked_problem(exc: BaseException, url: URL | None) -> str:
    # Driver messages rarely repeat the password, but never let one through if they do.
    problem = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if url is not None and url.password:
        problem = problem.replace(str(url.password), "***")
    return mask_url(problem)


def migration_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code: the script folder ships inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(migration_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no workspace migrations found in {MIGRATIONS}")
    return head


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would open transactions only before DML and never for DDL; SQLAlchemy emits BEGIN
    # itself (the "begin" listener), so migrations and every session are fully transactional.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite: no ON DELETE CASCADE
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def probe_workspace(url: str) -> str | None:
    """The Alembic revision of the workspace at ``url``, read without creating or migrating
    anything (None: the store is there but empty); StoreError, with the password masked, when it
    cannot be reached. For ``microscout doctor``."""
    parsed: URL | None = None
    try:
        parsed = make_url(url)
        engine = create_engine(parsed, pool_pre_ping=True)
        try:
            with engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        finally:
            engine.dispose()
    except (ArgumentError, ImportError, OSError, SQLAlchemyError) as exc:
        shown = mask_url(parsed.render_as_string(hide_password=True) if parsed else url)
        raise StoreError(
            f"cannot reach the workspace {shown}: {_masked_problem(exc, parsed)}"
        ) from None


class Workspace:
    """An open workspace store: ``with Workspace(url) as ws: with ws.session() as s: ...``."""

    def __init__(self, url: str) -> None:
        self.url = mask_url(url)
        parsed: URL | None = None
        try:
            parsed = self._parsed = make_url(url)
            self.url = mask_url(parsed.render_as_string(hide_password=True))
            self.engine = self._create_engine(parsed)
        except (ArgumentError, ImportError, OSError) as exc:
            raise StoreError(
                f"cannot open the workspace {self.url}: {_masked_problem(exc, parsed)}"
            ) from None
        try:
            self._upgrade()
        except SchemaVersionError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(
                f"cannot open the workspace {self.url}: {_masked_problem(exc, parsed)}"
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._watchers: list[sqlite3.Connection] = []
        audit_sessions(self._sessions)
        self.actor = UNNAMED

    def acting_as(self, actor: Actor) -> Workspace:
        """This workspace (the same engine and sessions) with its changes recorded as made by
        ``actor`` in the audit log (``audit.py``); closing either closes both."""
        view = copy.copy(self)
        view.actor = actor
        return view

    def change_counter(self) -> Callable[[], int | None] | None:
        """A cheap function whose value changes whenever anything commits a change to the
        store (SQLite's ``PRAGMA data_version`` on a connection of its own, a few µs), for
        caches of what the store says; it gives None once the store is closed. None for a
        server database, which has no such counter."""
        if self._parsed.get_backend_name() != "sqlite":
            return None
        database = self._parsed.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        watcher = sqlite3.connect(
            f"file:{Path(database).as_posix()}?mode=ro", uri=True, check_same_thread=False
        )
        lock = threading.Lock()

        def counter() -> int | None:
            with lock:
                try:
                    return int(watcher.execute("PRAGMA data_version").fetchone()[0])
                except sqlite3.Error:  # closed with the workspace
                    return None

        self._watchers.append(watcher)
        return counter

    def audit_events(self, limit: int = 100) -> list[AuditEvent]:
        """The latest changes, newest first."""
        with self.session() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
            return list(session.scalars(query))

    @staticmethod
    def _create_engine(url: URL) -> Engine:
        if url.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine

    # -- schema -----------------------------------------------------------------------------
    def revision(self) -> str | None:
        """The Alembic revision the store is at (None: an empty database)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def _upgrade(self) -> None:
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Two processes opening a new workspace at once must not both create the tables.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            current = MigrationContext.configure(connection).get_current_heads()
            script = ScriptDirectory.from_config(migration_config())
            known = {rev.revision for rev in script.walk_revisions()}
            unknown = [rev for rev in current if rev not in known]
            if unknown:
                raise SchemaVersionError(
                    f"the workspace {self.url} is at revision {', '.join(unknown)}, which this "
                    f"microscout does not know (newest known: {script.get_current_head()}); "
                    "upgrade microscout to open it"
                )
            command.upgrade(migration_config(connection), "head")

    # -- use --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        Failures of the database itself (unreachable, locked, full, …) become :class:`StoreError`;
        constraint violations stay ``IntegrityError`` for the services to explain, and anything
        else (a bug) propagates unchanged.
        """
        with self._sessions() as session:
            session.info[ACTOR_KEY] = self.actor
            try:
                yield session
                session.commit()
            except IntegrityError:
                session.rollback()
                raise
            except DBAPIError as exc:
                session.rollback()
                raise StoreError(
                    f"the workspace {self.url} failed: {_masked_problem(exc, self._parsed)}"
                ) from None
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        for watcher in self._watchers:
            watcher.close()
        self._watchers.clear()
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "MIGRATIONS",
    "Actor",
    "Workspace",
    "head_revision",
    "mask_url",
    "migration_config",
    "probe_workspace",
]
