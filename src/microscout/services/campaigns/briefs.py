"""A campaign's brief: stored, checked for creative freedom, rendered to send
(core/campaigns/brief.py has the rules)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import CampaignBrief
from microscout.adapters.workspace.models import utc_now
from microscout.core.campaigns.brief import Brief, Check, brief_from, check, markdown
from microscout.errors import FileFormatError, NotFoundError, ParameterError
from microscout.services.campaigns.manage import campaign_row


@dataclass(frozen=True)
class BriefView:
    brief: Brief
    check: Check
    markdown: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "brief": self.brief.as_dict(),
            "free": self.check.free,
            "concerns": [{"field": c.field, "message": c.message} for c in self.check.concerns],
            "markdown": self.markdown,
        }


def read_brief_file(path: Path) -> dict[str, Any]:
    """The brief's fields from a TOML or JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except FileNotFoundError:
        raise FileFormatError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise FileFormatError(path, f"not a TOML or JSON brief ({exc})") from None
    if not isinstance(data, dict):
        raise FileFormatError(path, "a brief is a table of fields")
    return data


def set_brief(workspace: Workspace, ref: str | int, data: dict[str, Any]) -> BriefView:
    """Store the brief (replacing the last one) and say what its check finds."""
    try:
        brief = brief_from(data)
    except (ValueError, TypeError) as exc:
        raise ParameterError("brief", str(exc)) from None
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        row = session.scalar(select(CampaignBrief).where(CampaignBrief.campaign_id == campaign.id))
        body = json.dumps(brief.as_dict(), ensure_ascii=False)
        if row is None:
            session.add(CampaignBrief(campaign_id=campaign.id, body=body))
        else:
            row.body, row.updated_at = body, utc_now()
    return view_brief(workspace, ref)


def view_brief(workspace: Workspace, ref: str | int) -> BriefView:
    """The stored brief, its check and its Markdown; NotFoundError when none is set."""
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        row = session.scalar(select(CampaignBrief).where(CampaignBrief.campaign_id == campaign.id))
        if row is None:
            raise NotFoundError(
                f"the campaign '{campaign.name}' has no brief yet: `microscout campaign brief "
                f"{campaign.id} --from brief.toml` sets one (docs/campaigns.md shows its fields)"
            )
        brief = brief_from(json.loads(row.body))
        platforms = [c.platform for c in campaign.creators]
        text = markdown(
            brief, campaign.name, campaign.brand.name if campaign.brand else None, platforms
        )
    return BriefView(brief, check(brief), text)


__all__ = ["BriefView", "read_brief_file", "set_brief", "view_brief"]
