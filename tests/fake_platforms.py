"""A local stand-in for the platforms' official APIs, answering in their documented shapes.

One server on 127.0.0.1 speaks three APIs under three prefixes (each a connector's base URL):
- ``/youtube/v3``: ``channels`` (by ``id`` or ``forHandle``), ``playlistItems`` (paged with
  ``pageToken``), ``videos`` (50 ids a call; deleted videos left out), ``search``
  (``type=channel``); the key in ``X-Goog-Api-Key``; quota units counted per call, with
  ``quotaExceeded`` (403) when they run out, ``rateLimitExceeded`` on demand, and
  ``API_KEY_INVALID`` (400) for a wrong key.
- ``/graph/v21.0``: Business Discovery (``business_discovery.username(…){…media.after(…)…}``)
  with cursor paging, a connected account's ``/{id}``, ``/{id}/media`` and
  ``/{media}/insights``; ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` on every answer;
  error 190 for an expired token, 110/2207013 for a personal or unknown account, 4 for a rate
  limit.
- ``/tiktok``: ``/v2/user/info/`` and ``POST /v2/video/list/`` (``max_count`` ≤ 20, cursor in
  milliseconds, ``has_more``), ``access_token_invalid`` (401) for a bad token.

The world is generated from a seed, so two servers built alike answer alike.
"""

from __future__ import annotations

import http.server
import json
import random
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.local_http import serving

YOUTUBE_KEY = "AIzaFakeYouTubeKey-0123456789abcdef"
INSTAGRAM_TOKEN = "EAAFakeInstagramToken0123456789abcdef"  # noqa: S105 (the fake's own)
BRAND_IG_ID = "17841400000000001"
TOPICS = ("trail running", "sourdough baking", "urban gardening", "film photography")
WORDS = ("today", "finally", "review", "tips", "day", "new", "my", "favourite", "how", "to")


@dataclass
class Video:
    id: str
    published: datetime
    title: str
    description: str
    views: int
    likes: int | None  # None: the owner hides likes
    comments: int
    seconds: int
    deleted: bool = False


@dataclass
class Channel:
    id: str
    handle: str
    title: str
    description: str
    subscribers: int
    hidden: bool
    country: str
    videos: list[Video]  # newest first


@dataclass
class Media:
    id: str
    timestamp: datetime
    caption: str
    media_type: str
    product: str
    likes: int | None
    comments: int
    reach: int
    views: int
    saved: int
    shares: int


@dataclass
class IgAccount:
    id: str
    username: str
    name: str
    biography: str
    followers: int
    follows: int
    media: list[Media]  # newest first
    business: bool = True


@dataclass
class TikTokAccount:
    open_id: str
    username: str
    followers: int
    videos: list[dict[str, Any]]  # newest first


@dataclass
class FakePlatforms:
    url: str = ""
    channels: dict[str, Channel] = field(default_factory=dict)
    ig_accounts: dict[str, IgAccount] = field(default_factory=dict)  # by username
    ig_tokens: dict[str, str] = field(default_factory=dict)  # token → own account id
    tiktok_tokens: dict[str, TikTokAccount] = field(default_factory=dict)
    youtube_key: str = YOUTUBE_KEY
    instagram_token: str = INSTAGRAM_TOKEN
    youtube_units_left: int = 1_000_000
    youtube_rate_limit_next: int = 0
    fail_next: int = 0  # answer 503 to the next n requests
    instagram_expired: bool = False
    instagram_usage: float = 5.0
    instagram_rate_limit_next: int = 0
    requests: list[str] = field(default_factory=list)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def youtube_base(self) -> str:
        return f"{self.url}/youtube/v3"

    @property
    def instagram_base(self) -> str:
        return f"{self.url}/graph/v21.0"

    @property
    def tiktok_base(self) -> str:
        return f"{self.url}/tiktok"

    def ig_by_id(self) -> dict[str, IgAccount]:
        return {a.id: a for a in self.ig_accounts.values()}

    def settings_env(self) -> dict[str, str]:
        return {
            "MICROSCOUT_YOUTUBE_API_BASE_URL": self.youtube_base,
            "MICROSCOUT_INSTAGRAM_GRAPH_BASE_URL": self.instagram_base,
            "MICROSCOUT_TIKTOK_API_BASE_URL": self.tiktok_base,
            "MICROSCOUT_SYNC_RETRY_SECONDS": "0.01",
            "MICROSCOUT_SYNC_MAX_WAIT_SECONDS": "1",
        }


def _caption(rng: random.Random, topic: str, tag: str | None = None) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(6))
    tags = f"#{topic.replace(' ', '')} #{topic.split()[0]}"
    return f"{words} {topic} {tags}" + (f" #{tag}" if tag else "")


def build_world(
    seed: int = 7,
    *,
    channels: int = 200,
    videos: int = 50,
    ig_accounts: int = 100,
    ig_media: int = 30,
    personal: int = 0,
    now: datetime | None = None,
) -> FakePlatforms:
    """A seeded world: ``channels`` YouTube channels of ``videos`` uploads each (one in 25
    deleted, one channel in 10 hiding its subscribers, one video in 8 hiding likes), and
    ``ig_accounts`` business accounts of ``ig_media`` media, plus ``personal`` personal ones."""
    rng = random.Random(seed)  # noqa: S311 (a seeded fake world, not a secret)
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    world = FakePlatforms()
    for c in range(channels):
        topic = TOPICS[c % len(TOPICS)]
        channel_id = "UC" + f"{seed:04d}{c:06d}".ljust(22, "x")
        uploads = []
        for v in range(videos):
            published = moment - timedelta(days=2 + v * 3, hours=rng.randint(0, 20))
            views = rng.randint(800, 40_000)
            uploads.append(
                Video(
                    id=f"v{seed}c{c}n{v}",
                    published=published,
                    title=f"{topic} {rng.choice(WORDS)} #{topic.split()[0]}",
                    description=_caption(rng, topic),
                    views=views,
                    likes=None if v % 8 == 7 else views // rng.randint(15, 40),
                    comments=views // rng.randint(80, 300),
                    seconds=45 if v % 5 == 0 else rng.randint(240, 1500),
                    deleted=v % 25 == 24,
                )
            )
        world.channels[channel_id] = Channel(
            channel_id,
            f"{topic.split()[0]}maker{c}",
            f"{topic.title()} with Creator {c}",
            f"Weekly {topic} videos: gear, tips and honest reviews.",
            rng.randint(10_000, 50_000),
            c % 10 == 9,
            rng.choice(("GB", "US", "DE", "FR")),
            uploads,
        )
    for a in range(ig_accounts + personal):
        topic = TOPICS[a % len(TOPICS)]
        account_id = f"178414{seed:04d}{a:07d}"
        media = []
        for m in range(ig_media):
            kind = ("IMAGE", "CAROUSEL_ALBUM", "VIDEO")[m % 3]
            reach = rng.randint(1_500, 9_000)
            media.append(
                Media(
                    id=f"{account_id}{m:04d}",
                    timestamp=moment - timedelta(days=1 + m * 2, hours=rng.randint(0, 20)),
                    caption=_caption(rng, topic) + (" @brandco" if m == 3 else ""),
                    media_type=kind,
                    product="REELS" if kind == "VIDEO" else "FEED",
                    likes=None if m % 9 == 8 else reach // rng.randint(8, 20),
                    comments=reach // rng.randint(60, 200),
                    reach=reach,
                    views=reach * 2,
                    saved=reach // 50,
                    shares=reach // 70,
                )
            )
        username = f"{topic.split()[0]}_{a}"
        world.ig_accounts[username] = IgAccount(
            account_id,
            username,
            f"{topic.title()} {a}",
            f"{topic} every day",
            rng.randint(10_000, 50_000),
            rng.randint(100, 900),
            media,
            business=a < ig_accounts,
        )
    return world


def connect_tiktok(world: FakePlatforms, token: str, username: str, videos: int = 25) -> None:
    rng = random.Random(username)  # noqa: S311 (a seeded fake world, not a secret)
    now = datetime.now(UTC).replace(microsecond=0)
    listed = []
    for v in range(videos):
        created = now - timedelta(days=1 + v * 2)
        views = rng.randint(2_000, 60_000)
        listed.append(
            {
                "id": f"73{abs(hash(username)) % 10**8:08d}{v:04d}",
                "create_time": int(created.timestamp()),
                "title": "",
                "video_description": _caption(rng, "trail running"),
                "share_url": f"https://www.tiktok.com/@{username}/video/{v}",
                "view_count": views,
                "like_count": views // 12,
                "comment_count": views // 150,
                "share_count": views // 200,
            }
        )
    world.tiktok_tokens[token] = TikTokAccount(f"open-{username}", username, 24_000, listed)


# -- YouTube


def _yt_error(code: int, reason: str, message: str, domain: str = "youtube.quota") -> Any:
    body: dict[str, Any] = {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return code, body


def _channel_json(c: Channel) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "viewCount": str(sum(v.views for v in c.videos)),
        "hiddenSubscriberCount": c.hidden,
        "videoCount": str(len(c.videos)),
    }
    if not c.hidden:
        stats["subscriberCount"] = str(c.subscribers)
    return {
        "kind": "youtube#channel",
        "etag": "e",
        "id": c.id,
        "snippet": {
            "title": c.title,
            "description": c.description,
            "customUrl": "@" + c.handle,
            "publishedAt": "2019-03-01T10:00:00Z",
            "country": c.country,
        },
        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + c.id[2:]}},
        "statistics": stats,
    }


def _video_json(channel: Channel, v: Video) -> dict[str, Any]:
    stats = {"viewCount": str(v.views), "favoriteCount": "0", "commentCount": str(v.comments)}
    if v.likes is not None:
        stats["likeCount"] = str(v.likes)
    minutes, secs = divmod(v.seconds, 60)
    return {
        "kind": "youtube#video",
        "id": v.id,
        "snippet": {
            "publishedAt": v.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channelId": channel.id,
            "title": v.title,
            "description": v.description,
            "channelTitle": channel.title,
            "tags": ["tips"],
        },
        "contentDetails": {"duration": f"PT{minutes}M{secs}S" if minutes else f"PT{secs}S"},
        "statistics": stats,
    }


def _page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
    start = int(token[1:]) if token and token.startswith("P") else 0
    chunk = items[start : start + size]
    following = f"P{start + size}" if start + size < len(items) else None
    return chunk, following


def _youtube(world: FakePlatforms, path: str, query: dict[str, str], key: str | None) -> Any:
    if key != world.youtube_key:
        code, body = _yt_error(
            400, "badRequest", "API key not valid. Please pass a valid API key.", "global"
        )
        body["error"]["status"] = "INVALID_ARGUMENT"
        body["error"]["details"] = [
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}
        ]
        return code, body
    cost = 100 if path == "/search" else 1
    if world.youtube_units_left < cost:
        return _yt_error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your "
            '<a href="/youtube/v3/getting-started#quota">quota</a>.',
        )
    if world.youtube_rate_limit_next > 0:
        world.youtube_rate_limit_next -= 1
        return _yt_error(403, "rateLimitExceeded", "Rate limit exceeded.", "youtube.quota")
    world.youtube_units_left -= cost
    size = min(int(query.get("maxResults", "5")), 50)
    answer = _YOUTUBE_ROUTES.get(path)
    if answer is None:
        return _yt_error(404, "notFound", "Not Found", "global")
    return answer(world, query, size)


def _yt_channels(world: FakePlatforms, query: dict[str, str], size: int) -> Any:
    del size
    if "forHandle" in query:
        wanted = query["forHandle"].lstrip("@").lower()
        found = [c for c in world.channels.values() if c.handle.lower() == wanted]
    else:
        ids = query.get("id", "").split(",")
        found = [world.channels[i] for i in ids if i in world.channels]
    body: dict[str, Any] = {
        "kind": "youtube#channelListResponse",
        "pageInfo": {"totalResults": len(found), "resultsPerPage": 5},
    }
    if found:
        body["items"] = [_channel_json(c) for c in found]
    return 200, body


def _yt_uploads(world: FakePlatforms, query: dict[str, str], size: int) -> Any:
    channel = world.channels.get("UC" + query.get("playlistId", "")[2:])
    if channel is None:
        return _yt_error(
            404,
            "playlistNotFound",
            "The playlist identified with the request's playlistId parameter cannot be found.",
            "youtube.playlistItem",
        )
    items = [
        {
            "kind": "youtube#playlistItem",
            "id": f"pi-{v.id}",
            "contentDetails": {
                "videoId": v.id,
                "videoPublishedAt": v.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        }
        for v in channel.videos
    ]
    chunk, following = _page(items, query.get("pageToken"), size)
    body = {"items": chunk, "pageInfo": {"totalResults": len(items), "resultsPerPage": size}}
    if following:
        body["nextPageToken"] = following
    return 200, body


def _yt_videos(world: FakePlatforms, query: dict[str, str], size: int) -> Any:
    del size
    ids = [i for i in query.get("id", "").split(",") if i]
    if len(ids) > 50:
        return _yt_error(400, "badRequest", "Too many ids.", "youtube.parameter")
    by_id = {v.id: (c, v) for c in world.channels.values() for v in c.videos}
    items = [_video_json(*by_id[i]) for i in ids if i in by_id and not by_id[i][1].deleted]
    return 200, {"items": items, "pageInfo": {"totalResults": len(items)}}


def video_comments(world: FakePlatforms, video: Video) -> list[dict[str, Any]]:
    """A video's comment threads, newest first: none when comments are off (one video in ten),
    else 3 to 6, the last a reply by the channel's owner."""
    if video.deleted or video.id.endswith("n3"):
        return []
    channel = next(c for c in world.channels.values() if any(v is video for v in c.videos))
    threads = []
    for n in range(3 + len(video.id) % 4):
        owner = n == 0
        author = channel.id if owner else f"UCfan{n:02d}{video.id}"
        said = {
            "authorDisplayName": "@" + (channel.handle if owner else f"fan{n}_{video.id}"),
            "authorChannelId": {"value": author},
            "textDisplay": "thanks all!" if owner else f"great video {n}, loved the tips",
            "textOriginal": "thanks all!" if owner else f"great video {n}, loved the tips",
            "likeCount": n,
            "publishedAt": (video.published + timedelta(hours=10 - n)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
        }
        threads.append(
            {
                "kind": "youtube#commentThread",
                "id": f"Ugx{video.id}c{n}",
                "snippet": {
                    "channelId": channel.id,
                    "videoId": video.id,
                    "topLevelComment": {
                        "kind": "youtube#comment",
                        "id": f"Ugx{video.id}c{n}",
                        "snippet": said,
                    },
                    "canReply": True,
                    "totalReplyCount": 0,
                    "isPublic": True,
                },
            }
        )
    return threads


def _yt_comments(world: FakePlatforms, query: dict[str, str], size: int) -> Any:
    del size
    by_id = {v.id: v for c in world.channels.values() for v in c.videos}
    video = by_id.get(query.get("videoId", ""))
    if video is None or video.deleted:
        return _yt_error(404, "videoNotFound", "The video could not be found.", "youtube.comment")
    if video.id.endswith("n3"):
        return _yt_error(
            403,
            "commentsDisabled",
            "The video identified by the videoId parameter has disabled comments.",
            "youtube.commentThread",
        )
    threads = video_comments(world, video)
    return 200, {
        "kind": "youtube#commentThreadListResponse",
        "items": threads,
        "pageInfo": {"totalResults": len(threads), "resultsPerPage": 100},
    }


def _yt_search(world: FakePlatforms, query: dict[str, str], size: int) -> Any:
    words = query.get("q", "").lower().split()
    hits = [
        c
        for c in world.channels.values()
        if all(w in (c.title + " " + c.description).lower() for w in words)
    ]
    results = [
        {
            "kind": "youtube#searchResult",
            "id": {"kind": "youtube#channel", "channelId": c.id},
            "snippet": {"channelId": c.id, "title": c.title, "description": c.description},
        }
        for c in hits
    ]
    chunk, following = _page(results, query.get("pageToken"), size)
    body: dict[str, Any] = {"items": chunk, "pageInfo": {"totalResults": len(results)}}
    if following:
        body["nextPageToken"] = following
    return 200, body


_YOUTUBE_ROUTES = {
    "/channels": _yt_channels,
    "/playlistItems": _yt_uploads,
    "/videos": _yt_videos,
    "/search": _yt_search,
    "/commentThreads": _yt_comments,
}


# -- Instagram Graph API

_DISCOVERY = re.compile(r"business_discovery\.username\(([^)]*)\)\{(.*)\}$")
_AFTER = re.compile(r"media(?:\.after\(([^)]*)\))?\.limit\((\d+)\)")


def _ig_error(status: int, code: int, message: str, **extra: Any) -> Any:
    return status, {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            **extra,
            "fbtrace_id": "AbCdEfGh",
        }
    }


def _media_json(m: Media, owner: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": m.id,
        "caption": m.caption,
        "media_type": m.media_type,
        "media_product_type": m.product,
        "timestamp": m.timestamp.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "comments_count": m.comments,
        "permalink": f"https://www.instagram.com/p/{m.id}/",
    }
    if m.likes is not None or owner:
        item["like_count"] = m.likes if m.likes is not None else 0
    return item


def _media_page(
    account: IgAccount, after: str | None, limit: int, base: str, owner: bool
) -> dict[str, Any]:
    start = int(after[4:]) if after and after.startswith("QVFI") else 0
    chunk = account.media[start : start + limit]
    page: dict[str, Any] = {"data": [_media_json(m, owner) for m in chunk]}
    cursors = {"before": f"QVFI{start}", "after": f"QVFI{start + len(chunk)}"}
    page["paging"] = {"cursors": cursors}
    if start + limit < len(account.media):
        page["paging"]["next"] = f"{base}/{account.id}/media?after={cursors['after']}"
    return page


def _profile_json(a: IgAccount) -> dict[str, Any]:
    return {
        "id": a.id,
        "username": a.username,
        "name": a.name,
        "biography": a.biography,
        "followers_count": a.followers,
        "follows_count": a.follows,
        "media_count": len(a.media),
    }


def _discovery(world: FakePlatforms, fields: str) -> Any:
    match = _DISCOVERY.match(fields)
    if match is None:
        return 200, {"id": BRAND_IG_ID, "username": "brandco"}
    if not re.fullmatch(r"[A-Za-z0-9_.]+", match.group(1)):
        return _ig_error(400, 100, "Invalid parameter", error_subcode=2207020)
    account = world.ig_accounts.get(match.group(1).lower())
    if account is None or not account.business:
        return _ig_error(
            400,
            110,
            "Invalid user id",
            error_subcode=2207013,
            is_transient=False,
            error_user_title="Cannot find User",
            error_user_msg=f"The user with username: {match.group(1)} cannot be found.",
        )
    paging = _AFTER.search(match.group(2))
    after, limit = (paging.group(1), int(paging.group(2))) if paging else (None, 25)
    page = _media_page(account, after, limit, world.instagram_base, owner=False)
    return 200, {"business_discovery": _profile_json(account) | {"media": page}, "id": BRAND_IG_ID}


def _own(world: FakePlatforms, account: IgAccount, parts: list[str], query: dict[str, str]) -> Any:
    if parts == [account.id]:
        return 200, _profile_json(account)
    if parts == [account.id, "media"]:
        limit = int(query.get("limit", "25"))
        page = _media_page(account, query.get("after"), limit, world.instagram_base, owner=True)
        return 200, page
    media = {m.id: m for m in account.media}.get(parts[0]) if len(parts) == 2 else None
    if media is None or parts[1] != "insights":
        return _ig_error(400, 100, "Unsupported get request.")
    values = {
        "reach": media.reach,
        "views": media.views,
        "saved": media.saved,
        "shares": media.shares,
    }
    wanted = query.get("metric", "").split(",")
    return 200, {
        "data": [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": values[name]}],
                "title": name,
                "id": f"{media.id}/insights/{name}/lifetime",
            }
            for name in wanted
            if name in values
        ]
    }


def _instagram(world: FakePlatforms, path: str, query: dict[str, str], token: str | None) -> Any:
    own = world.ig_tokens.get(token or "")
    if world.instagram_expired or (token != world.instagram_token and own is None):
        return _ig_error(
            400,
            190,
            "Error validating access token: Session has expired on Friday, 04-Dec-26 09:00:00 PST.",
            error_subcode=463,
        )
    if world.instagram_rate_limit_next > 0:
        world.instagram_rate_limit_next -= 1
        return _ig_error(403, 4, "Application request limit reached", is_transient=True)
    parts = [p for p in path.split("/") if p]
    if parts == [BRAND_IG_ID] and token == world.instagram_token:
        return _discovery(world, query.get("fields", ""))
    if own is not None:
        return _own(world, world.ig_by_id()[own], parts, query)
    return _ig_error(400, 100, "Unsupported get request.")


# -- TikTok Display API


def _tiktok(
    world: FakePlatforms, path: str, query: dict[str, str], token: str | None, body: dict[str, Any]
) -> Any:
    account = world.tiktok_tokens.get(token or "")
    log = {"log_id": "20261206000000FAKE"}
    if account is None:
        return 401, {
            "data": {},
            "error": {
                "code": "access_token_invalid",
                "message": "The access token is invalid or not found in the request.",
                **log,
            },
        }
    ok = {"code": "ok", "message": "", **log}
    if path == "/v2/user/info/":
        user = {
            "open_id": account.open_id,
            "username": account.username,
            "display_name": account.username.title(),
            "bio_description": "trail running stories",
            "is_verified": False,
            "follower_count": account.followers,
            "following_count": 210,
            "video_count": len(account.videos),
        }
        wanted = set(query.get("fields", "").split(","))
        return 200, {"data": {"user": {k: v for k, v in user.items() if k in wanted}}, "error": ok}
    if path == "/v2/video/list/":
        size = int(body.get("max_count") or 10)
        if size > 20:
            return 400, {
                "data": {},
                "error": {
                    "code": "invalid_params",
                    "message": "max_count must be at most 20",
                    **log,
                },
            }
        cursor = body.get("cursor")
        older = [v for v in account.videos if cursor is None or v["create_time"] * 1000 < cursor]
        chunk = older[:size]
        more = len(older) > size
        next_cursor = chunk[-1]["create_time"] * 1000 if chunk else 0
        return 200, {
            "data": {"videos": chunk, "cursor": next_cursor, "has_more": more},
            "error": ok,
        }
    return 404, {"data": {}, "error": {"code": "not_found", "message": "no such endpoint", **log}}


def _usage_headers(world: FakePlatforms) -> dict[str, str]:
    usage = round(world.instagram_usage)
    regain = 30 if usage >= 100 else 0
    return {
        "X-App-Usage": json.dumps(
            {"call_count": usage, "total_cputime": usage // 2, "total_time": usage // 2}
        ),
        "X-Business-Use-Case-Usage": json.dumps(
            {
                BRAND_IG_ID: [
                    {
                        "type": "instagram",
                        "call_count": usage,
                        "total_cputime": 1,
                        "total_time": 1,
                        "estimated_time_to_regain_access": regain,
                    }
                ]
            }
        ),
    }


def _route(
    world: FakePlatforms, path: str, query: dict[str, str], secret: str | None, body: Any
) -> tuple[int, Any, dict[str, str]]:
    """One answer: the API the path's prefix names, its status, body and extra headers."""
    if path.startswith("/youtube/v3"):
        return (*_youtube(world, path.removeprefix("/youtube/v3"), query, secret), {})
    if path.startswith("/graph/v21.0"):
        token = secret or query.get("access_token")
        status, answer = _instagram(world, path.removeprefix("/graph/v21.0"), query, token)
        return status, answer, _usage_headers(world)
    if path.startswith("/tiktok"):
        return (*_tiktok(world, path.removeprefix("/tiktok"), query, secret, body), {})
    return 404, {"error": "not found"}, {}


@contextmanager
def fake_platforms(world: FakePlatforms | None = None) -> Iterator[FakePlatforms]:
    """Serve ``world`` (a small default one when None) on 127.0.0.1 while the block runs."""
    served = world or build_world(channels=4, videos=12, ig_accounts=3, ig_media=8)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            del args

        def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, body: dict[str, Any]) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            with served.lock:
                served.requests.append(self.command + " " + self.path)
                served.headers_seen.append(dict(self.headers))
                if served.fail_next > 0:
                    served.fail_next -= 1
                    self._reply(503, {"error": {"code": 503, "message": "Backend Error"}})
                    return
                key = self.headers.get("X-Goog-Api-Key") or query.get("key")
                status, answer, extra = _route(served, parts.path, query, bearer or key, body)
            self._reply(status, answer, extra)

        def do_GET(self) -> None:
            self._handle({})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._handle(json.loads(self.rfile.read(length) or b"{}"))

    with serving(Handler) as url:
        served.url = url
        yield served
