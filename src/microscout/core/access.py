"""Who may do what: roles, token scopes and the rule that joins them (docs/security.md).

- **owner**: everything an editor can, and sees the audit log.
- **editor**: reads, and changes the workspace (shortlists, later campaigns).
- **viewer**: reads only; computing a plan is a read (it stores nothing).

An API token carries a scope, ``read`` or ``write``, and can never do more than its user's role
allows: a viewer's write token still cannot write. A browser session acts with its user's role.
With no users at all (one person on their own machine), the single local user acts as owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"


class Via(StrEnum):
    """How a request proved who it comes from."""

    LOCAL = "local"  # no users exist: the machine's own user, on loopback
    SESSION = "session"  # a login cookie
    TOKEN = "token"  # noqa: S105 (a name, not a secret): an API token (Authorization: Bearer)


@dataclass(frozen=True)
class Principal:
    """Who a request acts as."""

    name: str
    role: Role
    scope: Scope
    via: Via

    @property
    def can_write(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR) and self.scope is Scope.WRITE

    @property
    def can_administer(self) -> bool:
        return self.role is Role.OWNER and self.scope is Scope.WRITE


LOCAL_OWNER = Principal("local", Role.OWNER, Scope.WRITE, Via.LOCAL)

USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # hashing cost grows with length: a bound keeps a login cheap


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user name, or None when it can."""
    if not USER_NAME.fullmatch(name):
        return (
            "a user name is 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter "
            "or digit"
        )
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is refused, or None when it will do."""
    if len(password) < PASSWORD_MIN:
        return f"a password needs at least {PASSWORD_MIN} characters"
    if len(password) > PASSWORD_MAX:
        return f"a password may have at most {PASSWORD_MAX} characters"
    return None


__all__ = [
    "LOCAL_OWNER",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "Principal",
    "Role",
    "Scope",
    "Via",
    "password_problem",
    "user_name_problem",
]
