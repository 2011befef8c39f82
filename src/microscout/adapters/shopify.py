"""Shopify's Admin GraphQL API, for one thing: creating a campaign's promo codes
(``discountCodeBasicCreate``), as its documentation describes the exchange.

- ``POST {shop}/admin/api/{version}/graphql.json`` with the header ``X-Shopify-Access-Token``
  and a JSON body ``{"query": …, "variables": …}``.
- The answer is JSON: ``data.discountCodeBasicCreate.codeDiscountNode.id`` when made, or
  ``userErrors`` (``field``, ``code``, ``message``) when refused; ``TAKEN`` means the code
  exists already.
- Rate limits are in "cost" points: a request over the budget comes back with an error whose
  ``extensions.code`` is ``THROTTLED`` and ``extensions.cost.throttleStatus`` saying how many
  points are available and how fast they come back (``restoreRate`` per second). It is retried
  after that wait, a few times at most. HTTP 429 and 5xx are retried after ``Retry-After``.
- HTTP 401/403: the token is wrong or lacks the ``write_discounts`` scope; nothing is retried.

Plain ``urllib``: one POST per code needs no client library.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

TIMEOUT_S = 30
ATTEMPTS = 4
WAIT_MAX_S = 10.0

CREATE = """
mutation CreateCode($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}
""".strip()


class ShopError(Exception):
    """The shop cannot be used at all (unreachable, a wrong token, throttled past patience)."""


@dataclass(frozen=True)
class CodeResult:
    code: str
    outcome: str  # created, exists, refused
    shop_id: str | None = None
    message: str = ""


@dataclass(frozen=True)
class Shop:
    base_url: str  # https://<shop>.myshopify.com
    token: str
    api_version: str

    @property
    def endpoint(self) -> str:
        return f"{self.base_url.rstrip('/')}/admin/api/{self.api_version}/graphql.json"


def _post(shop: Shop, body: dict[str, Any]) -> dict[str, Any]:
    """One POST; the JSON answer, retried after throttling and server errors."""
    data = json.dumps(body).encode()
    for attempt in range(ATTEMPTS):
        request = urllib.request.Request(  # noqa: S310 (the configured shop's https URL)
            shop.endpoint,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "X-Shopify-Access-Token": shop.token},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310
                parsed: dict[str, Any] = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise ShopError(
                    f"the shop refused the access token (HTTP {exc.code}): check "
                    "shopify_token and that it has the write_discounts scope"
                ) from None
            if exc.code == 429 or exc.code >= 500:
                time.sleep(min(float(exc.headers.get("Retry-After") or 1), WAIT_MAX_S))
                continue
            raise ShopError(f"the shop answered HTTP {exc.code} to {shop.endpoint}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ShopError(f"cannot reach the shop at {shop.endpoint}: {exc}") from None
        wait = _throttled_wait(parsed)
        if wait is None:
            return parsed
        if attempt + 1 < ATTEMPTS:
            time.sleep(wait)
    raise ShopError(f"the shop kept throttling after {ATTEMPTS} attempts; try again later")


def _throttled_wait(answer: dict[str, Any]) -> float | None:
    """Seconds to wait when the answer says THROTTLED, else None."""
    errors = answer.get("errors") or []
    if not any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
        return None
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    needed = float(cost.get("requestedQueryCost") or 10) - float(
        status.get("currentlyAvailable") or 0
    )
    rate = float(status.get("restoreRate") or 50)
    return min(max(needed, 0.0) / rate, WAIT_MAX_S)


def create_code(
    shop: Shop, title: str, code: str, percent: float, starts: datetime, ends: datetime
) -> CodeResult:
    """Create one percentage-off code for every buyer and every product."""
    variables = {
        "basicCodeDiscount": {
            "title": title,
            "code": code,
            "startsAt": starts.isoformat(),
            "endsAt": ends.isoformat(),
            "context": {"all": "ALL"},
            "customerGets": {"value": {"percentage": percent}, "items": {"all": True}},
            "appliesOncePerCustomer": True,
        }
    }
    answer = _post(shop, {"query": CREATE, "variables": variables})
    if answer.get("errors"):
        first = answer["errors"][0]
        message = first.get("message") if isinstance(first, dict) else str(first)
        return CodeResult(code, "refused", message=str(message))
    payload = (answer.get("data") or {}).get("discountCodeBasicCreate") or {}
    problems = payload.get("userErrors") or []
    if problems:
        if any(p.get("code") == "TAKEN" for p in problems):
            return CodeResult(code, "exists", message="the shop has this code already")
        return CodeResult(
            code, "refused", message="; ".join(str(p.get("message")) for p in problems)
        )
    node = payload.get("codeDiscountNode") or {}
    return CodeResult(code, "created", shop_id=node.get("id"))


__all__ = ["CREATE", "CodeResult", "Shop", "ShopError", "create_code"]
