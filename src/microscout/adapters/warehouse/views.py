"""The warehouse reads behind the creator views: everything a profile page or a search hit reads
about one creator, as JSON, one row per creator, built in one pass at the end of scoring.

A page view would otherwise run six to eight point queries against the warehouse, each paying
DuckDB's fixed cost of a scan (1-5 ms here); the view store (``adapters/views``) answers the same
from one keyed row. The lists are cut and ordered exactly as the per-view queries in
``browse.py``, ``charts.py`` and ``discovery.py`` cut and order them, so a page drawn from a view
is the page drawn from the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import pyarrow as pa

from microscout.adapters.warehouse.store import Warehouse

# What the profile card shows of each post (``browse.latest_posts``).
CARD_COLUMNS = (
    "posted_at",
    "media_type",
    "likes",
    "comments",
    "views",
    "reach",
    "is_sponsored",
    "caption",
    "permalink",
)
# The columns each list keeps (what its readers use): the card's, and the post id and hashtags
# a search hit's evidence cites.
RECENT_COLUMNS = ("post_id", *CARD_COLUMNS, "hashtags")
DATED_COLUMNS = ("post_id", "posted_at", "likes", "comments", "shares", "saves", "views", "reach")
NICHE_COLUMNS = ("niche_id", "niche_name", "share", "posts_n", "method")
# The newest first, ties by post id: the order of every latest-posts read (documents too).
NEWEST_FIRST = "posted_at DESC NULLS LAST, post_id"
BATCH_ROWS = 2_000


def _struct(columns: Sequence[str], alias: str) -> str:
    return "struct_pack(" + ", ".join(f"{c} := {alias}.{c}" for c in columns) + ")"


def view_batches(
    warehouse: Warehouse,
    tiers: Sequence[str] | None,
    as_of: datetime | None,
    recent: int,
    dated: int,
) -> Iterator[pa.RecordBatch]:
    """platform, creator_id, handle_key, creator, others, scores, recent, dated, followers,
    niches, figures (JSON text), document and doc_hash (its search document and the document's
    hash) of every scored creator in ``tiers`` (None: every tier).

    ``recent`` latest posts of any date (newest first); ``dated`` latest dated posts up to
    ``as_of`` (newest first); follower snapshots up to ``as_of`` (oldest first); the niche mix by
    rank; the search figures with the tier's median engagement as ``tier_norm``; ``others``: the
    other platforms where the same handle is a creator.
    """
    band = "TRUE" if tiers is None else "s.tier IN (SELECT unnest(?::VARCHAR[]))"
    cut = "" if as_of is None else " AND p.posted_at <= ?::TIMESTAMP"
    day_cut = "" if as_of is None else " AND f.snapshot_date <= ?::DATE"
    params: list[object] = [] if tiers is None else [list(tiers)]
    params += [] if as_of is None else [as_of, as_of.date()]
    sql = f"""
    WITH band AS (
        SELECT s.platform, s.creator_id FROM creator_scores s WHERE {band}),
    norms AS (SELECT tier, median(er_median) AS tier_norm FROM creator_scores GROUP BY tier),
    ranked AS (
        SELECT p.*, row_number() OVER (PARTITION BY p.platform, p.creator_id
                                       ORDER BY {NEWEST_FIRST}) AS rn
        FROM posts p SEMI JOIN band b USING (platform, creator_id)),
    recent AS (
        SELECT platform, creator_id,
               to_json(list({_struct(RECENT_COLUMNS, "p")} ORDER BY {NEWEST_FIRST})) AS recent
        FROM ranked p WHERE rn <= {int(recent)} GROUP BY ALL),
    dated_ranked AS (
        SELECT p.*, row_number() OVER (PARTITION BY p.platform, p.creator_id
                                       ORDER BY p.posted_at DESC, p.post_id DESC) AS rn
        FROM posts p SEMI JOIN band b USING (platform, creator_id)
        WHERE p.posted_at IS NOT NULL{cut}),
    dated AS (
        SELECT platform, creator_id,
               to_json(list({_struct(DATED_COLUMNS, "p")}
                            ORDER BY p.posted_at DESC, p.post_id DESC)) AS dated
        FROM dated_ranked p WHERE rn <= {int(dated)} GROUP BY ALL),
    followers AS (
        SELECT platform, creator_id,
               to_json(list(struct_pack(snapshot_date := f.snapshot_date,
                                        followers := f.followers)
                            ORDER BY f.snapshot_date)) AS followers
        FROM follower_snapshots f SEMI JOIN band b USING (platform, creator_id)
        WHERE f.followers IS NOT NULL AND f.snapshot_date IS NOT NULL{day_cut}
        GROUP BY ALL),
    niches AS (
        SELECT platform, creator_id,
               to_json(list({_struct(NICHE_COLUMNS, "n")} ORDER BY n.rank, n.niche_id)) AS niches
        FROM creator_niches n SEMI JOIN band b USING (platform, creator_id) GROUP BY ALL),
    handles AS (
        SELECT lower(handle) AS handle_key, list(platform ORDER BY platform) AS platforms
        FROM creators GROUP BY ALL)
    SELECT s.platform, s.creator_id, lower(c.handle) AS handle_key,
           to_json(c) AS creator,
           to_json(list_filter(h.platforms, lambda x: x <> s.platform)) AS others,
           to_json(s) AS scores,
           coalesce(r.recent, '[]') AS recent,
           coalesce(d.dated, '[]') AS dated,
           coalesce(f.followers, '[]') AS followers,
           coalesce(n.niches, '[]') AS niches,
           to_json(struct_pack(platform := s.platform, creator_id := s.creator_id,
                               handle := s.handle, followers := s.followers, tier := s.tier,
                               country := c.country, er_median := s.er_median,
                               reach_rate := s.reach_rate,
                               audience_quality := s.audience_quality,
                               authenticity_verdict := s.authenticity_verdict,
                               niche_primary := s.niche_primary, niche_focus := s.niche_focus,
                               niche_posts_n := s.niche_posts_n,
                               fee_per_post := s.fee_per_post,
                               tier_norm := nm.tier_norm)) AS figures,
           doc.document, doc.doc_hash
    FROM band b
    JOIN creator_scores s USING (platform, creator_id)
    JOIN creators c USING (platform, creator_id)
    LEFT JOIN handles h ON h.handle_key = lower(c.handle)
    LEFT JOIN norms nm ON nm.tier IS NOT DISTINCT FROM s.tier
    LEFT JOIN creator_documents doc USING (platform, creator_id)
    LEFT JOIN recent r USING (platform, creator_id)
    LEFT JOIN dated d USING (platform, creator_id)
    LEFT JOIN followers f USING (platform, creator_id)
    LEFT JOIN niches n USING (platform, creator_id)
    """  # noqa: S608 (fragments and limits are code constants; values are bound)
    yield from warehouse.duck.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)


def latest_run(warehouse: Warehouse) -> tuple[str | None, datetime | None, datetime | None]:
    """The latest scoring run's id and start, and the latest import's start (None when none)."""
    rows = warehouse.duck.execute(
        "SELECT (SELECT run_id FROM score_runs ORDER BY started_at DESC LIMIT 1), "
        "(SELECT max(started_at) FROM score_runs), (SELECT max(started_at) FROM imports)"
    ).fetchall()  # every row, so the connection holds no unfinished result
    run_id, run_started, import_started = rows[0]
    return run_id, run_started, import_started


__all__ = [
    "CARD_COLUMNS",
    "DATED_COLUMNS",
    "NEWEST_FIRST",
    "NICHE_COLUMNS",
    "RECENT_COLUMNS",
    "latest_run",
    "view_batches",
]
