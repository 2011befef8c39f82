"""Accounts: users and their roles, browser sessions and API tokens, kept in the workspace.

- A password is kept only as its Argon2id hash (``adapters/secrets.py``).
- A session cookie and an API token are random (256 bits) and kept only as their SHA-256: a
  copy of the workspace lets nobody sign in. A token is shown once, when it is made.
- Changing a password ends that user's sessions; removing a user ends their sessions and tokens
  (the database cascades). The last owner cannot be removed or demoted while other users remain,
  or nobody could read the audit log or manage the rest.
- With no users at all the app runs in local mode (``core/access.py``): adding the first user
  is what turns sign-in on, so the first user must be an owner.

Every change goes through one workspace transaction and is recorded in the audit log, with the
hashes shown as ``***``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microscout.adapters.secrets import Passwords
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.models import NAME_MAX, ApiToken, User, WebSession, utc_now
from microscout.core.access import (
    PASSWORD_MAX,
    Principal,
    Role,
    Scope,
    Via,
    password_problem,
    user_name_problem,
)
from microscout.errors import AuthenticationError, NotFoundError, ParameterError

TOKEN_PREFIX = "ms_"  # noqa: S105 (what every token starts with, not a secret)
HINT_LENGTH = 10  # "ms_" and 7 characters of the random part
SECRET_BYTES = 32
# A token's last use is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
WRONG_LOGIN = "wrong user name or password"


def digest(secret: str) -> str:
    """The SHA-256 (hex) a session key or token is stored as. A plain hash suffices: the
    secrets are random, so there is nothing to guess that a slow hash would protect."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    created_at: datetime
    active_tokens: int

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself, only its first characters (``hint``)."""

    id: int
    user: str
    label: str
    scope: str
    hint: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("created_at", "revoked_at", "last_used_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    token: str  # shown once; only its hash is kept


# -- users ---------------------------------------------------------------------------------------
def users_exist(workspace: Workspace) -> bool:
    with workspace.session() as session:
        return session.scalar(select(User.id).limit(1)) is not None


def _role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ParameterError(
            "--role", f"{value!r} is not a role; choose one of {choices}"
        ) from None


def _checked_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise ParameterError("password", problem)
    return password


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user is None:
        raise NotFoundError(f"no user called {name!r}; `microscout user list` shows them")
    return user


def _info(session: Session, user: User) -> UserInfo:
    active = session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    return UserInfo(user.name, user.role, user.created_at, int(active or 0))


def add_user(
    workspace: Workspace, passwords: Passwords, name: str, role: str, password: str
) -> UserInfo:
    """A new user; the first must be an owner (it turns sign-in on for everyone)."""
    name = name.strip()
    problem = user_name_problem(name)
    if problem:
        raise ParameterError("name", problem)
    wanted = _role(role)
    hashed = passwords.hash(_checked_password(password))
    try:
        with workspace.session() as session:
            first = session.scalar(select(User.id).limit(1)) is None
            if first and wanted is not Role.OWNER:
                raise ParameterError(
                    "--role",
                    "the first user must be an owner (adding a user turns sign-in on, and "
                    "someone must be able to manage the others)",
                )
            user = User(name=name, role=wanted.value, password_hash=hashed)
            session.add(user)
            session.flush()
            return _info(session, user)
    except IntegrityError:
        raise ParameterError("name", f"a user called {name!r} already exists") from None


def list_users(workspace: Workspace) -> list[UserInfo]:
    with workspace.session() as session:
        users = session.scalars(select(User).order_by(func.lower(User.name))).all()
        return [_info(session, u) for u in users]


def _keep_an_owner(session: Session, user: User, doing: str) -> None:
    if user.role != Role.OWNER:
        return
    owners = session.scalar(select(func.count()).where(User.role == Role.OWNER.value))
    others = session.scalar(select(func.count()).where(User.id != user.id))
    if owners == 1 and others:
        raise ParameterError(
            "name",
            f"cannot {doing} {user.name!r}: it is the last owner and other users remain "
            "(make another user an owner first)",
        )


def remove_user(workspace: Workspace, name: str) -> UserInfo:
    """Remove a user with their sessions and tokens. Removing the last user returns the
    workspace to local mode (no sign-in)."""
    with workspace.session() as session:
        user = _user(session, name)
        _keep_an_owner(session, user, "remove")
        info = _info(session, user)
        session.delete(user)
        return info


def set_role(workspace: Workspace, name: str, role: str) -> UserInfo:
    wanted = _role(role)
    with workspace.session() as session:
        user = _user(session, name)
        if wanted is not Role.OWNER:
            _keep_an_owner(session, user, "demote")
        user.role = wanted.value
        session.flush()
        return _info(session, user)


def set_password(workspace: Workspace, passwords: Passwords, name: str, password: str) -> None:
    """A new password; the user's open sessions end (whoever knew the old one is signed out)."""
    hashed = passwords.hash(_checked_password(password))
    with workspace.session() as session:
        user = _user(session, name)
        user.password_hash = hashed
        user.password_changed_at = utc_now()
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))


# -- sessions ------------------------------------------------------------------------------------
def sign_in(
    workspace: Workspace, passwords: Passwords, name: str, password: str, hours: float
) -> tuple[Principal, str]:
    """The signed-in user and a new session key for its cookie; AuthenticationError (saying
    nothing about which part was wrong) otherwise."""
    with workspace.session() as session:
        user = session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    hashed = user.password_hash if user is not None else None
    if len(password) > PASSWORD_MAX or not passwords.verify(hashed, password) or user is None:
        raise AuthenticationError(WRONG_LOGIN)
    key = secrets.token_urlsafe(SECRET_BYTES)
    now = utc_now()
    with workspace.session() as session:
        # Ended sessions are cleared here, where sessions begin, rather than by a timer.
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        session.add(
            WebSession(
                user_id=user.id, key_hash=digest(key), expires_at=now + timedelta(hours=hours)
            )
        )
        if passwords.needs_rehash(user.password_hash):
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(password_hash=passwords.hash(password))
            )
    return Principal(user.name, Role(user.role), Scope.WRITE, Via.SESSION), key


def session_principal(workspace: Workspace, key: str) -> Principal | None:
    """Who the session with this cookie value belongs to, or None (unknown or ended)."""
    with workspace.session() as session:
        row = session.execute(
            select(User.name, User.role, WebSession.expires_at)
            .join(WebSession, WebSession.user_id == User.id)
            .where(WebSession.key_hash == digest(key))
        ).first()
    if row is None or row.expires_at <= utc_now():
        return None
    return Principal(row.name, Role(row.role), Scope.WRITE, Via.SESSION)


def sign_out(workspace: Workspace, key: str) -> None:
    with workspace.session() as session:
        session.execute(delete(WebSession).where(WebSession.key_hash == digest(key)))


# -- API tokens ----------------------------------------------------------------------------------
def _scope(value: str) -> Scope:
    try:
        return Scope(value.strip().lower())
    except ValueError:
        raise ParameterError("--scope", f"{value!r} is not a scope; choose read or write") from None


def _token_info(token: ApiToken, user_name: str) -> TokenInfo:
    return TokenInfo(
        token.id,
        user_name,
        token.label,
        token.scope,
        token.hint,
        token.created_at,
        token.revoked_at,
        token.last_used_at,
    )


def create_token(workspace: Workspace, user_name: str, scope: str, label: str = "") -> NewToken:
    """A new API token for ``user_name``; the returned ``token`` is the only copy."""
    wanted = _scope(scope)
    label = label.strip()
    if len(label) > NAME_MAX:
        raise ParameterError("--label", f"at most {NAME_MAX} characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    with workspace.session() as session:
        user = _user(session, user_name)
        row = ApiToken(
            user_id=user.id,
            label=label,
            scope=wanted.value,
            token_hash=digest(token),
            hint=token[:HINT_LENGTH],
        )
        session.add(row)
        session.flush()
        return NewToken(_token_info(row, user.name), token)


def list_tokens(
    workspace: Workspace, user_name: str | None = None, *, revoked: bool = False
) -> list[TokenInfo]:
    """Tokens, newest first: one user's or everyone's; revoked ones only when asked."""
    with workspace.session() as session:
        query = select(ApiToken, User.name).join(User).order_by(ApiToken.id.desc())
        if user_name is not None:
            query = query.where(User.id == _user(session, user_name).id)
        if not revoked:
            query = query.where(ApiToken.revoked_at.is_(None))
        return [_token_info(token, name) for token, name in session.execute(query)]


def revoke_token(workspace: Workspace, token_id: int, user_name: str | None = None) -> TokenInfo:
    """Revoke a token (one of ``user_name``'s when given: nobody else's is found)."""
    with workspace.session() as session:
        query = select(ApiToken, User.name).join(User).where(ApiToken.id == token_id)
        if user_name is not None:
            query = query.where(func.lower(User.name) == user_name.lower())
        found = session.execute(query).first()
        if found is None:
            raise NotFoundError(f"no API token {token_id}; `microscout token list` shows them")
        token, name = found
        if token.revoked_at is None:
            token.revoked_at = utc_now()
            session.flush()
        return _token_info(token, name)


def token_principal(workspace: Workspace, token: str) -> Principal | None:
    """Who an API token acts as (with its scope), or None: unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 2 * SECRET_BYTES + len(TOKEN_PREFIX):
        return None
    now = utc_now()
    with workspace.session() as session:
        row = session.execute(
            select(ApiToken.id, ApiToken.scope, ApiToken.last_used_at, User.name, User.role)
            .join(User)
            .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
        ).first()
        if row is None:
            return None
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return Principal(row.name, Role(row.role), Scope(row.scope), Via.TOKEN)


__all__ = [
    "TOKEN_PREFIX",
    "WRONG_LOGIN",
    "NewToken",
    "TokenInfo",
    "UserInfo",
    "add_user",
    "create_token",
    "digest",
    "list_tokens",
    "list_users",
    "remove_user",
    "revoke_token",
    "session_principal",
    "set_password",
    "set_role",
    "sign_in",
    "sign_out",
    "token_principal",
    "users_exist",
]
