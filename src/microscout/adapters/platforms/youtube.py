"""YouTube Data API v3 with an API key, for public channel and video numbers.

Requests (the key travels in the ``X-Goog-Api-Key`` header, never in the URL):
- ``GET /channels?part=snippet,statistics,contentDetails&id=UC…`` (or ``forHandle=@name``):
  subscribers, views and video count as strings, ``hiddenSubscriberCount``, and the uploads
  playlist in ``contentDetails.relatedPlaylists.uploads``; 1 unit.
- ``GET /playlistItems?part=contentDetails&playlistId=UU…&maxResults=50&pageToken=…``: the
  uploads, newest first, with ``videoId`` and ``videoPublishedAt``; 1 unit a page.
- ``GET /videos?part=snippet,statistics,contentDetails&id=a,b,…`` (50 ids at most): title,
  description, tags, ``viewCount``/``likeCount``/``commentCount`` (``likeCount`` is absent when
  the owner hides it; a deleted video is simply missing from ``items``); 1 unit a call.
- ``GET /search?part=snippet&type=channel&q=…&maxResults=50&pageToken=…``: channel ids for
  keywords; 100 units a page.
- ``GET /commentThreads?part=snippet&videoId=…&maxResults=100&order=time&textFormat=plainText``:
  a video's newest top-level comments (``snippet.topLevelComment.snippet``: author, text, likes,
  time); 1 unit a page; ``commentsDisabled`` (403) when the owner turned comments off.

Errors come as ``{"error": {"code", "message", "errors": [{"domain", "reason"}]}}``: reason
``quotaExceeded`` (403) ends the day's work, ``rateLimitExceeded``/``userRateLimitExceeded`` ask
to slow down, ``keyInvalid`` or a 400 naming ``API_KEY_INVALID`` means the key is wrong, and
``channelNotFound``/``playlistNotFound`` (404) mean the item is gone. The quota resets at
midnight Pacific time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from microscout.adapters.platforms.http import (
    Answer,
    Caller,
    CredentialRefusedError,
    NotAvailableError,
    PlatformError,
    QuotaExhaustedError,
    RateLimitedError,
    redacted,
)

PAGE = 50
COST_LIST = 1
COST_SEARCH = 100
_QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
_KEY_REASONS = {"keyInvalid", "keyExpired", "API_KEY_INVALID", "accessNotConfigured"}
COMMENTS_PAGE = 100


def quota_day(now: datetime) -> tuple[str, datetime]:
    """The quota day ``now`` falls in (its date in Pacific time) and when it ends (UTC)."""
    try:
        pacific = ZoneInfo("America/Los_Angeles")
        local = now.astimezone(pacific)
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
        ends = midnight.replace(tzinfo=pacific).astimezone(UTC)
    except ZoneInfoNotFoundError:  # no time zone data: Pacific standard time
        local = now.astimezone(UTC) - timedelta(hours=8)
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
        ends = (midnight + timedelta(hours=8)).replace(tzinfo=UTC)
    return local.date().isoformat(), ends


@dataclass
class YouTube:
    """One key's view of the API; ``spend(units)`` is called before every request and raises
    :class:`QuotaExhaustedError` when the day's units would run out; ``fits(units)`` raises the
    same without spending, before work that needs several calls."""

    caller: Caller
    key: str = field(repr=False)
    spend: Callable[[int], None] = field(repr=False, default=lambda _units: None)
    fits: Callable[[int], None] | None = None

    def channel_cost(self, posts: int, commented: int = 0) -> int:
        """Units one channel takes: itself, its upload pages, its video calls and one comment
        page for each of ``commented`` videos."""
        pages = -(-posts // PAGE)
        return COST_LIST + 2 * pages * COST_LIST + commented * COST_LIST

    def _get(self, path: str, params: dict[str, Any], units: int) -> dict[str, Any]:
        self.spend(units)
        answer = self.caller.get(path, params, {"X-Goog-Api-Key": self.key})
        if answer.status >= 400:
            try:
                _raise(answer, path)
            except PlatformError as exc:
                raise redacted(exc, self.key) from None
        body = answer.body if isinstance(answer.body, dict) else {}
        return body

    def check(self) -> None:
        """One cheap call that fails when the key is refused."""
        self._get("/channels", {"part": "id", "id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"}, COST_LIST)

    def channel(self, ref: str) -> dict[str, Any]:
        """A channel by id (``UC…``) or handle (``@name``)."""
        params: dict[str, Any] = {"part": "snippet,statistics,contentDetails"}
        if ref.startswith("UC") and len(ref) == 24:
            params["id"] = ref
        else:
            params["forHandle"] = "@" + ref.lstrip("@")
        items = self._get("/channels", params, COST_LIST).get("items") or []
        if not items:
            raise NotAvailableError(f"no YouTube channel {ref}")
        channel: dict[str, Any] = items[0]
        return channel

    def upload_ids(self, playlist: str, limit: int, since: datetime | None = None) -> list[str]:
        """Up to ``limit`` newest uploads' ids, stopping at the first older than ``since``."""
        ids: list[str] = []
        token: str | None = None
        while len(ids) < limit:
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": PAGE}
            if token:
                params["pageToken"] = token
            try:
                page = self._get("/playlistItems", params, COST_LIST)
            except NotAvailableError:
                return ids  # a channel with no uploads has no uploads playlist
            for item in page.get("items") or []:
                details = item.get("contentDetails") or {}
                published = _when(details.get("videoPublishedAt"))
                if since is not None and published is not None and published < since:
                    return ids
                if details.get("videoId"):
                    ids.append(str(details["videoId"]))
                if len(ids) >= limit:
                    break
            token = page.get("nextPageToken")
            if not token:
                break
        return ids

    def videos(self, ids: list[str]) -> Iterator[dict[str, Any]]:
        """The videos still there, 50 ids a call."""
        for start in range(0, len(ids), PAGE):
            chunk = ids[start : start + PAGE]
            params = {"part": "snippet,statistics,contentDetails", "id": ",".join(chunk)}
            yield from self._get("/videos", params, COST_LIST).get("items") or []

    def comments(self, video: str) -> list[dict[str, Any]]:
        """A video's newest top-level comments (one page, 100 at most); [] when turned off."""
        params = {
            "part": "snippet",
            "videoId": video,
            "maxResults": COMMENTS_PAGE,
            "order": "time",
            "textFormat": "plainText",
        }
        try:
            items: list[dict[str, Any]] = (
                self._get("/commentThreads", params, COST_LIST).get("items") or []
            )
        except NotAvailableError:
            return []
        return items

    def search_channels(self, query: str, limit: int) -> list[str]:
        """Channel ids matching ``query``, best first, ``limit`` at most (100 units a page)."""
        found: list[str] = []
        token: str | None = None
        while len(found) < limit:
            params = {"part": "snippet", "type": "channel", "q": query, "maxResults": PAGE}
            if token:
                params["pageToken"] = token
            page = self._get("/search", params, COST_SEARCH)
            for item in page.get("items") or []:
                channel = (item.get("id") or {}).get("channelId") or (
                    item.get("snippet") or {}
                ).get("channelId")
                if channel and channel not in found:
                    found.append(str(channel))
            token = page.get("nextPageToken")
            if not token or not page.get("items"):
                break
        return found[:limit]


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _raise(answer: Answer, path: str) -> None:
    error = (answer.body or {}).get("error") if isinstance(answer.body, dict) else None
    error = error if isinstance(error, dict) else {}
    reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
    reasons |= {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict)}
    message = str(error.get("message") or f"HTTP {answer.status}")
    if reasons & _QUOTA_REASONS:
        raise QuotaExhaustedError(
            "YouTube says the project's daily quota is used up", quota_day(datetime.now(UTC))[1]
        )
    if reasons & _RATE_REASONS:
        raise RateLimitedError(f"YouTube asks to slow down ({', '.join(sorted(reasons))})")
    if reasons & _KEY_REASONS or answer.status == 401 or "API key" in message:
        raise CredentialRefusedError(f"YouTube refused the API key: {message}")
    # Anything else is about this item (gone, comments off, made for kids, …): skip it.
    raise NotAvailableError(f"YouTube cannot give {path} here (HTTP {answer.status}: {message})")


__all__ = ["COST_LIST", "COST_SEARCH", "PAGE", "YouTube", "quota_day"]
