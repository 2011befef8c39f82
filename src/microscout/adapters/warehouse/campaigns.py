"""The warehouse reads behind campaigns: the posts a campaign's creators published between its
dates (which of them belong to the campaign is decided in core/campaigns), and who each creator
is and what they post about, for outreach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pyarrow as pa

from microscout.adapters.warehouse.store import Warehouse

POST_COLUMNS = (
    "platform",
    "creator_id",
    "post_id",
    "posted_at",
    "caption",
    "hashtags",
    "mentions",
    "sponsors",
    "is_sponsored",
    "likes",
    "comments",
    "shares",
    "saves",
    "views",
    "reach",
    "permalink",
)


def posts_between(
    warehouse: Warehouse, creators: Sequence[tuple[str, str]], first: date, last: date
) -> pa.Table:
    """Every post of ``creators`` ((platform, creator_id) pairs) published from ``first`` to
    ``last``, both days included (UTC), oldest first."""
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    platforms = [p for p, _ in creators]
    ids = [c for _, c in creators]
    return warehouse.fetch_arrow(
        f"SELECT {', '.join('p.' + c for c in POST_COLUMNS)} FROM posts p "  # noqa: S608 (fixed names)
        "JOIN (SELECT unnest(?) AS platform, unnest(?) AS creator_id) k "
        "USING (platform, creator_id) "
        "WHERE p.posted_at >= ? AND p.posted_at < ? ORDER BY p.posted_at, p.post_id",
        [platforms, ids, start, end],
    )


def creator_cards(warehouse: Warehouse, creators: Sequence[tuple[str, str]]) -> pa.Table:
    """Who each creator is: name, contact, niche, tier and the fee model's estimate per post
    (null when not scored)."""
    return warehouse.fetch_arrow(
        "SELECT c.platform, c.creator_id, c.handle, c.display_name, c.contact_email, "
        "s.niche_primary, s.fee_per_post, s.tier "
        "FROM (SELECT unnest(?) AS platform, unnest(?) AS creator_id) k "
        "JOIN creators c USING (platform, creator_id) "
        "LEFT JOIN creator_scores s USING (platform, creator_id)",
        [[p for p, _ in creators], [c for _, c in creators]],
    )


def recent_hashtags(
    warehouse: Warehouse, creators: Sequence[tuple[str, str]], posts: int = 12
) -> pa.Table:
    """The hashtags of each creator's latest ``posts`` posts, one row per post."""
    return warehouse.fetch_arrow(
        "SELECT platform, creator_id, hashtags FROM ("
        "  SELECT p.platform, p.creator_id, p.hashtags, row_number() OVER ("
        "    PARTITION BY p.platform, p.creator_id ORDER BY p.posted_at DESC) AS n "
        "  FROM posts p JOIN (SELECT unnest(?) AS platform, unnest(?) AS creator_id) k "
        "  USING (platform, creator_id)) WHERE n <= ?",
        [[p for p, _ in creators], [c for _, c in creators], posts],
    )


def sponsored_creators(warehouse: Warehouse, tier: str, limit: int) -> pa.Table:
    """For the brand that sponsored posts of the most ``tier`` creators: those creators (the
    ``limit`` with most such posts), with the brand, their count of its posts and the first
    and last of them. Empty when no post names a sponsor."""
    return warehouse.fetch_arrow(
        "WITH tagged AS ("
        "  SELECT p.platform, p.creator_id, lower(split_part(p.sponsors, '|', 1)) AS brand, "
        "         p.posted_at "
        "  FROM posts p JOIN creator_scores s USING (platform, creator_id) "
        "  WHERE s.tier = ? AND p.sponsors IS NOT NULL AND p.sponsors <> ''), "
        "top AS (SELECT brand FROM tagged GROUP BY brand "
        "        ORDER BY count(DISTINCT platform || creator_id) DESC, brand LIMIT 1) "
        "SELECT t.platform, t.creator_id, c.handle, t.brand, count(*) AS posts, "
        "       min(t.posted_at) AS first_post, max(t.posted_at) AS last_post "
        "FROM tagged t JOIN top USING (brand) JOIN creators c USING (platform, creator_id) "
        "GROUP BY ALL ORDER BY posts DESC, c.handle LIMIT ?",
        [tier, limit],
    )


__all__ = [
    "POST_COLUMNS",
    "creator_cards",
    "posts_between",
    "recent_hashtags",
    "sponsored_creators",
]
