"""Rows of the platform connectors: stored credentials, sync jobs with their checkpoints, and the
YouTube quota units spent per day.

Created by Alembic revision ``0008_connectors``; the schema test compares it with these models.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from microscout.adapters.workspace.models import (
    KEY_MAX,
    NAME_MAX,
    PLATFORM_MAX,
    SECRET,
    UNAUDITED,
    Base,
    UtcDateTime,
    utc_now,
)

STATE_MAX = 20
DIGEST_MAX = 64
DAY_MAX = 10


class PlatformCredential(Base):
    """A platform key or token, sealed with the server's key (``adapters/secrets.py``).

    ``creator_handle`` is empty for the brand's own credential (the YouTube key, the Instagram
    business account) and names the creator for a creator who connected their own account.
    ``hint`` is the secret's last characters, enough to tell two apart.
    """

    __tablename__ = "platform_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    creator_handle: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    account_id: Mapped[str | None] = mapped_column(String(KEY_MAX), nullable=True)
    sealed: Mapped[str] = mapped_column(Text, info=SECRET)
    hint: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    state: Mapped[str] = mapped_column(String(STATE_MAX), default="unchecked", info=UNAUDITED)
    state_message: Mapped[str] = mapped_column(Text, default="", info=UNAUDITED)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, info=UNAUDITED)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("platform", "creator_handle"),)


class SyncJob(Base):
    """One sync: what it fetches (``spec``, JSON), how far it got and why it stopped.

    The checkpoint is ``landed`` (targets whose rows are in the warehouse) plus the fetched
    targets' files in the job's folder; ``digest`` finds the unfinished job a command repeats.
    """

    __tablename__ = "sync_jobs"
    __audited__ = False  # bookkeeping of a machine process, not a user's edit

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    kind: Mapped[str] = mapped_column(String(STATE_MAX))
    digest: Mapped[str] = mapped_column(String(DIGEST_MAX), index=True)
    spec: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(STATE_MAX), default="running")
    # host:pid of the process running it, '' when none: a job left "running" by a process that
    # died reads as interrupted, and a second process cannot run it at the same time
    runner: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    landed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[str] = mapped_column(Text, default="{}")
    counts: Mapped[str] = mapped_column(Text, default="{}")
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class QuotaUse(Base):
    """Units a platform's daily quota has spent, per quota day (YouTube: Pacific time)."""

    __tablename__ = "quota_use"
    __audited__ = False

    platform: Mapped[str] = mapped_column(String(PLATFORM_MAX), primary_key=True)
    day: Mapped[str] = mapped_column(String(DAY_MAX), primary_key=True)
    units: Mapped[int] = mapped_column(Integer, default=0)


Index("ix_sync_jobs_status", SyncJob.status)

__all__ = ["PlatformCredential", "QuotaUse", "SyncJob"]
