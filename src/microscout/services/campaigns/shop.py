"""Creating a campaign's promo codes in the brand's shop (adapters/shopify.py), when one is
configured; otherwise nothing is sent anywhere and the codes are listed to create by hand.

Each code takes ``percent`` off for every buyer and product, once per customer, from the
campaign's first day to 30 days after its last (orders come in after the posts). Running it
again is safe: a code the shop has already is reported as such, not created twice.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta

from microscout.adapters.shopify import CodeResult, Shop, ShopError, create_code
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.errors import ParameterError, StoreError
from microscout.services.campaigns.manage import campaign_row

REDEEM_DAYS_AFTER = 30


def configured_shop(settings: Settings) -> Shop | None:
    if not settings.shopify_shop_url:
        return None
    if not settings.shopify_shop_url.startswith(("https://", "http://")):
        raise ParameterError("shopify_shop_url", "must start with https://")
    if settings.shopify_token is None:
        raise ParameterError("shopify_token", "set the shop's Admin API access token")
    return Shop(
        settings.shopify_shop_url,
        settings.shopify_token.get_secret_value(),
        settings.shopify_api_version,
    )


def create_shop_codes(
    workspace: Workspace, settings: Settings, ref: str | int, percent: float
) -> list[CodeResult] | None:
    """Each creator's promo code created in the shop; None when no shop is configured."""
    if not math.isfinite(percent) or not 1 <= percent <= 90:
        raise ParameterError("--percent", "between 1 and 90")
    shop = configured_shop(settings)
    if shop is None:
        return None
    with workspace.session() as session:
        campaign = campaign_row(session, ref)
        title = campaign.name
        starts = datetime.combine(campaign.starts_on, time.min, tzinfo=UTC)
        ends = datetime.combine(
            campaign.ends_on + timedelta(days=REDEEM_DAYS_AFTER), time.max, tzinfo=UTC
        )
        codes = [(c.handle, c.promo_code) for c in campaign.creators if c.status != "declined"]
    results = []
    for handle, code in codes:
        try:
            results.append(
                create_code(shop, f"{title}: @{handle}", code, percent / 100, starts, ends)
            )
        except ShopError as exc:
            raise StoreError(str(exc)) from None
    return results


__all__ = ["REDEEM_DAYS_AFTER", "configured_shop", "create_shop_codes"]
