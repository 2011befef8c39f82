"""The workspace's audit log on real SQLite and PostgreSQL stores: every change recorded with
who, from where and what, in the same transaction as the change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microscout.adapters.workspace import Actor, Workspace
from microscout.errors import ParameterError
from microscout.services import shortlists as service
from microscout.services.audit import recent_changes
from tests import workspace_stores

postgres_server = workspace_stores.postgres_server
workspace_url = workspace_stores.workspace_url

ANA = Actor("ana", "10.0.0.7")


def test_each_change_is_recorded_with_who_where_and_what(workspace_url: str) -> None:
    started = datetime.now(UTC)
    with Workspace(workspace_url) as plain:
        ws = plain.acting_as(ANA)
        made = service.create_shortlist(ws, "Autumn launch", "first pass")
        service.update_shortlist(ws, made.id, name="Autumn launch v2")
        service.delete_shortlist(ws, made.id)
        changes = recent_changes(plain, limit=10)
    assert [(c.action, c.entity) for c in changes] == [
        ("deleted", "shortlists"),
        ("changed", "shortlists"),
        ("created", "shortlists"),
    ]
    assert {(c.actor, c.origin, c.entity_id) for c in changes} == {
        ("ana", "10.0.0.7", str(made.id))
    }
    deleted, renamed, created = changes
    assert created.detail["name"] == "Autumn launch"
    assert created.detail["description"] == "first pass"
    assert renamed.detail["name"] == ["Autumn launch", "Autumn launch v2"]
    assert "description" not in renamed.detail  # only what changed
    assert deleted.detail["name"] == "Autumn launch v2"
    assert all(started - timedelta(seconds=5) <= c.at <= datetime.now(UTC) for c in changes)


def test_a_refused_change_leaves_no_record(workspace_url: str) -> None:
    with Workspace(workspace_url) as plain:
        ws = plain.acting_as(ANA)
        service.create_shortlist(ws, "Spring")
        with pytest.raises(ParameterError):
            service.create_shortlist(ws, "spring")  # the same name to a user: refused
        assert [c.detail["name"] for c in recent_changes(plain)] == ["Spring"]


def test_changes_made_without_an_actor_are_still_recorded(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:
        service.create_shortlist(ws, "From a script")
        [change] = recent_changes(ws)
    assert (change.actor, change.origin, change.action) == ("unnamed", "library", "created")


def test_the_limit_is_checked(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws, pytest.raises(ParameterError, match="--limit"):
        recent_changes(ws, limit=0)
