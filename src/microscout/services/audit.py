"""The audit log as people read it: the latest changes to the workspace, newest first.

The log itself is written by the workspace store, in the same transaction as each change
(``adapters/workspace/audit.py``); this service only reads it back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from microscout.adapters.workspace import Workspace
from microscout.errors import ParameterError

MAX_LIMIT = 10_000


@dataclass(frozen=True)
class Change:
    """One recorded change: when, who from where, what was done to which row, and the values
    (for a change, each changed field's ``[before, after]``)."""

    at: datetime
    actor: str
    origin: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


def recent_changes(workspace: Workspace, limit: int = 50) -> list[Change]:
    """The latest ``limit`` changes, newest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ParameterError("--limit", f"must be between 1 and {MAX_LIMIT:,}")
    return [
        Change(e.at, e.actor, e.origin, e.action, e.entity, e.entity_id, json.loads(e.detail))
        for e in workspace.audit_events(limit)
    ]


__all__ = ["Change", "recent_changes"]
