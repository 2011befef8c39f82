"""Sessions from an analytics export (GA4's "Traffic acquisition" report as CSV), counted for
the creator whose UTM link brought them.

Columns are matched by name ignoring case, spaces and underscores: ``Session campaign`` and
``Sessions`` are required, the creator is ``Session manual ad content`` (``utm_content``),
``Date`` (YYYYMMDD or YYYY-MM-DD) is read when present. A row is the campaign's when its
campaign is the campaign's slug and its content a creator's handle; other rows are counted as
not this campaign's. A row that cannot be read is kept aside with its line and reason.
Importing a file again replaces what that file brought before, so nothing is counted twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import delete

from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import UtmSessions
from microscout.core.campaigns.tracking import slug
from microscout.core.counts import COUNT_MAX
from microscout.services.campaigns.csv_rows import keep_aside, read_rows
from microscout.services.campaigns.manage import campaign_row

CAMPAIGN, CONTENT, SESSIONS, DAY = "sessioncampaign", "sessionmanualadcontent", "sessions", "date"
ALIASES = MappingProxyType(
    {"sessioncontent": CONTENT, "utmcontent": CONTENT, "utmcampaign": CAMPAIGN}
)


@dataclass(frozen=True)
class SessionsImported:
    rows: int
    sessions: int
    not_this_campaign: int
    rejected: int


def _column(header: str) -> str:
    key = re.sub(r"[\s_]+", "", header.lower())
    return ALIASES.get(key, key)


def _day(text: str) -> date | None:
    raw = text.strip()
    if not raw:
        return None
    for form in ("%Y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, form).date()
        except ValueError:
            continue
    raise ValueError(f"'Date' {text!r} is not a date (YYYYMMDD or YYYY-MM-DD)")


def _count(text: str) -> int:
    raw = text.strip().replace(",", "")
    if not raw.isdigit() or int(raw) > COUNT_MAX:
        raise ValueError(f"'Sessions' {text!r} is not a count")
    return int(raw)


def import_sessions(workspace: Workspace, ref: str | int, path: Path) -> SessionsImported:
    rows = read_rows(path, (CAMPAIGN, SESSIONS), "a GA4 traffic acquisition export", _column)
    kept = total = elsewhere = rejected = 0
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        by_handle = {c.handle.lower(): c for c in campaign.creators}
        own = slug(campaign.name)
        session.execute(
            delete(UtmSessions).where(
                UtmSessions.campaign_id == campaign.id, UtmSessions.source == str(path)
            )
        )
        for line, raw in rows:
            try:
                count, day = _count(raw.get(SESSIONS, "")), _day(raw.get(DAY, ""))
            except ValueError as exc:
                keep_aside(session, campaign.id, path, line, str(exc), raw)
                rejected += 1
                continue
            creator = by_handle.get(raw.get(CONTENT, "").strip().lower())
            if raw.get(CAMPAIGN, "").strip().lower() != own or creator is None:
                elsewhere += 1
                continue
            session.add(
                UtmSessions(
                    campaign_id=campaign.id,
                    campaign_creator_id=creator.id,
                    day=day,
                    source=str(path),
                    sessions=count,
                )
            )
            kept += 1
            total += count
    return SessionsImported(kept, total, elsewhere, rejected)


__all__ = ["SessionsImported", "import_sessions"]
