"""The workspace's audit log: every row a session creates, changes or deletes, recorded in the
same transaction as the change, so a change and its record land together or not at all.

Who and from where come from the :class:`Actor` the workspace is used as
(``Workspace.acting_as``): the web app names the client's address (there are no accounts
yet, so the actor is "anonymous"), the CLI the operating-system user. Services write the
workspace as before and never call this module: the record is taken from what the session
flushes (rows the database itself deletes by cascade, such as a deleted shortlist's entries, are
covered by their parent's record).

Secrets never reach the log: a column marked ``SECRET`` in the models (a password or token hash)
is recorded as ``***``, one marked ``UNAUDITED`` (when a token was last used) is left out, and
a table whose model says ``__audited__ = False`` (browser sessions) is not recorded at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from microscout.adapters.workspace.models import AuditEvent, Base, utc_now

ACTOR_KEY = "microscout.actor"
HIDDEN = "***"


@dataclass(frozen=True)
class Actor:
    """Who makes a change (a user name, "anonymous") and from where (an address, "cli")."""

    name: str
    origin: str


# Changes made with no actor named (a test, a script using the library directly).
UNNAMED = Actor("unnamed", "library")


def audit_sessions(sessions: sessionmaker[Session]) -> None:
    """Record the changes of every session ``sessions`` makes (module docstring)."""
    event.listen(sessions, "after_flush", _record)


def _record(session: Session, context: UOWTransaction) -> None:
    del context
    actor: Actor = session.info.get(ACTOR_KEY, UNNAMED)
    found = [
        *(_row(actor, "created", obj, _values(obj)) for obj in session.new),
        *(_row(actor, "changed", obj, _changes(obj)) for obj in session.dirty),
        *(_row(actor, "deleted", obj, _values(obj)) for obj in session.deleted),
    ]
    rows = [r for r in found if r is not None]
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _row(actor: Actor, action: str, obj: object, detail: dict[str, Any]) -> dict[str, Any] | None:
    if isinstance(obj, AuditEvent) or not isinstance(obj, Base) or not detail:
        return None
    if not getattr(obj, "__audited__", True):
        return None
    state = inspect(obj)
    return {
        "at": utc_now(),
        "actor": actor.name,
        "origin": actor.origin,
        "action": action,
        "entity": str(getattr(state.mapper.local_table, "name", type(obj).__name__)),
        "entity_id": ",".join(str(k) for k in state.mapper.primary_key_from_instance(obj)),
        "detail": json.dumps(detail, ensure_ascii=False, default=_plain),
    }


def _recorded(attr: Any) -> bool:
    return all(column.info.get("audited", True) for column in attr.columns)


def _shown(attr: Any, value: Any) -> Any:
    secret = any(column.info.get("secret") for column in attr.columns)
    return HIDDEN if secret and value is not None else value


def _values(obj: object) -> dict[str, Any]:
    state = inspect(obj)
    return {
        attr.key: _shown(attr, getattr(obj, attr.key))
        for attr in state.mapper.column_attrs
        if _recorded(attr)
    }


def _changes(obj: object) -> dict[str, Any]:
    """{column: [before, after]} of what changed (nothing for an object merely touched)."""
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes() and _recorded(attr):
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            out[attr.key] = [_shown(attr, before), _shown(attr, after)]
    return out


def _plain(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


__all__ = ["ACTOR_KEY", "UNNAMED", "Actor", "audit_sessions"]
