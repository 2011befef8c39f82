"""Outreach: a personal first message per creator (core/campaigns/outreach.py), written out as
``.eml`` files, a mail-merge CSV and ``mailto:`` links, and sent by SMTP only when a server is
configured. A creator whose message is sent moves to "contacted", noted in their history.

The fee offered is, in order: the agreed fee; the plan's fee for the creator (the fee model's
estimate, or the creator's own quote when the plan had one); the fee model's estimate per post
times the posts asked for. Creators already agreed, live, paid or declined get no draft.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from microscout.adapters.mail import Letter, Smtp, message, send_all, write_eml
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.campaigns import creator_cards, recent_hashtags
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.campaigns.brief import Brief
from microscout.core.campaigns.outreach import Draft, draft, topics
from microscout.errors import NotFoundError, ParameterError, StoreError
from microscout.services.campaigns.briefs import view_brief
from microscout.services.campaigns.manage import campaign_row, members, move

TO_CONTACT = ("shortlisted", "contacted", "negotiating")
CSV_COLUMNS = ("handle", "platform", "email", "subject", "body", "fee_offered", "fee_basis")


@dataclass(frozen=True)
class Written:
    folder: Path
    drafts: int
    without_address: int
    sent: int


def drafts(workspace: Workspace, warehouse: Warehouse, ref: str | int, sender: str) -> list[Draft]:
    """A first message for every creator still to be won over (module docstring)."""
    try:
        brief: Brief | None = view_brief(workspace, ref).brief
    except NotFoundError:
        brief = None
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        rows = [r for r in campaign.creators if r.status in TO_CONTACT]
        name, currency = campaign.name, campaign.currency
        brand = campaign.brand.name if campaign.brand else None
        people = [
            (r.platform, r.creator_id, r.handle, r.agreed_fee, r.predicted_fee, r.planned_posts)
            for r in rows
        ]
    keys = [(p, c) for p, c, *_ in people]
    cards = {
        (r["platform"], r["creator_id"]): r for r in creator_cards(warehouse, keys).to_pylist()
    }
    tags: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for row in recent_hashtags(warehouse, keys).to_pylist():
        tags[(row["platform"], row["creator_id"])].append(row["hashtags"])
    asked = sum(d.count for d in brief.deliverables) if brief and brief.deliverables else None
    out = []
    for platform, creator_id, handle, agreed, predicted, planned in people:
        card = cards.get((platform, creator_id), {})
        fee, basis = _fee(agreed, predicted, card.get("fee_per_post"), asked or planned or 1)
        out.append(
            draft(
                handle=handle,
                platform=platform,
                display_name=card.get("display_name"),
                contact=card.get("contact_email") or None,
                made_of=topics(tags[(platform, creator_id)]),
                campaign=name,
                brand=brand,
                sender=sender,
                brief=brief,
                fee=fee,
                fee_basis=basis,
                currency=currency,
            )
        )
    return out


def _fee(
    agreed: float | None, planned: float | None, per_post: float | None, posts: int
) -> tuple[float | None, str]:
    if agreed is not None:
        return agreed, "the fee we agreed"
    if planned is not None:
        return planned, "the fee in our plan: your own quote if you gave us one, else our estimate"
    if per_post is not None:
        return float(per_post) * posts, f"our fee model's estimate for {posts} post(s)"
    return None, "no estimate yet"


def _smtp(settings: Settings) -> Smtp | None:
    if not settings.smtp_host:
        return None
    if not settings.mail_from:
        raise ParameterError("mail_from", "set the sender address to send outreach by SMTP")
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return Smtp(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_starttls,
        settings.smtp_user,
        password,
        settings.mail_from,
    )


def write_outreach(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    ref: str | int,
    folder: Path,
    sender: str,
    *,
    send: bool = False,
) -> Written:
    """Write every draft as ``<handle>.eml`` and ``mail-merge.csv`` (with each ``mailto:``
    link) into ``folder``; with ``send``, also send those with an address by SMTP."""
    made = drafts(workspace, warehouse, ref, sender)
    smtp = _smtp(settings) if send else None
    if send and smtp is None:
        raise ParameterError("--send", "no SMTP server is configured (smtp_host): nothing sent")
    folder.mkdir(parents=True, exist_ok=True)
    headers = {"X-Microscout-Campaign": str(ref)}
    mails = {
        d.handle: message(Letter(d.to, d.subject, d.body), settings.mail_from, headers)
        for d in made
    }
    for d in made:
        write_eml(folder / f"{d.platform}-{d.handle}.eml", mails[d.handle])
    with (folder / "mail-merge.csv").open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow([*CSV_COLUMNS, "mailto"])
        for d in made:
            out.writerow(
                [
                    d.handle,
                    d.platform,
                    d.to or "",
                    d.subject,
                    d.body,
                    d.fee_offered,
                    d.fee_basis,
                    d.mailto or "",
                ]
            )
    sent = 0
    if smtp is not None:
        addressed = [d for d in made if d.to]
        try:
            sent = send_all(smtp, [mails[d.handle] for d in addressed])
        except OSError as exc:
            raise StoreError(f"cannot send through {smtp.host}:{smtp.port}: {exc}") from None
        waiting = {
            (m.platform, m.handle) for m in members(workspace, ref) if m.status == "shortlisted"
        }
        for d in addressed:
            if (d.platform, d.handle) in waiting:  # never moved back from further on
                move(
                    workspace, ref, f"{d.platform}:{d.handle}", "contacted", "outreach e-mail sent"
                )
    return Written(folder, len(made), sum(1 for d in made if not d.to), sent)


__all__ = ["CSV_COLUMNS", "Written", "drafts", "write_outreach"]
