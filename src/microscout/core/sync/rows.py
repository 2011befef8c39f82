"""Turning the platforms' API answers into canonical rows (``core/schema.py``).

Pure functions over the JSON the APIs return, so the mapping is tested without a server. Unknown
stays NULL: a hidden like count is NULL, not 0; YouTube's hidden subscriber count too. Hashtags
and mentions are read from the text (``#tag``, ``@name``), lower-case, '|'-joined. Every row
carries ``source`` (the API) and ``fetched_at`` (when it was asked), and each creator a follower
snapshot for the day, so growth builds up over repeated syncs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

HASHTAG = re.compile(r"#([^\W_][\w]*)", re.UNICODE)
MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9_.]{1,30})")
SHORT_MAX_S = 60  # a vertical video up to a minute is counted as a Short
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_IG_TYPES = {"IMAGE": "image", "CAROUSEL_ALBUM": "carousel", "VIDEO": "video"}

Row = dict[str, Any]


@dataclass
class Rows:
    """Canonical rows by table, as one account's fetch produced them."""

    creators: list[Row] = field(default_factory=list)
    posts: list[Row] = field(default_factory=list)
    follower_snapshots: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)

    def tables(self) -> dict[str, list[Row]]:
        return {
            "creators": self.creators,
            "posts": self.posts,
            "follower_snapshots": self.follower_snapshots,
            "comments": self.comments,
        }


def tags(text: str | None) -> str | None:
    found = dict.fromkeys(t.lower() for t in HASHTAG.findall(text or ""))
    return "|".join(found) or None


def mentions(text: str | None) -> str | None:
    found = dict.fromkeys(m.lower().rstrip(".") for m in MENTION.findall(text or ""))
    return "|".join(found) or None


def count(value: Any) -> int | None:
    """A count as the APIs send it (a number or a numeric string); None when absent."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return None


def moment(value: Any) -> str | None:
    """An ISO 8601 time (with Z or an offset, or Unix seconds) as naive UTC ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None).isoformat()
    text = str(value).replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]  # +0000, as the Graph API writes it
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.isoformat()


def seconds(duration: str | None) -> int | None:
    """An ISO 8601 duration (``PT1M5S``) in seconds."""
    match = _DURATION.match(duration or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, secs = (int(g or 0) for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


def _snapshot(creator: Row) -> Row:
    return {
        "platform": creator["platform"],
        "creator_id": creator["creator_id"],
        "snapshot_date": str(creator["fetched_at"])[:10],
        "followers": creator["followers"],
        "following": creator.get("following"),
        "source": creator["source"],
        "fetched_at": creator["fetched_at"],
    }


def _account(creator: Row) -> Rows:
    rows = Rows(creators=[creator])
    if creator.get("followers") is not None:
        rows.follower_snapshots.append(_snapshot(creator))
    return rows


def _post(
    platform: str,
    post_id: Any,
    creator_id: str,
    posted_at: Any,
    media_type: str,
    text: str | None,
    source: str,
    when: str,
    **numbers: Any,
) -> Row:
    """One post row: its text read for hashtags and mentions, its counts as given."""
    return {
        "platform": platform,
        "post_id": str(post_id),
        "creator_id": creator_id,
        "posted_at": moment(posted_at),
        "media_type": media_type,
        "caption": text or None,
        "hashtags": tags(text),
        "mentions": mentions(text),
        **numbers,
        "source": source,
        "fetched_at": when,
    }


def youtube_rows(
    channel: Row, videos: list[Row], fetched_at: datetime, creator_id: str | None = None
) -> Rows:
    """``creator_id``: the id the channel is stored under, when not its channel id."""
    snippet = channel.get("snippet") or {}
    stats = channel.get("statistics") or {}
    hidden = bool(stats.get("hiddenSubscriberCount"))
    when = fetched_at.isoformat()
    channel_id = creator_id or str(channel["id"])
    handle = str(snippet.get("customUrl") or "").lstrip("@").lower() or None
    language = str(snippet.get("defaultLanguage") or "")[:2].lower() or None
    rows = _account(
        {
            "platform": "youtube",
            "creator_id": channel_id,
            "handle": handle,
            "display_name": snippet.get("title"),
            "bio": snippet.get("description") or None,
            "followers": None if hidden else count(stats.get("subscriberCount")),
            "following": None,
            "posts_count": count(stats.get("videoCount")),
            "country": (snippet.get("country") or None),
            "language": language,
            "source": "youtube-api",
            "fetched_at": when,
        }
    )
    for video in videos:
        vs = video.get("snippet") or {}
        vstats = video.get("statistics") or {}
        length = seconds((video.get("contentDetails") or {}).get("duration"))
        text = "\n".join(t for t in (vs.get("title"), vs.get("description")) if t)
        rows.posts.append(
            _post(
                "youtube",
                video["id"],
                channel_id,
                vs.get("publishedAt"),
                "short" if length is not None and length <= SHORT_MAX_S else "video",
                text,
                "youtube-api",
                when,
                likes=count(vstats.get("likeCount")),
                comments=count(vstats.get("commentCount")),
                views=count(vstats.get("viewCount")),
                permalink=f"https://www.youtube.com/watch?v={video['id']}",
            )
        )
    return rows


def youtube_comment_rows(
    threads: list[Row], video: str, channel_id: str, fetched_at: datetime, owner: str = ""
) -> list[Row]:
    """A video's comment threads as comment rows; ``owner`` is the channel's own id, whose
    comments are the creator's replies."""
    rows = []
    for thread in threads:
        top = (thread.get("snippet") or {}).get("topLevelComment") or {}
        said = top.get("snippet") or {}
        author_id = str((said.get("authorChannelId") or {}).get("value") or "")
        author = str(said.get("authorDisplayName") or author_id).lstrip("@").lower()
        rows.append(
            {
                "platform": "youtube",
                "comment_id": str(top.get("id") or thread.get("id")),
                "post_id": video,
                "creator_id": channel_id,
                "author": author or None,
                "text": said.get("textOriginal") or said.get("textDisplay"),
                "posted_at": moment(said.get("publishedAt")),
                "likes": count(said.get("likeCount")),
                "is_reply_by_creator": bool(owner) and author_id == owner,
                "source": "youtube-api",
                "fetched_at": fetched_at.isoformat(),
            }
        )
    return rows


def instagram_rows(
    profile: Row,
    media: list[Row],
    creator_id: str,
    fetched_at: datetime,
    insights: dict[str, dict[str, int]] | None = None,
) -> Rows:
    """``insights`` (media id → reach, views, saved, shares) only for a connected account."""
    when = fetched_at.isoformat()
    source = "instagram-insights" if insights is not None else "instagram-api"
    rows = _account(
        {
            "platform": "instagram",
            "creator_id": creator_id,
            "handle": str(profile.get("username") or "").lower() or None,
            "display_name": profile.get("name"),
            "bio": profile.get("biography") or None,
            "followers": count(profile.get("followers_count")),
            "following": count(profile.get("follows_count")),
            "posts_count": count(profile.get("media_count")),
            "website": profile.get("website") or None,
            "is_business": True,
            "source": source,
            "fetched_at": when,
        }
    )
    for item in media:
        kind = str(item.get("media_type") or "")
        media_type = _IG_TYPES.get(kind, "other")
        if kind == "VIDEO" and item.get("media_product_type") == "REELS":
            media_type = "reel"
        caption = item.get("caption")
        numbers = (insights or {}).get(str(item["id"]), {})
        rows.posts.append(
            _post(
                "instagram",
                item["id"],
                creator_id,
                item.get("timestamp"),
                media_type,
                caption,
                source,
                when,
                likes=count(item.get("like_count")),
                comments=count(item.get("comments_count")),
                saves=numbers.get("saved"),
                shares=numbers.get("shares"),
                views=numbers.get("views"),
                reach=numbers.get("reach"),
                permalink=item.get("permalink"),
            )
        )
    return rows


def tiktok_rows(user: Row, videos: list[Row], creator_id: str, fetched_at: datetime) -> Rows:
    when = fetched_at.isoformat()
    rows = _account(
        {
            "platform": "tiktok",
            "creator_id": creator_id,
            "handle": str(user.get("username") or "").lower() or None,
            "display_name": user.get("display_name"),
            "bio": user.get("bio_description") or None,
            "followers": count(user.get("follower_count")),
            "following": count(user.get("following_count")),
            "posts_count": count(user.get("video_count")),
            "is_verified": user.get("is_verified"),
            "source": "tiktok-api",
            "fetched_at": when,
        }
    )
    for video in videos:
        text = "\n".join(t for t in (video.get("title"), video.get("video_description")) if t)
        rows.posts.append(
            _post(
                "tiktok",
                video["id"],
                creator_id,
                video.get("create_time"),
                "video",
                text,
                "tiktok-api",
                when,
                likes=count(video.get("like_count")),
                comments=count(video.get("comment_count")),
                shares=count(video.get("share_count")),
                views=count(video.get("view_count")),
                permalink=video.get("share_url"),
            )
        )
    return rows


__all__ = [
    "Row",
    "Rows",
    "count",
    "instagram_rows",
    "mentions",
    "moment",
    "seconds",
    "tags",
    "tiktok_rows",
    "youtube_comment_rows",
    "youtube_rows",
]
