"""The campaign report: what each creator and the campaign did, what it cost, what it
returned, and what the plan predicted against what happened (formulas in
core/campaigns/figures.py and docs/campaigns.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.campaigns import posts_between
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import LinkClick, Order, UtmSessions
from microscout.core.campaigns import CreatorResult, Totals, totals_of
from microscout.core.campaigns.figures import emv_of
from microscout.core.campaigns.pipeline import NEEDS_FEE
from microscout.core.campaigns.posts import Markers, add_up, why_counted
from microscout.core.cells import csv_text
from microscout.services.campaigns.manage import CampaignSummary, campaign_row, get_campaign


@dataclass(frozen=True)
class CampaignReport:
    campaign: CampaignSummary
    totals: Totals
    creators: list[CreatorResult]
    posts: list[dict[str, Any]]  # the campaign's posts, each with why it counted
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign.as_dict(),
            "totals": self.totals.as_dict(),
            "creators": [c.as_dict() for c in self.creators],
            "posts": self.posts,
            "notes": self.notes,
        }


REPORT_COLUMNS = (
    "handle", "platform", "status", "spend", "posts", "reach", "reach_basis", "views",
    "engagements", "clicks", "sessions", "orders", "revenue", "predicted_reach",
    "reach_error", "predicted_engagements", "engagements_error", "predicted_fee", "emv",
)  # fmt: skip


def report_csv(report: CampaignReport) -> str:
    """The report's creators as CSV, one row each (formula cells neutralised)."""
    return csv_text(REPORT_COLUMNS, [c.as_dict() for c in report.creators])


def campaign_report(
    workspace: Workspace,
    warehouse: Warehouse,
    ref: str | int,
    emv_values: Mapping[str, float] | None = None,
) -> CampaignReport:
    summary = get_campaign(workspace, ref)
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        rows = list(campaign.creators)
        codes = [r.link_code for r in rows]
        clicks = dict(
            session.execute(
                select(LinkClick.link_code, func.count())
                .where(LinkClick.link_code.in_(codes))
                .group_by(LinkClick.link_code)
            ).all()
        )
        visits = dict(
            session.execute(
                select(UtmSessions.campaign_creator_id, func.sum(UtmSessions.sessions))
                .where(UtmSessions.campaign_id == campaign.id)
                .group_by(UtmSessions.campaign_creator_id)
            ).all()
        )
        orders = session.execute(
            select(Order.campaign_creator_id, Order.total, Order.currency).where(
                Order.campaign_id == campaign.id
            )
        ).all()
    sold, other_currency = _sales(orders, summary.currency)
    found = posts_between(
        warehouse, [(r.platform, r.creator_id) for r in rows], summary.starts_on, summary.ends_on
    ).to_pylist()
    by_creator: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for post in found:
        by_creator[(post["platform"], post["creator_id"])].append(post)
    results, counted = [], []
    for row in rows:
        markers = Markers(summary.hashtag, summary.brand_handle, row.promo_code, row.link_code)
        theirs = []
        working = row.status in NEEDS_FEE  # agreed, content live, paid
        for post in by_creator[(row.platform, row.creator_id)] if working else []:
            reason = why_counted(post, markers)
            if reason:
                theirs.append(post)
                counted.append(_shown(post, row.handle, reason))
        figures = add_up(theirs)
        clicked = int(clicks.get(row.link_code, 0))
        results.append(
            CreatorResult(
                handle=row.handle,
                platform=row.platform,
                status=row.status,
                spend=float(row.agreed_fee or 0.0) if row.status in NEEDS_FEE else 0.0,
                posts=figures.posts,
                reach=figures.reach,
                reach_basis=figures.reach_basis,
                views=figures.views,
                engagements=figures.engagements,
                clicks=clicked,
                sessions=int(visits.get(row.id) or 0),
                orders=len(sold[row.id]),
                revenue=round(sum(sold[row.id]), 2),
                predicted_reach=row.predicted_reach,
                predicted_engagements=row.predicted_engagements,
                predicted_fee=row.predicted_fee,
                emv=emv_of(theirs, clicked, emv_values or {}),
            )
        )
    notes = _notes(rows, other_currency, summary.currency, emv_values or {})
    return CampaignReport(summary, totals_of(results), results, counted, notes)


def _sales(orders: Any, currency: str) -> tuple[dict[int, list[float]], int]:
    """Order totals per campaign creator in the campaign's currency, and how many orders were
    in another currency (left out)."""
    sold: dict[int, list[float]] = defaultdict(list)
    other_currency = 0
    for creator_id, total, paid_in in orders:
        if creator_id is None:
            continue  # its creator was taken off the campaign
        if paid_in != currency:
            other_currency += 1
            continue
        sold[creator_id].append(total)
    return sold, other_currency


def _notes(
    rows: Any, other_currency: int, currency: str, emv_values: Mapping[str, float]
) -> list[str]:
    notes = [
        "spend and posts count creators from 'agreed' on; reach adds each post's reach (its "
        "views when it reports none), so people reached by two posts count twice"
    ]
    if emv_values:
        rates = ", ".join(f"{k} {v:g}" for k, v in sorted(emv_values.items()))
        notes.append(f"EMV at your values per action (campaign_emv_values): {rates}")
    if other_currency:
        notes.append(
            f"{other_currency} order(s) in another currency than {currency} are left "
            "out of orders and revenue"
        )
    if not any(r.predicted_reach is not None for r in rows):
        notes.append("no creator came from a saved plan: there are no predictions to compare")
    return notes


def _shown(post: dict[str, Any], handle: str, reason: str) -> dict[str, Any]:
    keep = ("platform", "post_id", "posted_at", "permalink", "likes", "comments", "views", "reach")
    out = {k: post.get(k) for k in keep}
    out["posted_at"] = out["posted_at"].isoformat() if out["posted_at"] else None
    return {"handle": handle, **out, "counted_because": reason}


__all__ = ["REPORT_COLUMNS", "CampaignReport", "campaign_report", "report_csv"]
