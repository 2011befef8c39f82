"""Tracking links and promo codes per creator, and the short-link redirect's click counting
(core/campaigns/tracking.py has the rules; docs/campaigns.md the conventions)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import CampaignCreator, LinkClick
from microscout.core.campaigns import is_bot, utm_link, visitor_key
from microscout.errors import NotFoundError
from microscout.services.campaigns.manage import campaign_row


@dataclass(frozen=True)
class Tracking:
    """One creator's ways to be traced: the short link, where it leads, the promo code."""

    handle: str
    platform: str
    short_link: str
    target: str | None
    promo_code: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def tracking(workspace: Workspace, ref: str | int, base_url: str) -> list[Tracking]:
    """Every creator's short link (on ``base_url``, where the app is served), the UTM-tagged
    landing page it leads to (None when the campaign has no landing URL) and promo code."""
    base = base_url.rstrip("/")
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        return [
            Tracking(
                row.handle,
                row.platform,
                f"{base}/r/{row.link_code}",
                utm_link(campaign.landing_url, row.platform, campaign.name, row.handle)
                if campaign.landing_url
                else None,
                row.promo_code,
            )
            for row in campaign.creators
        ]


def follow_link(
    workspace: Workspace, code: str, key: bytes, address: str, user_agent: str, today: date
) -> str:
    """Where short link ``code`` leads, counting the click: once per visitor and day, never
    for a bot, and without storing the address (a keyed daily pseudonym instead)."""
    with workspace.session() as session:
        row = session.scalar(select(CampaignCreator).where(CampaignCreator.link_code == code))
        if row is None or not row.campaign.landing_url:
            raise NotFoundError("no such link")
        campaign = row.campaign
        target = utm_link(campaign.landing_url or "", row.platform, campaign.name, row.handle)
    if is_bot(user_agent):
        return target
    visitor = visitor_key(key, today, address, user_agent)
    try:
        with workspace.session() as session:
            session.add(LinkClick(link_code=code, day=today, visitor=visitor))
    except IntegrityError:
        pass  # this visitor clicked today already: counted once
    return target


__all__ = ["Tracking", "follow_link", "tracking"]
