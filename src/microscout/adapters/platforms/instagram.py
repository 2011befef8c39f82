"""Instagram Graph API: Business Discovery through the brand's business account, and a
connected creator's own media with insights.

Requests (the token travels as ``Authorization: Bearer …``, never in the URL):
- ``GET /{ig-user-id}?fields=business_discovery.username(NAME){id,username,name,biography,
  website,followers_count,follows_count,media_count,media.limit(25){…}}``; further media pages
  with ``media.after(CURSOR).limit(25)``, the cursor from ``media.paging.cursors.after``. Only
  business and creator accounts can be seen; ``like_count`` is absent where likes are hidden.
- A connected creator's own account: ``GET /{id}?fields=…``, ``GET /{id}/media?fields=…&limit=25
  &after=…`` and ``GET /{media-id}/insights?metric=reach,views,saved,shares`` (``data[].name``,
  ``data[].values[0].value``).

Errors are ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``: code 190
is an expired or revoked token; 4, 17, 32, 613 and 80002 are rate limits; 110 (subcode 2207013)
is a user that cannot be found, which is what a personal account looks like.

Usage headers: ``X-App-Usage`` (``call_count``, ``total_time``, ``total_cputime``, each a
percentage) and ``X-Business-Use-Case-Usage`` (per business id, a list of the same with
``estimated_time_to_regain_access`` in minutes). Above the slow-down share each call is spaced
out, more the nearer 100%; at 100% the sync waits for access to return, or stops when that is
longer than it may wait.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microscout.adapters.platforms.http import (
    Answer,
    Caller,
    CredentialRefusedError,
    NotAvailableError,
    PermissionMissingError,
    PlatformError,
    RateLimitedError,
    redacted,
)

PAGE = 25
PROFILE_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count"
MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,timestamp,like_count,comments_count,permalink"
)
INSIGHTS = "reach,views,saved,shares"
_RATE_CODES = {4, 17, 32, 613, 80002}
_TOKEN_CODES = {190, 102}
_PERMISSION_CODES = {10, 200}
_MISSING_CODES = {110, 24, 803}
SPACING_MAX_S = 10.0


@dataclass
class Usage:
    """The highest share of any limit the last answer reported, and the wait it announced."""

    percent: float = 0.0
    regain_minutes: float = 0.0


@dataclass
class Instagram:
    caller: Caller
    token: str = field(repr=False)
    slowdown: float = 75.0
    sleep: Callable[[float], None] | None = None

    def __post_init__(self) -> None:
        self.usage = Usage()

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = self.caller.get(path, params, {"Authorization": f"Bearer {self.token}"})
        self.usage = read_usage(answer.headers)
        if answer.status >= 400 or (isinstance(answer.body, dict) and "error" in answer.body):
            try:
                _raise(answer, self.usage)
            except PlatformError as exc:
                raise redacted(exc, self.token) from None
        self._pace()
        return answer.body if isinstance(answer.body, dict) else {}

    def _pace(self) -> None:
        """Space calls out above the slow-down share, so the limit is not reached; at 100%
        wait for access to return, or stop when that is longer than the sync may wait."""
        if self.usage.percent < self.slowdown:
            return
        sleep = self.sleep or self.caller.sleep
        if self.usage.percent < 100:
            over = (self.usage.percent - self.slowdown) / (100 - self.slowdown)
            sleep(min(SPACING_MAX_S * over, self.caller.max_wait))
            return
        wait = self.usage.regain_minutes * 60 or SPACING_MAX_S
        if wait > self.caller.max_wait:
            raise RateLimitedError(
                f"Instagram's usage is at {self.usage.percent:.0f}% of its limit", wait
            )
        sleep(wait)

    def check(self, user_id: str) -> dict[str, Any]:
        return self._get(f"/{user_id}", {"fields": "id,username"})

    def discover(
        self, user_id: str, username: str, limit: int, since: datetime | None = None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A business or creator account's profile and up to ``limit`` newest media."""
        media: list[dict[str, Any]] = []
        cursor: str | None = None
        profile: dict[str, Any] = {}
        while True:
            paging = f".after({cursor})" if cursor else ""
            fields = (
                f"business_discovery.username({username}){{{PROFILE_FIELDS},"
                f"media{paging}.limit({PAGE}){{{MEDIA_FIELDS}}}}}"
            )
            found = self._get(f"/{user_id}", {"fields": fields}).get("business_discovery")
            if not isinstance(found, dict):
                raise NotAvailableError(f"Instagram shows nothing for {username}")
            profile = profile or {k: v for k, v in found.items() if k != "media"}
            page = found.get("media") or {}
            cursor, done = _take(page, media, limit, since)
            if done:
                return profile, media

    def own_profile(self, user_id: str) -> dict[str, Any]:
        return self._get(f"/{user_id}", {"fields": PROFILE_FIELDS})

    def own_media(
        self, user_id: str, limit: int, since: datetime | None = None
    ) -> list[dict[str, Any]]:
        media: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": PAGE}
            if cursor:
                params["after"] = cursor
            cursor, done = _take(self._get(f"/{user_id}/media", params), media, limit, since)
            if done:
                return media

    def insights(self, media_id: str) -> dict[str, int]:
        """reach, views, saved and shares of one of the owner's media ({} when it has none)."""
        try:
            body = self._get(f"/{media_id}/insights", {"metric": INSIGHTS})
        except (NotAvailableError, PermissionMissingError):  # e.g. code 10, "not enough viewers"
            return {}
        found: dict[str, int] = {}
        for metric in body.get("data") or []:
            values = metric.get("values") or [{}]
            value = values[0].get("value") if values else None
            if isinstance(value, int | float):
                found[str(metric.get("name"))] = int(value)
        return found


def _take(
    page: dict[str, Any], media: list[dict[str, Any]], limit: int, since: datetime | None
) -> tuple[str | None, bool]:
    """Add a page's media (newest first); the next cursor, and whether to stop."""
    for item in page.get("data") or []:
        posted = _when(item.get("timestamp"))
        if since is not None and posted is not None and posted < since:
            return None, True
        media.append(item)
        if len(media) >= limit:
            return None, True
    paging = page.get("paging") or {}
    cursor = (paging.get("cursors") or {}).get("after")
    if not cursor or not paging.get("next"):
        return None, True
    return str(cursor), False


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":  # 2026-01-02T10:00:00+0000
        text = text[:-2] + ":" + text[-2:]
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def read_usage(headers: Any) -> Usage:
    """The highest percentage in either usage header, and the longest announced wait."""
    percent = 0.0
    regain = 0.0
    app = _parse(headers.get("X-App-Usage"))
    if isinstance(app, dict):
        percent = max([percent, *(_number(v) for v in app.values())])
    business = _parse(headers.get("X-Business-Use-Case-Usage"))
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                for name in ("call_count", "total_time", "total_cputime"):
                    percent = max(percent, _number(entry.get(name)))
                regain = max(regain, _number(entry.get("estimated_time_to_regain_access")))
    return Usage(percent, regain)


def _parse(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _raise(answer: Answer, usage: Usage) -> None:
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    message = str(error.get("error_user_msg") or error.get("message") or f"HTTP {answer.status}")
    if code in _TOKEN_CODES:
        raise CredentialRefusedError(f"Instagram refused the access token (code {code}): {message}")
    if code in _RATE_CODES:
        wait = usage.regain_minutes * 60 if usage.regain_minutes else None
        raise RateLimitedError(f"Instagram's rate limit was reached (code {code})", wait)
    if code in _PERMISSION_CODES:
        raise CredentialRefusedError(
            f"the Instagram token lacks a permission (code {code}): {message}"
        )
    if code in _MISSING_CODES or answer.status == 404 or error.get("error_subcode") == 2207013:
        raise NotAvailableError(f"not a business or creator account, or no such user: {message}")
    if code == 100:
        raise NotAvailableError(f"Instagram cannot give this: {message}")
    raise PlatformError(f"Instagram answered HTTP {answer.status} (code {code}): {message}")


__all__ = ["INSIGHTS", "MEDIA_FIELDS", "PAGE", "PROFILE_FIELDS", "Instagram", "Usage", "read_usage"]
