"""Accounts on real SQLite and PostgreSQL stores: what is kept (hashes only), who may be
removed, and how sessions and tokens end."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from microscout.adapters.secrets import Passwords, key_from_file
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.models import WebSession, utc_now
from microscout.core.access import Role, Scope, Via
from microscout.errors import AuthenticationError, NotFoundError, ParameterError
from microscout.services import accounts
from tests import workspace_stores

postgres_server = workspace_stores.postgres_server
workspace_url = workspace_stores.workspace_url

GOOD = "a sound passphrase"


@pytest.fixture(scope="module")
def passwords() -> Passwords:
    return Passwords()


def _dump(ws: Workspace) -> str:
    """Every value in every account table and the audit log, as one text."""
    with ws.engine.connect() as connection:
        rows = [
            str(tuple(row))
            for table in ("users", "api_tokens", "web_sessions", "audit_events")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        ]
    return "\n".join(rows)


def test_the_store_keeps_hashes_never_a_password_session_or_token(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        _, session_key = accounts.sign_in(ws, passwords, "ana", GOOD, hours=1)
        token = accounts.create_token(ws, "ana", "write").token
        stored = _dump(ws)
    assert GOOD not in stored
    assert session_key not in stored
    assert token not in stored
    assert "$argon2id$" in stored  # the password hash, in users only
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    # the audit log records the user and the token with their hashes masked
    assert stored.count("$argon2id$") == 1
    assert '"password_hash": "***"' in stored
    assert '"token_hash": "***"' in stored


def test_sign_in_ignores_the_case_of_the_name_but_not_of_the_password(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "Ana.Silva", "owner", GOOD)
        who, key = accounts.sign_in(ws, passwords, "ana.silva", GOOD, hours=1)
        assert (who.name, who.role, who.via) == ("Ana.Silva", Role.OWNER, Via.SESSION)
        assert accounts.session_principal(ws, key) == who
        with pytest.raises(AuthenticationError):
            accounts.sign_in(ws, passwords, "ana.silva", GOOD.upper(), hours=1)


def test_an_ended_session_opens_nothing_and_is_cleared_at_the_next_sign_in(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        _, old = accounts.sign_in(ws, passwords, "ana", GOOD, hours=1)
        with ws.session() as session:
            session.execute(update(WebSession).values(expires_at=utc_now() - timedelta(seconds=1)))
        assert accounts.session_principal(ws, old) is None
        accounts.sign_in(ws, passwords, "ana", GOOD, hours=1)
        with ws.session() as session:
            assert len(session.scalars(select(WebSession)).all()) == 1


def test_the_first_user_is_an_owner_and_the_last_owner_stays(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        with pytest.raises(ParameterError, match="first user must be an owner"):
            accounts.add_user(ws, passwords, "eve", "editor", GOOD)
        assert not accounts.users_exist(ws)
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        accounts.add_user(ws, passwords, "eve", "editor", GOOD)
        with pytest.raises(ParameterError, match="last owner"):
            accounts.remove_user(ws, "ana")
        with pytest.raises(ParameterError, match="last owner"):
            accounts.set_role(ws, "ana", "viewer")
        accounts.set_role(ws, "eve", "owner")
        accounts.remove_user(ws, "ana")
        accounts.remove_user(ws, "eve")  # the last user: back to local mode
        assert not accounts.users_exist(ws)


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("", "editor", GOOD, "name"),
        ("has space", "editor", GOOD, "name"),
        ("x" * 101, "editor", GOOD, "name"),
        ("eve", "admin", GOOD, "--role"),
        ("eve", "editor", "short", "password"),
        ("eve", "editor", "y" * 1025, "password"),
        ("ANA", "editor", GOOD, "name"),  # taken, whatever the case
    ],
)
def test_a_bad_user_is_refused_by_field_and_nothing_is_stored(
    workspace_url: str, passwords: Passwords, name: str, role: str, password: str, field: str
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        with pytest.raises(ParameterError) as refused:
            accounts.add_user(ws, passwords, name, role, password)
        assert refused.value.name == field
        assert [u.name for u in accounts.list_users(ws)] == ["ana"]


def test_removing_a_user_ends_their_sessions_and_tokens(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        accounts.add_user(ws, passwords, "eve", "viewer", GOOD)
        _, key = accounts.sign_in(ws, passwords, "eve", GOOD, hours=1)
        token = accounts.create_token(ws, "eve", "read").token
        who = accounts.token_principal(ws, token)
        assert who is not None
        assert (who.name, who.scope, who.via, who.can_write) == (
            "eve",
            Scope.READ,
            Via.TOKEN,
            False,
        )
        accounts.remove_user(ws, "eve")
        assert accounts.session_principal(ws, key) is None
        assert accounts.token_principal(ws, token) is None
        assert accounts.list_tokens(ws, revoked=True) == []


def test_a_user_revokes_only_their_own_tokens(workspace_url: str, passwords: Passwords) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        accounts.add_user(ws, passwords, "eve", "editor", GOOD)
        anas = accounts.create_token(ws, "ana", "write", "ana's")
        with pytest.raises(NotFoundError):
            accounts.revoke_token(ws, anas.info.id, "eve")
        assert accounts.token_principal(ws, anas.token) is not None
        revoked = accounts.revoke_token(ws, anas.info.id, "ana")
        assert revoked.revoked_at is not None
        assert accounts.token_principal(ws, anas.token) is None
        assert [t.id for t in accounts.list_tokens(ws, revoked=True)] == [anas.info.id]
        assert accounts.list_tokens(ws) == []


def test_a_tokens_last_use_is_kept_but_not_audited(
    workspace_url: str, passwords: Passwords
) -> None:
    with Workspace(workspace_url) as ws:
        accounts.add_user(ws, passwords, "ana", "owner", GOOD)
        made = accounts.create_token(ws, "ana", "read")
        events_before = len(ws.audit_events())
        accounts.token_principal(ws, made.token)
        (listed,) = accounts.list_tokens(ws)
        assert listed.last_used_at is not None
        assert len(ws.audit_events()) == events_before
        assert json.loads(ws.audit_events(1)[0].detail)["token_hash"] == "***"  # noqa: S105


def test_the_signing_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "home" / "secret.key"
    first = key_from_file(path)
    assert len(first) == 32
    assert key_from_file(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no draft left behind
