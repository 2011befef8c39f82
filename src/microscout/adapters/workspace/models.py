"""Rows of the workspace store (SQLAlchemy 2 typed declarative models).

The workspace holds what users create and edit — shortlists now; brands, campaigns and outreach
later — as opposed to the analytical warehouse. Every table is created by an Alembic revision in
``migrations/versions``; a test checks that the migrated schema equals these models.

Times are stored in UTC and always come back timezone-aware (UTC), on SQLite too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAME_MAX = 100
PLATFORM_MAX = 20
KEY_MAX = 200

# Named constraints, so later migrations can alter or drop them by name on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back as an aware UTC datetime on every backend.

    SQLite keeps no offset, so values are normalised to UTC before they are written; naive values
    are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("workspace times must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Shortlist(Base):
    """A named list of creators a brand is considering."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    entries: Mapped[list[ShortlistEntry]] = relationship(
        back_populates="shortlist",
        cascade="all, delete-orphan",
        # the database's ON DELETE CASCADE removes the entries; the ORM need not load them
        passive_deletes=True,
        order_by="ShortlistEntry.id",
    )

    __table_args__ = (
        # "Summer" and "summer" are the same list to a user: uniqueness ignores case.
        Index("uq_shortlists_name_lower", func.lower(name), unique=True),
    )


class ShortlistEntry(Base):
    """One creator on a shortlist, keyed like the warehouse: (platform, creator_id).

    ``handle`` is the handle when the creator was added, kept so the entry stays readable when
    the creator later leaves the warehouse.
    """

    __tablename__ = "shortlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique constraint below starts with this column
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    creator_id: Mapped[str] = mapped_column(String(KEY_MAX))
    handle: Mapped[str] = mapped_column(String(KEY_MAX))
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    shortlist: Mapped[Shortlist] = relationship(back_populates="entries")

    __table_args__ = (UniqueConstraint("shortlist_id", "platform", "creator_id"),)


class AuditEvent(Base):
    """One change to the workspace: who, from where, when, what (``adapters/workspace/audit.py``
    writes these in the same transaction as the change itself)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(KEY_MAX))
    origin: Mapped[str] = mapped_column(String(KEY_MAX))
    action: Mapped[str] = mapped_column(String(PLATFORM_MAX))  # created, changed, deleted
    entity: Mapped[str] = mapped_column(String(NAME_MAX))  # the table: shortlists, ...
    entity_id: Mapped[str] = mapped_column(String(KEY_MAX))
    detail: Mapped[str] = mapped_column(Text)  # JSON: the values, or {field: [before, after]}


# Column info flags read by the audit log (audit.py).
SECRET = {"secret": True}  # recorded as "***", never its value
UNAUDITED = {"audited": False}  # bookkeeping a change record would only drown in
HASH_LENGTH = 64  # hex SHA-256
ROLE_MAX = 20


class User(Base):
    """Someone who signs in: a name, a role (``core/access.py``) and an Argon2id password hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    role: Mapped[str] = mapped_column(String(ROLE_MAX))
    password_hash: Mapped[str] = mapped_column(String(KEY_MAX), info=SECRET)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (Index("uq_users_name_lower", func.lower(name), unique=True),)


class ApiToken(Base):
    """A token for the REST API: only its SHA-256 is kept (the token is shown once, when made).

    ``hint`` is the token's first characters, enough to tell tokens apart in a list.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    scope: Mapped[str] = mapped_column(String(ROLE_MAX))
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True, info=SECRET)
    hint: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True, info=UNAUDITED
    )

    user: Mapped[User] = relationship()


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie, its user and when it ends. Logging in and
    out is not a change to the workspace, so the audit log leaves these rows out."""

    __tablename__ = "web_sessions"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    user: Mapped[User] = relationship()


__all__ = [
    "NAME_MAX",
    "SECRET",
    "UNAUDITED",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Shortlist",
    "ShortlistEntry",
    "User",
    "UtcDateTime",
    "WebSession",
    "utc_now",
]
