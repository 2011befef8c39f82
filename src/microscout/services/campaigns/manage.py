"""Campaigns and the creators working on them: create, add (from a saved plan, a shortlist or
by handle), move along the status pipeline, record what was agreed.

A creator added from a plan keeps the plan's predictions (posts, fee, reach, engagements) for
the report's predicted-vs-actual; one added otherwise has none. Each creator gets a short-link
code and a promo code at once, unique across the workspace. Every change is one workspace
transaction, checked whole before anything is written, and recorded in the audit log.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import (
    Brand,
    Campaign,
    CampaignCreator,
    StatusChange,
)
from microscout.adapters.workspace.models import NAME_MAX, Shortlist
from microscout.core.campaigns import link_code, move_problem, normal_status, promo_code
from microscout.core.campaigns.brief import DISCLOSURE, Brief
from microscout.core.campaigns.pipeline import STATUSES
from microscout.core.cells import csv_text
from microscout.core.handles import normalise_handle
from microscout.errors import FileFormatError, NotFoundError, ParameterError
from microscout.services.browse.creators import find_creator, split_key

OBJECTIVES = ("reach", "frequency", "engaged", "sales")
BUDGET_MAX = 1e9
NOTE_MAX = 2000


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    name: str
    brand: str | None
    objective: str
    budget: float
    currency: str
    starts_on: date
    ends_on: date
    hashtag: str | None
    brand_handle: str | None
    landing_url: str | None
    creators: int
    is_demo: bool

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["starts_on"], out["ends_on"] = self.starts_on.isoformat(), self.ends_on.isoformat()
        return out


@dataclass(frozen=True)
class Member:
    """A creator on a campaign, as listed."""

    handle: str
    platform: str
    status: str
    source: str
    planned_posts: int | None
    predicted_fee: float | None
    predicted_reach: int | None
    agreed_fee: float | None
    link_code: str
    promo_code: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Added:
    added: list[str]
    already: list[str]


def _summary(campaign: Campaign, creators: int) -> CampaignSummary:
    return CampaignSummary(
        campaign.id,
        campaign.name,
        campaign.brand.name if campaign.brand else None,
        campaign.objective,
        campaign.budget,
        campaign.currency,
        campaign.starts_on,
        campaign.ends_on,
        campaign.hashtag,
        campaign.brand_handle,
        campaign.landing_url,
        creators,
        campaign.is_demo,
    )


def _member(row: CampaignCreator) -> Member:
    return Member(
        row.handle,
        row.platform,
        row.status,
        row.source,
        row.planned_posts,
        row.predicted_fee,
        row.predicted_reach,
        row.agreed_fee,
        row.link_code,
        row.promo_code,
    )


def _brand(session: Session, name: str | None) -> Brand | None:
    if not name or not name.strip():
        return None
    cleaned = name.strip()[:NAME_MAX]
    found = session.scalar(select(Brand).where(func.lower(Brand.name) == cleaned.lower()))
    if found is None:
        found = Brand(name=cleaned)
        session.add(found)
    return found


def _checked(
    name: str, budget: float, starts_on: date, ends_on: date, currency: str, objective: str
) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > NAME_MAX:
        raise ParameterError("NAME", f"a campaign name is 1-{NAME_MAX} characters")
    if not math.isfinite(budget) or not 0 < budget <= BUDGET_MAX:
        raise ParameterError("--budget", f"must be above 0 and at most {BUDGET_MAX:,.0f}")
    if ends_on < starts_on:
        raise ParameterError("--end", f"{ends_on} is before the start, {starts_on}")
    if len(currency) != 3 or not currency.isalpha():
        raise ParameterError("--currency", "an ISO 4217 code of 3 letters, e.g. USD")
    if objective not in OBJECTIVES:
        raise ParameterError("--objective", f"one of {', '.join(OBJECTIVES)}")
    return cleaned


def create_campaign(
    workspace: Workspace,
    name: str,
    budget: float,
    starts_on: date,
    ends_on: date,
    *,
    brand: str | None = None,
    objective: str = "reach",
    currency: str = "USD",
    hashtag: str | None = None,
    brand_handle: str | None = None,
    landing_url: str | None = None,
    is_demo: bool = False,
) -> CampaignSummary:
    cleaned = _checked(name, budget, starts_on, ends_on, currency, objective)
    if landing_url and not landing_url.startswith(("https://", "http://")):
        raise ParameterError("--landing-url", "must start with https:// or http://")
    try:
        with workspace.session() as session:
            campaign = Campaign(
                name=cleaned,
                brand=_brand(session, brand),
                objective=objective,
                budget=float(budget),
                currency=currency.upper(),
                starts_on=starts_on,
                ends_on=ends_on,
                hashtag=(hashtag or "").strip().lstrip("#").lower() or None,
                brand_handle=normalise_handle(brand_handle or "") or None,
                landing_url=landing_url or None,
                is_demo=is_demo,
            )
            session.add(campaign)
            session.flush()
            return _summary(campaign, 0)
    except IntegrityError:
        raise ParameterError("NAME", f"a campaign called '{cleaned}' already exists") from None


def campaign_row(session: Session, ref: str | int) -> Campaign:
    text = str(ref).strip()
    query = select(Campaign)
    if text.isdigit():
        found = session.get(Campaign, int(text))
    else:
        found = session.scalar(query.where(func.lower(Campaign.name) == text.lower()))
    if found is None:
        raise NotFoundError(f"no campaign {text!r}; `microscout campaign list` shows them")
    return found


def get_campaign(workspace: Workspace, ref: str | int) -> CampaignSummary:
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        return _summary(campaign, len(campaign.creators))


def list_campaigns(workspace: Workspace) -> list[CampaignSummary]:
    with workspace.session() as session:
        campaigns = session.scalars(select(Campaign).order_by(Campaign.id)).all()
        return [_summary(c, len(c.creators)) for c in campaigns]


def members(workspace: Workspace, ref: str | int) -> list[Member]:
    with workspace.session() as session:
        return [_member(row) for row in campaign_row(session, ref).creators]


# -- adding creators ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Candidate:
    platform: str
    creator_id: str
    handle: str
    source: str
    planned_posts: int | None = None
    predicted_fee: float | None = None
    predicted_reach: int | None = None
    predicted_engagements: int | None = None


def _from_plan(warehouse: Warehouse, path: Path) -> list[_Candidate]:
    """The creators of a saved plan (``microscout plan --out DIR`` writes plan.json), with
    the plan's predictions."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileFormatError(path, "no such file") from None
    except (OSError, ValueError) as exc:
        raise FileFormatError(
            path, f"not a plan.json written by `microscout plan` ({exc})"
        ) from None
    try:
        return _planned(warehouse, data)
    except (KeyError, TypeError, ValueError) as exc:
        problem = f"not a plan.json written by `microscout plan` (no {exc})"
        raise FileFormatError(path, problem) from None


def _planned(warehouse: Warehouse, data: Mapping[str, Any]) -> list[_Candidate]:
    """A plan's creators (``Plan.to_dict()``, as plan.json holds it) with its predictions."""
    out = []
    for c in data["creators"]:
        found = find_creator(warehouse, str(c["handle"]), str(c["platform"]))
        out.append(
            _Candidate(
                str(c["platform"]),
                str(found["creator_id"]),
                str(found["handle"]),
                "plan",
                _int(c.get("posts")),
                _float(c.get("fee")),
                _int(c.get("expected_reach")),
                _int(c.get("expected_engagements")),
            )
        )
    return out


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _from_shortlist(session: Session, shortlist_id: int) -> list[_Candidate]:
    shortlist = session.get(Shortlist, shortlist_id)
    if shortlist is None:
        raise NotFoundError(f"no shortlist {shortlist_id}; `microscout shortlist list` shows them")
    return [_Candidate(e.platform, e.creator_id, e.handle, "shortlist") for e in shortlist.entries]


def _from_handles(warehouse: Warehouse, keys: Sequence[str]) -> list[_Candidate]:
    out = []
    for key in keys:
        platform, handle = split_key(key)
        found = find_creator(warehouse, handle, platform)
        out.append(
            _Candidate(
                str(found["platform"]), str(found["creator_id"]), str(found["handle"]), "handle"
            )
        )
    return out


def _fresh_codes(session: Session, handle: str) -> tuple[str, str]:
    """A link code and a promo code no campaign creator has yet."""
    for _ in range(20):
        link, promo = link_code(), promo_code(handle)
        taken = session.scalar(
            select(func.count()).where(
                (CampaignCreator.link_code == link) | (CampaignCreator.promo_code == promo)
            )
        )
        if not taken:
            return link, promo
    raise RuntimeError("no free tracking code after 20 draws")  # 27^4 codes per prefix


def add_creators(
    workspace: Workspace,
    warehouse: Warehouse,
    ref: str | int,
    *,
    plan_file: Path | None = None,
    plan: Mapping[str, Any] | None = None,
    shortlist_id: int | None = None,
    handles: Sequence[str] = (),
) -> Added:
    """Add creators from one source: a plan.json file, a plan (``Plan.to_dict()``), a
    shortlist or handles; one already on the campaign keeps its place (and its predictions)."""
    sources = (plan_file, plan, shortlist_id, tuple(handles) or None)
    if sum(x is not None for x in sources) != 1:
        raise ParameterError("--plan", "give exactly one of --plan, --shortlist or handles")
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        if plan_file is not None:
            candidates = _from_plan(warehouse, plan_file)
        elif plan is not None:
            candidates = _planned(warehouse, plan)
        elif shortlist_id is not None:
            candidates = _from_shortlist(session, shortlist_id)
        else:
            candidates = _from_handles(warehouse, handles)
        present = {(c.platform, c.creator_id) for c in campaign.creators}
        added, already = [], []
        for c in candidates:
            if (c.platform, c.creator_id) in present:
                already.append(c.handle)
                continue
            present.add((c.platform, c.creator_id))
            link, promo = _fresh_codes(session, c.handle)
            row = CampaignCreator(
                platform=c.platform,
                creator_id=c.creator_id,
                handle=c.handle,
                status="shortlisted",
                source=c.source,
                planned_posts=c.planned_posts,
                predicted_fee=c.predicted_fee,
                predicted_reach=c.predicted_reach,
                predicted_engagements=c.predicted_engagements,
                link_code=link,
                promo_code=promo,
            )
            campaign.creators.append(row)
            row.history.append(
                StatusChange(from_status=None, to_status="shortlisted", note=c.source)
            )
            session.flush()  # the next draw checks against this one's codes
            added.append(c.handle)
        return Added(added, already)


# -- pipeline ------------------------------------------------------------------------------------
def _creator(session: Session, campaign: Campaign, handle: str) -> CampaignCreator:
    platform, name = split_key(handle)
    wanted = normalise_handle(name)
    for row in campaign.creators:
        if row.handle.lower() == wanted and (platform is None or row.platform == platform):
            return row
    raise NotFoundError(f"@{wanted} is not on the campaign '{campaign.name}'")


def move(workspace: Workspace, ref: str | int, handle: str, status: str, note: str = "") -> Member:
    """Move a creator to ``status``, recording when, from, to and the note."""
    wanted = normal_status(status)
    if wanted is None:
        raise ParameterError("STATUS", f"{status!r} is not a status; one of {', '.join(STATUSES)}")
    if len(note) > NOTE_MAX:
        raise ParameterError("--note", f"at most {NOTE_MAX} characters")
    with workspace.session() as session:
        row = _creator(session, campaign_row(session, ref), handle)
        problem = move_problem(row.status, wanted, row.agreed_fee)
        if problem:
            raise ParameterError("STATUS", f"@{row.handle}: {problem}")
        row.history.append(StatusChange(from_status=row.status, to_status=wanted, note=note))
        row.status = wanted
        session.flush()
        return _member(row)


@dataclass(frozen=True)
class Terms:
    """What else is agreed: the deliverables, when, the usage rights and the disclosure (the
    platform's required one when left empty)."""

    deliverables: str = ""
    due_on: date | None = None
    usage_rights: str = Brief.usage_rights
    disclosure: str = ""

    def checked(self, platform: str) -> dict[str, Any]:
        for name, text in (
            ("--deliverables", self.deliverables),
            ("--usage-rights", self.usage_rights),
            ("--disclosure", self.disclosure),
        ):
            if len(text) > NOTE_MAX:
                raise ParameterError(name, f"at most {NOTE_MAX} characters")
        return {
            "deliverables": self.deliverables.strip(),
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "usage_rights": self.usage_rights.strip() or Brief.usage_rights,
            "disclosure": self.disclosure.strip() or DISCLOSURE.get(platform, DISCLOSURE["other"]),
        }


def agree(
    workspace: Workspace,
    ref: str | int,
    handle: str,
    fee: float,
    posts: int | None = None,
    note: str = "",
    terms: Terms | None = None,
) -> Member:
    """Record the agreement (fee, posts and terms): the creator moves to "agreed" unless
    further on."""
    if not math.isfinite(fee) or not 0 <= fee <= BUDGET_MAX:
        raise ParameterError("--fee", f"must be between 0 and {BUDGET_MAX:,.0f}")
    if posts is not None and not 1 <= posts <= 100:
        raise ParameterError("--posts", "must be between 1 and 100")
    with workspace.session() as session:
        row = _creator(session, campaign_row(session, ref), handle)
        row.agreed_fee, row.agreed_posts = float(fee), posts
        row.agreed_terms = json.dumps((terms or Terms()).checked(row.platform), ensure_ascii=False)
        if row.status in ("shortlisted", "contacted", "negotiating", "declined"):
            row.history.append(
                StatusChange(
                    from_status=row.status, to_status="agreed", note=note or f"fee {fee:,.2f}"
                )
            )
            row.status = "agreed"
        session.flush()
        return _member(row)


AGREEMENT_COLUMNS = (
    "handle", "platform", "status", "fee", "posts", "deliverables", "due_on", "usage_rights",
    "disclosure",
)  # fmt: skip


def agreements(workspace: Workspace, ref: str | int) -> list[dict[str, Any]]:
    """What was agreed with each creator who has an agreement, for export."""
    with workspace.session() as session:
        out = []
        for row in campaign_row(session, ref).creators:
            if row.agreed_fee is None:
                continue
            terms = json.loads(row.agreed_terms) if row.agreed_terms else {}
            out.append(
                {
                    "handle": row.handle,
                    "platform": row.platform,
                    "status": row.status,
                    "fee": row.agreed_fee,
                    "posts": row.agreed_posts,
                    **{k: terms.get(k) for k in AGREEMENT_COLUMNS[5:]},
                }
            )
        return out


def agreements_csv(workspace: Workspace, ref: str | int) -> str:
    """The agreements as CSV (formula cells neutralised)."""
    return csv_text(AGREEMENT_COLUMNS, agreements(workspace, ref))


def history(workspace: Workspace, ref: str | int, handle: str) -> list[dict[str, Any]]:
    """A creator's moves, oldest first."""
    with workspace.session() as session:
        row = _creator(session, campaign_row(session, ref), handle)
        return [
            {"at": _iso(h.at), "from": h.from_status, "to": h.to_status, "note": h.note}
            for h in row.history
        ]


def _iso(value: datetime) -> str:
    return value.isoformat()


__all__ = [
    "AGREEMENT_COLUMNS",
    "OBJECTIVES",
    "Added",
    "CampaignSummary",
    "Member",
    "Terms",
    "add_creators",
    "agree",
    "agreements",
    "agreements_csv",
    "campaign_row",
    "create_campaign",
    "get_campaign",
    "history",
    "list_campaigns",
    "members",
    "move",
]
