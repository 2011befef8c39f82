"""A local stand-in for Shopify's Admin GraphQL endpoint, answering ``discountCodeBasicCreate``
in the documented shapes: the created node, ``userErrors`` (``TAKEN`` for a code it has, a
field path for a bad input), ``THROTTLED`` with ``extensions.cost.throttleStatus``, HTTP 401 for
a wrong token and a 502 on demand. It listens on 127.0.0.1 only and records every request."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.local_http import serving

TOKEN = "shpat_test_token"  # noqa: S105 (the fake shop's own)
VERSION = "2025-10"
UNAUTHORIZED = "[API] Invalid API key or access token (unrecognized login or wrong password)"


@dataclass
class FakeShop:
    url: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    throttle_next: int = 0
    fail_next: int = 0


def _cost(available: float) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": 10,
            "actualQueryCost": 10 if available >= 10 else None,
            "throttleStatus": {
                "maximumAvailable": 2000.0,
                "currentlyAvailable": available,
                "restoreRate": 1000.0,  # fast, so a test waits milliseconds
            },
        }
    }


def _answer(shop: FakeShop, body: dict[str, Any]) -> dict[str, Any]:
    if "discountCodeBasicCreate" not in body.get("query", ""):
        return {"errors": [{"message": "unknown operation"}]}
    if shop.throttle_next > 0:
        shop.throttle_next -= 1
        return {
            "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": _cost(0.0),
        }
    given = (body.get("variables") or {}).get("basicCodeDiscount") or {}
    problems = [
        {"field": ["basicCodeDiscount", name], "code": "BLANK", "message": f"{name} can't be blank"}
        for name in ("title", "code", "startsAt", "customerGets")
        if not given.get(name)
    ]
    if not given.get("context") and not given.get("customerSelection"):
        problems.append(
            {
                "field": ["basicCodeDiscount", "context"],
                "code": "BLANK",
                "message": "context can't be blank",
            }
        )
    percent = (((given.get("customerGets") or {}).get("value")) or {}).get("percentage")
    if percent is not None and not 0 < float(percent) <= 1:
        problems.append(
            {
                "field": ["basicCodeDiscount", "customerGets", "value", "percentage"],
                "code": "VALUE_OUTSIDE_RANGE",
                "message": "Value must be between 0.0 and 1.0",
            }
        )
    code = str(given.get("code") or "")
    if code.upper() in shop.codes:
        problems.append(
            {
                "field": ["basicCodeDiscount", "code"],
                "code": "TAKEN",
                "message": "Code must be unique. Please try a different code.",
            }
        )
    payload: dict[str, Any] = {"codeDiscountNode": None, "userErrors": problems}
    if not problems:
        node = f"gid://shopify/DiscountCodeNode/{1000 + len(shop.codes)}"
        shop.codes[code.upper()] = {**given, "id": node}
        payload["codeDiscountNode"] = {"id": node}
    return {"data": {"discountCodeBasicCreate": payload}, "extensions": _cost(1990.0)}


@contextmanager
def fake_shop() -> Iterator[FakeShop]:
    shop = FakeShop()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            del args

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            shop.requests.append(
                {
                    "path": self.path,
                    "token": self.headers.get("X-Shopify-Access-Token"),
                    "body": body,
                }
            )
            if self.path != f"/admin/api/{VERSION}/graphql.json":
                self._reply(404, {"errors": "Not Found"})
            elif self.headers.get("X-Shopify-Access-Token") != TOKEN:
                self._reply(401, {"errors": UNAUTHORIZED})
            elif shop.fail_next > 0:
                shop.fail_next -= 1
                self._reply(502, {"errors": "Bad Gateway"})
            else:
                self._reply(200, _answer(shop, body))

    with serving(Handler) as url:
        shop.url = url
        yield shop
