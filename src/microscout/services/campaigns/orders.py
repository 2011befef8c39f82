"""Orders from a shop's export (Shopify's orders CSV), kept when they carry one of the
campaign's promo codes or its creators' UTM links.

Read columns: ``Name`` (the order), ``Created at``, ``Total`` (required), ``Currency``,
``Discount Code`` and ``Landing Site`` (optional). A row is the campaign's when its discount code
is a creator's promo code, or when its landing site carries ``utm_campaign`` = the campaign's
slug and ``utm_content`` = a creator's handle; the code wins when both name someone. Shopify
writes one row per line item, the order's figures on its first: later rows of an order are
skipped. A row that cannot be read is kept in ``rejected_rows`` with its line and reason and the
rest is imported; importing the same file again adds nothing twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.campaign_rows import Order
from microscout.core.campaigns.tracking import slug
from microscout.core.counts import COUNT_MAX
from microscout.services.campaigns.csv_rows import keep_aside, read_rows
from microscout.services.campaigns.manage import campaign_row

REQUIRED = ("Name", "Created at", "Total")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


@dataclass(frozen=True)
class OrdersImported:
    imported: int
    already: int
    not_this_campaign: int
    rejected: int


def _when(text: str) -> datetime:
    raw = text.strip().replace("Z", "+00:00")
    for form in TIME_FORMATS:
        try:
            found = datetime.strptime(raw, form)
        except ValueError:
            continue
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    try:
        found = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"'Created at' {text!r} is not a date and time") from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _money(text: str) -> float:
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        raise ValueError(f"'Total' {text!r} is not an amount") from None
    if not math.isfinite(value) or not 0 <= value <= COUNT_MAX:
        raise ValueError(f"'Total' {text!r} is out of range")
    return value


def _utm(landing: str) -> tuple[str | None, str | None]:
    query = parse_qs(urlsplit(landing.strip()).query)
    campaign = query.get("utm_campaign", [""])[0] or None
    content = query.get("utm_content", [""])[0].lower() or None
    return campaign, content


@dataclass(frozen=True)
class _Row:
    name: str
    placed: datetime
    total: float
    currency: str
    code: str
    utm_campaign: str | None
    utm_content: str | None


def _parsed(row: dict[str, str], currency: str) -> _Row:
    """One order row; ValueError naming the column at fault."""
    name = row.get("Name", "").strip()
    if not name:
        raise ValueError("'Name' (the order) is empty")
    paid_in = (row.get("Currency") or currency).strip().upper()
    if len(paid_in) != 3 or not paid_in.isalpha():
        raise ValueError(f"'Currency' {paid_in!r} is not a 3-letter code")
    utm_campaign, utm_content = _utm(row.get("Landing Site", ""))
    return _Row(
        name,
        _when(row.get("Created at", "")),
        _money(row.get("Total", "")),
        paid_in,
        row.get("Discount Code", "").strip().lower(),
        utm_campaign,
        utm_content,
    )


def import_orders(workspace: Workspace, ref: str | int, path: Path) -> OrdersImported:
    """Import the campaign's orders from ``path`` (module docstring)."""
    rows = read_rows(path, REQUIRED, "a Shopify orders export")
    imported = already = elsewhere = rejected = 0
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        by_code = {c.promo_code.lower(): c for c in campaign.creators}
        by_handle = {c.handle.lower(): c for c in campaign.creators}
        own_slug = slug(campaign.name)
        query = select(Order.order_ref).where(Order.campaign_id == campaign.id)
        known = set(session.scalars(query))
        seen: set[str] = set()
        for line, raw in rows:
            name = raw.get("Name", "").strip()
            if name in seen and not raw.get("Total", "").strip():
                continue  # a further line item of an order already read
            try:
                row = _parsed(raw, campaign.currency)
            except ValueError as exc:
                keep_aside(session, campaign.id, path, line, str(exc), raw)
                rejected += 1
                continue
            seen.add(row.name)
            creator = by_code.get(row.code) if row.code else None
            if creator is None and row.utm_campaign == own_slug and row.utm_content:
                creator = by_handle.get(row.utm_content)
            if creator is None or row.name in known:
                elsewhere += creator is None
                already += creator is not None
                continue
            known.add(row.name)
            session.add(
                Order(
                    campaign_id=campaign.id,
                    order_ref=row.name,
                    placed_at=row.placed,
                    total=row.total,
                    currency=row.currency,
                    promo_code=creator.promo_code
                    if row.code == creator.promo_code.lower()
                    else None,
                    utm_content=row.utm_content,
                    campaign_creator_id=creator.id,
                    source=str(path),
                )
            )
            imported += 1
    return OrdersImported(imported, already, elsewhere, rejected)


__all__ = ["OrdersImported", "import_orders"]
