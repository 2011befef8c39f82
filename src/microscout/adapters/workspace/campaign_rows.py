"""Rows of the campaign workspace: brands, campaigns, the creators working on each with their
status history, tracked clicks, imported orders and the rows an import refused.

Every table is created by Alembic revisions ``0004_campaigns`` to ``0007_agreements``; the schema
test compares the migrated database with these models, as for the other rows (``models.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from microscout.adapters.workspace.models import (
    KEY_MAX,
    NAME_MAX,
    PLATFORM_MAX,
    Base,
    UtcDateTime,
    utc_now,
)

CODE_MAX = 40
STATUS_MAX = 20
URL_MAX = 2000


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (Index("uq_brands_name_lower", func.lower(name), unique=True),)


class Campaign(Base):
    """A campaign: its money, its dates, and what marks its posts (hashtag, brand handle)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    brand_id: Mapped[int | None] = mapped_column(
        ForeignKey("brands.id", ondelete="SET NULL"), nullable=True, index=True
    )
    objective: Mapped[str] = mapped_column(String(STATUS_MAX))
    budget: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    hashtag: Mapped[str | None] = mapped_column(String(NAME_MAX), nullable=True)
    brand_handle: Mapped[str | None] = mapped_column(String(KEY_MAX), nullable=True)
    landing_url: Mapped[str | None] = mapped_column(String(URL_MAX), nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    brand: Mapped[Brand | None] = relationship()
    creators: Mapped[list[CampaignCreator]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CampaignCreator.id",
    )

    __table_args__ = (Index("uq_campaigns_name_lower", func.lower(name), unique=True),)


class CampaignCreator(Base):
    """A creator working on a campaign: where they came from, what the plan predicted, what was
    agreed, their status, and their tracking link and promo code."""

    __tablename__ = "campaign_creators"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(PLATFORM_MAX))
    creator_id: Mapped[str] = mapped_column(String(KEY_MAX))
    handle: Mapped[str] = mapped_column(String(KEY_MAX))
    status: Mapped[str] = mapped_column(String(STATUS_MAX))
    source: Mapped[str] = mapped_column(String(STATUS_MAX))  # plan, shortlist, handle
    planned_posts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    predicted_fee: Mapped[float | None] = mapped_column(Float, nullable=True)
    predicted_reach: Mapped[int | None] = mapped_column(Integer, nullable=True)
    predicted_engagements: Mapped[int | None] = mapped_column(Integer, nullable=True)
    agreed_fee: Mapped[float | None] = mapped_column(Float, nullable=True)
    agreed_posts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # what else was agreed, as JSON: deliverables, due date, usage rights, disclosure
    agreed_terms: Mapped[str | None] = mapped_column(Text, nullable=True)
    link_code: Mapped[str] = mapped_column(String(CODE_MAX), unique=True)
    promo_code: Mapped[str] = mapped_column(String(CODE_MAX), unique=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    campaign: Mapped[Campaign] = relationship(back_populates="creators")
    history: Mapped[list[StatusChange]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="StatusChange.id"
    )

    __table_args__ = (UniqueConstraint("campaign_id", "platform", "creator_id"),)


class StatusChange(Base):
    """One move in a creator's pipeline: when, from, to, and the note that came with it."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_creator_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_creators.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    from_status: Mapped[str | None] = mapped_column(String(STATUS_MAX), nullable=True)
    to_status: Mapped[str] = mapped_column(String(STATUS_MAX))
    note: Mapped[str] = mapped_column(Text, default="")


class CampaignBrief(Base):
    """A campaign's brief (core/campaigns/brief.py), kept as JSON: its fields are the brief's
    own and change with it, not with the schema."""

    __tablename__ = "campaign_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LinkClick(Base):
    """A visitor's click on a tracking link, once per link, visitor and day. ``visitor`` is a
    keyed hash of the address and browser that changes every day: no address is stored, and
    yesterday's visitors cannot be matched with today's."""

    __tablename__ = "link_clicks"
    __audited__ = False  # visitors' clicks, not changes someone made

    id: Mapped[int] = mapped_column(primary_key=True)
    link_code: Mapped[str] = mapped_column(String(CODE_MAX))
    day: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("link_code", "day", "visitor"),)


class Order(Base):
    """An order imported from a shop's export, kept when it names a campaign code or link."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    order_ref: Mapped[str] = mapped_column(String(KEY_MAX))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    total: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    promo_code: Mapped[str | None] = mapped_column(String(CODE_MAX), nullable=True)
    utm_content: Mapped[str | None] = mapped_column(String(KEY_MAX), nullable=True)
    campaign_creator_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign_creators.id", ondelete="SET NULL"), nullable=True, index=True
    )
    source: Mapped[str] = mapped_column(String(URL_MAX))

    __table_args__ = (UniqueConstraint("campaign_id", "order_ref"),)


class UtmSessions(Base):
    """Sessions an analytics export (GA4) counted for one creator's UTM link on one day."""

    __tablename__ = "utm_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    campaign_creator_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_creators.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(URL_MAX))  # the file it came from
    sessions: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_utm_sessions_campaign_id_source", "campaign_id", "source"),)


class RejectedRow(Base):
    """A row an import into the workspace refused, kept with its file, line and reason."""

    __tablename__ = "rejected_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(URL_MAX))
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


__all__ = [
    "Brand",
    "Campaign",
    "CampaignBrief",
    "CampaignCreator",
    "LinkClick",
    "Order",
    "RejectedRow",
    "StatusChange",
    "UtmSessions",
]
