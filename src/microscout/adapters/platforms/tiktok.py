"""TikTok's Display API, for creators who connected their own account (the Research API is
closed to businesses, so nothing here looks at accounts that did not).

Requests (the creator's token as ``Authorization: Bearer …``):
- ``GET /v2/user/info/?fields=open_id,username,display_name,bio_description,is_verified,
  follower_count,following_count,video_count`` → ``data.user``.
- ``POST /v2/video/list/?fields=id,create_time,title,video_description,share_url,view_count,
  like_count,comment_count,share_count`` with ``{"max_count": 20, "cursor": …}`` →
  ``data.videos``, ``data.cursor``, ``data.has_more``; newest first, ``create_time`` in Unix
  seconds.

Every answer carries ``error: {code, message, log_id}``, ``code`` "ok" on success;
``access_token_invalid`` (401) and ``scope_not_authorized`` mean the creator must connect again,
``rate_limit_exceeded`` (429) comes from the one-minute sliding window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microscout.adapters.platforms.http import (
    Answer,
    Caller,
    CredentialRefusedError,
    NotAvailableError,
    PlatformError,
    RateLimitedError,
    redacted,
)

PAGE = 20  # the API's most per page
USER_FIELDS = (
    "open_id,username,display_name,bio_description,is_verified,follower_count,"
    "following_count,video_count"
)
VIDEO_FIELDS = (
    "id,create_time,title,video_description,share_url,view_count,like_count,comment_count,"
    "share_count"
)
_TOKEN_CODES = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}


@dataclass
class TikTok:
    caller: Caller

    def _answer(self, answer: Answer) -> dict[str, Any]:
        body = answer.body if isinstance(answer.body, dict) else {}
        found = body.get("error")
        error: dict[str, Any] = found if isinstance(found, dict) else {}
        code = str(error.get("code") or ("ok" if answer.status < 400 else answer.status))
        if code == "ok" and answer.status < 400:
            data = body.get("data")
            return data if isinstance(data, dict) else {}
        message = str(error.get("message") or f"HTTP {answer.status}")
        if code in _TOKEN_CODES or answer.status == 401:
            raise CredentialRefusedError(f"TikTok refused the creator's token ({code}): {message}")
        if code == "rate_limit_exceeded" or answer.status == 429:
            raise RateLimitedError(f"TikTok's rate limit was reached: {message}", 60.0)
        # Anything else is about this creator's request: skip them, go on with the next.
        raise NotAvailableError(f"TikTok cannot give this ({code}): {message}")

    def _read(self, answer: Answer, token: str) -> dict[str, Any]:
        try:
            return self._answer(answer)
        except PlatformError as exc:
            raise redacted(exc, token) from None

    def user(self, token: str) -> dict[str, Any]:
        answer = self.caller.get(
            "/v2/user/info/", {"fields": USER_FIELDS}, {"Authorization": f"Bearer {token}"}
        )
        user = self._read(answer, token).get("user")
        return user if isinstance(user, dict) else {}

    def videos(self, token: str, limit: int, since: datetime | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor: int | None = None
        while len(found) < limit:
            body: dict[str, Any] = {"max_count": PAGE}
            if cursor is not None:
                body["cursor"] = cursor
            data = self._read(
                self.caller.post(
                    "/v2/video/list/",
                    {"fields": VIDEO_FIELDS},
                    {"Authorization": f"Bearer {token}"},
                    body,
                ),
                token,
            )
            for video in data.get("videos") or []:
                created = video.get("create_time")
                if (
                    since is not None
                    and isinstance(created, int | float)
                    and datetime.fromtimestamp(created, UTC) < since
                ):
                    return found
                found.append(video)
                if len(found) >= limit:
                    break
            following = data.get("cursor")
            if not data.get("has_more") or not isinstance(following, int) or following == cursor:
                break  # no further page, or a cursor that would repeat this one
            cursor = following
        return found


__all__ = ["PAGE", "USER_FIELDS", "VIDEO_FIELDS", "TikTok"]
