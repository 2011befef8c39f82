"""Matching a file's own column names to canonical columns, and telling which tables it feeds.

Headers are compared after :func:`normalise`: lower case with everything but letters and digits
removed, so ``#Followers``, ``follower_count`` and ``Follower Count`` meet. Each canonical table has
its own synonyms because one word means different things in different files: ``date`` is a post's
publication time in a posts file and the day of a count in a follower-snapshot file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from microscout.core.schema import (
    AUDIENCE_SAMPLES,
    COMMENTS,
    CREATORS,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    TableSpec,
)

HANDLE = "handle"  # in tables without a handle column, a handle that stands for creator_id


def normalise(header: str) -> str:
    """``'#Followers '`` → ``'followers'``: case, spaces and punctuation do not count."""
    return re.sub(r"[^0-9a-z]+", "", header.lower())


def _n(*names: str) -> tuple[str, ...]:
    return tuple(normalise(n) for n in names)


_COMMON: dict[str, tuple[str, ...]] = {
    "platform": _n("platform", "network", "site", "social network"),
    "fetched_at": _n(
        "fetched_at", "crawled_at", "scraped_at", "observed_at", "as_of", "collected_at"
    ),
    "source": _n("source"),
}
_CREATOR_KEY: dict[str, tuple[str, ...]] = {
    "creator_id": _n("creator_id", "account_id", "user_id", "owner_id", "channel_id", "profile_id"),
    HANDLE: _n(
        "handle",
        "username",
        "user_name",
        "account",
        "account_username",
        "user",
        "screen_name",
        "owner_username",
        "owner",
        "creator",
        "influencer",
        "channel",
        "channel_handle",
    ),
}
_CREATOR_VALUES: dict[str, tuple[str, ...]] = {
    "display_name": _n("display_name", "name", "full_name", "account_name", "channel_name"),
    "bio": _n("bio", "biography", "profile_description"),
    "followers": _n(
        "followers",
        "follower_count",
        "followers_count",
        "subscribers",
        "subscriber_count",
        "subscribers_count",
        "fans",
    ),
    "following": _n("following", "followees", "following_count", "followees_count"),
    "posts_count": _n("posts_count", "post_count", "posts", "media_count", "total_posts", "videos"),
    "country": _n("country", "country_code"),
    "language": _n("language", "lang"),
    "is_verified": _n("is_verified", "verified"),
    "is_business": _n("is_business", "business", "is_business_account"),
    "contact_email": _n("contact_email", "email", "public_email"),
    "website": _n("website", "external_url", "bio_link"),
    "niches": _n("niches", "iab"),
    "source_category": _n("source_category", "category"),
}
_POST_VALUES: dict[str, tuple[str, ...]] = {
    "post_id": _n("post_id", "media_id", "video_id", "shortcode", "id"),
    "posted_at": _n(
        "posted_at",
        "timestamp",
        "taken_at",
        "taken_at_timestamp",
        "date",
        "publish_time",
        "published_at",
        "created_at",
        "post_time",
        "time",
        "datetime",
        "upload_date",
    ),
    "media_type": _n("media_type", "type", "post_type", "typename", "content_type", "format"),
    "caption": _n("caption", "text", "description", "title", "video_title", "body"),
    "hashtags": _n("hashtags", "tags"),
    "mentions": _n("mentions", "tagged_users", "tagged", "user_tags"),
    "likes": _n("likes", "like_count", "likes_count", "total_likes", "hearts", "digg_count"),
    "comments": _n("comments", "comment_count", "comments_count", "total_comments"),
    "shares": _n("shares", "share_count", "total_shares", "reposts"),
    "saves": _n("saves", "save_count", "saved", "bookmarks", "collect_count"),
    "views": _n("views", "view_count", "plays", "play_count", "video_view_count", "total_views"),
    "reach": _n("reach", "accounts_reached"),
    "is_sponsored": _n("is_sponsored", "sponsored", "paid_partnership", "is_ad"),
    "sponsors": _n("sponsors", "sponsor_users", "brands", "sponsor"),
    "permalink": _n("permalink", "url", "link", "post_url", "video_link"),
}
_COMMENT_VALUES: dict[str, tuple[str, ...]] = {
    "comment_id": _n("comment_id"),
    "post_id": _n("post_id", "media_id", "video_id"),
    "author": _n(
        "author",
        "commenter",
        "author_username",
        "comment_author",
        "commenter_username",
        "username",
        "user",
        "handle",
    ),
    "text": _n("text", "comment", "comment_text", "body", "message"),
    "posted_at": _n("posted_at", "timestamp", "created_at", "date", "time"),
    "likes": _n("likes", "like_count"),
    "is_reply_by_creator": _n("is_reply_by_creator", "by_creator", "is_creator_reply"),
}
# Headers that can only mean a commenter (unlike "username"), so they mark a comments file.
_COMMENTER = _n("author", "commenter", "author_username", "comment_author", "commenter_username")
_SNAPSHOT_VALUES: dict[str, tuple[str, ...]] = {
    "snapshot_date": _n("snapshot_date", "date", "day", "as_of"),
    "followers": _n("followers", "follower_count", "followers_count", "subscribers"),
    "following": _n("following", "followees", "following_count"),
}
_AUDIENCE_VALUES: dict[str, tuple[str, ...]] = {
    "follower_id": _n("follower_id", "follower_pk", "follower_user_id"),
    "follower_handle": _n("follower_handle", "follower_username", "follower"),
    "followers": _n("followers", "follower_count", "followers_count"),
    "following": _n("following", "followees", "following_count"),
    "posts": _n("posts", "media_count", "posts_count"),
    "has_picture": _n("has_picture", "has_profile_pic", "profile_pic", "has_pic"),
    "is_private": _n("is_private", "private"),
    "bio_length": _n("bio_length", "bio_len"),
}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "creators": {**_CREATOR_KEY, **_CREATOR_VALUES, **_COMMON},
    "posts": {**_POST_VALUES, **_CREATOR_KEY, **_COMMON},
    # In a comments file "username" is the commenter; the post's owner needs an explicit name.
    "comments": {
        **_COMMENT_VALUES,
        "creator_id": _CREATOR_KEY["creator_id"] + _n("owner_username", "creator", "influencer"),
        **_COMMON,
    },
    "follower_snapshots": {**_SNAPSHOT_VALUES, **_CREATOR_KEY, **_COMMON},
    "audience_samples": {**_AUDIENCE_VALUES, **_CREATOR_KEY, **_COMMON},
}
# The columns a table cannot do without; the creator may be given by id or by handle.
REQUIRED: dict[str, tuple[str, ...]] = {
    "creators": ("creator_id",),
    "posts": ("post_id", "creator_id"),
    "comments": ("post_id", "author"),
    "follower_snapshots": ("creator_id", "snapshot_date"),
    "audience_samples": ("creator_id", "follower_id"),
}
# Child tables whose rows may take their platform (and creator) from the stored parent they name.
PARENTS: Mapping[str, str] = MappingProxyType(
    {"comments": "posts", "follower_snapshots": "creators", "audience_samples": "creators"}
)
# Columns that only say which creator a row is about, not anything about it.
_IDENTITY = frozenset({"platform", "creator_id", HANDLE, "source", "fetched_at"})
SPECS: dict[str, TableSpec] = {
    s.name: s for s in (CREATORS, POSTS, COMMENTS, FOLLOWER_SNAPSHOTS, AUDIENCE_SAMPLES)
}
CREATOR_VALUE_COLUMNS = tuple(_CREATOR_VALUES)


def match(headers: Iterable[str], table: str, taken: Iterable[str] = ()) -> dict[str, str]:
    """Canonical column → the first header that means it for ``table`` (headers in file order).

    A synonym earlier in a table's list wins over a later one, so ``post_id`` beats ``id``.
    """
    by_norm: dict[str, str] = {}
    skip = set(taken)
    for header in headers:
        if header not in skip:
            by_norm.setdefault(normalise(header), header)
    found: dict[str, str] = {}
    used: set[str] = set()
    for column, synonyms in SYNONYMS[table].items():
        for synonym in synonyms:
            candidate = by_norm.get(synonym)
            if candidate is not None and candidate not in used:
                found[column] = candidate
                used.add(candidate)
                break
    return found


def creator_values(headers: Iterable[str], taken: Iterable[str]) -> dict[str, str]:
    """Creator profile columns (followers, category, …) found among headers not yet used."""
    found = match(headers, "creators", taken)
    return {c: h for c, h in found.items() if c in _CREATOR_VALUES}


def detect_table(headers: Iterable[str]) -> str | None:
    """Which canonical table a file with these headers feeds, or ``None`` if it cannot tell."""
    names = {normalise(h) for h in headers}

    def has(table: str, column: str) -> bool:
        return bool(names & set(SYNONYMS[table][column]))

    creator_key = has("creators", "creator_id") or has("creators", HANDLE)
    if creator_key and (
        has("audience_samples", "follower_id") or has("audience_samples", "follower_handle")
    ):
        return "audience_samples"
    commenter = bool(names & set(_COMMENTER))
    if has("comments", "comment_id") or (has("comments", "post_id") and commenter):
        return "comments"
    if has("posts", "post_id"):
        return "posts"
    if creator_key and has("follower_snapshots", "snapshot_date"):
        return "follower_snapshots"
    if creator_key:
        return "creators"
    return None


def unmatched(headers: list[str]) -> str | None:
    """Why a file with these headers feeds no canonical table, or ``None`` when it feeds one.

    A file feeds a table when its columns hold one of the table's keys (a post id, a comment id,
    a follower, a creator and a date, a creator) and say something beyond which creator a row is
    about: a file of handles and platforms with columns that match nothing else (a ground-truth
    or label file) is not a creators table, even though it names creators.
    """
    table = detect_table(headers)
    shown = ", ".join(headers[:8]) + (", …" if len(headers) > 8 else "")
    if table is None:
        return (
            f"its columns ({shown}) hold no key of a table: no post id, comment id, follower, "
            "or creator id/handle"
        )
    found = match(headers, table)
    if set(found) <= _IDENTITY:
        others = [h for h in headers if h not in found.values()]
        listed = ", ".join(others[:8]) + (", …" if len(others) > 8 else "")
        return (
            f"it names creators ({', '.join(found.values())}) but none of its other columns "
            f"({listed or 'none'}) is a column of the {table} table"
        )
    return None


def accepted(table: str, column: str) -> str:
    """The header spellings accepted for a column, for error messages."""
    options: tuple[str, ...] = SYNONYMS[table].get(column, ())
    if column == "creator_id":
        options = options + SYNONYMS[table][HANDLE]
    return ", ".join(options[:8])


def required_missing(
    table: str, found: Mapping[str, str], constants: Mapping[str, str]
) -> str | None:
    """The first required column with no header and no constant, if any."""
    for column in REQUIRED[table]:
        present = column in found or column in constants
        if column == "creator_id":
            present = present or HANDLE in found or HANDLE in constants
        if not present:
            return column
    return None
