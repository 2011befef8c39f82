"""A workspace with users, beside the scored demo's warehouse: sign-in is on.

The warehouse is the shared scored demo's (read only); the workspace is a file of the test's own,
so the other web tests keep running in local mode. One owner, one editor, one viewer, and tokens
of each kind, made through the same service the CLI uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from microscout.adapters.secrets import Passwords
from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.services import accounts

PASSWORD = "correct horse battery"  # noqa: S105 (a test user's)


@dataclass(frozen=True)
class Team:
    settings: Settings
    editor_write: str
    editor_read: str
    viewer_write: str
    revoked: str


def team_home(scored_demo: Settings, folder: Path) -> Team:
    settings = scored_demo.model_copy(
        update={
            "workspace_url": f"sqlite:///{(folder / 'team.sqlite').as_posix()}",
            "secret_key": SecretStr("a key the team's server was given"),
        }
    )
    passwords = Passwords()
    with open_workspace(settings) as ws:
        accounts.add_user(ws, passwords, "olga", "owner", PASSWORD)
        accounts.add_user(ws, passwords, "eddie", "editor", PASSWORD)
        accounts.add_user(ws, passwords, "vera", "viewer", PASSWORD)
        editor_write = accounts.create_token(ws, "eddie", "write", "ci").token
        editor_read = accounts.create_token(ws, "eddie", "read", "dashboards").token
        viewer_write = accounts.create_token(ws, "vera", "write").token
        revoked = accounts.create_token(ws, "eddie", "write", "leaked")
        accounts.revoke_token(ws, revoked.info.id)
    return Team(settings, editor_write, editor_read, viewer_write, revoked.token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
