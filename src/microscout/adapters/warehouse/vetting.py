"""The warehouse reads behind vetting: audience samples, comment texts, commenters, evidence rows.

Each query takes an optional creator key: ``None`` reads every creator (the scoring stage),
a ``(platform, creator_id)`` pair reads one (``microscout vet``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from microscout.adapters.warehouse.store import Warehouse

Key = tuple[str, str]


# A query and its bound values: DuckDB runs it as it is, Spark after translation
# (``adapters/spark``), which is why each read below is also offered as its query.
Query = tuple[str, tuple[Any, ...]]


def _where(key: Key | None) -> tuple[str, tuple[str, ...]]:
    return ("", ()) if key is None else ("WHERE platform = ? AND creator_id = ?", key)


def audience_profiles_query(key: Key | None = None) -> Query:
    where, params = _where(key)
    return (
        "SELECT platform, creator_id, follower_handle, followers, following, posts, has_picture, "  # noqa: S608 (the WHERE text is a fixed clause; values are bound)
        f"is_private, bio_length FROM audience_samples {where} ORDER BY platform, creator_id",
        params,
    )


def audience_profiles(warehouse: Warehouse, key: Key | None = None) -> pa.Table:
    """The sampled followers' profile counts, ordered by creator."""
    return warehouse.fetch_arrow(*audience_profiles_query(key))


def audience_comment_texts_query(key: Key | None = None) -> Query:
    where, params = _where(key)
    return (
        "SELECT platform, creator_id, comment_id, text FROM comments "  # noqa: S608 (the WHERE text is a fixed clause; values are bound)
        f"{where} {'AND' if where else 'WHERE'} NOT coalesce(is_reply_by_creator, false) "
        "AND text IS NOT NULL ORDER BY platform, creator_id, comment_id",
        params,
    )


def audience_comment_texts(warehouse: Warehouse, key: Key | None = None) -> pa.Table:
    """The texts of the audience's comments (the creator's own replies left out), by creator and
    then comment id: which spelling of a repeated comment is shown is the first in that order."""
    return warehouse.fetch_arrow(*audience_comment_texts_query(key))


def audience_comment_counts_query(key: Key | None = None) -> Query:
    where = "" if key is None else "AND c.platform = ? AND c.creator_id = ?"
    return (
        "SELECT c.platform, c.creator_id, o.handle, count(*) AS n FROM comments c "  # noqa: S608 (the WHERE text is a fixed clause; values are bound)
        "JOIN creators o ON o.platform = c.platform AND o.creator_id = c.creator_id "
        f"WHERE NOT coalesce(c.is_reply_by_creator, false) {where} "
        "GROUP BY c.platform, c.creator_id, o.handle",
        key or (),
    )


def audience_comment_counts(warehouse: Warehouse, key: Key | None = None) -> pa.Table:
    """Audience comments per creator, with the creator's handle (columns platform, creator_id,
    handle, n)."""
    return warehouse.fetch_arrow(*audience_comment_counts_query(key))


CREATOR_COMMENTER_PAIRS = (
    "SELECT c.platform, o.handle AS owner, lower(c.author) AS author FROM comments c "
    "JOIN creators o ON o.platform = c.platform AND o.creator_id = c.creator_id "
    "JOIN creators a ON a.platform = c.platform AND lower(a.handle) = lower(c.author) "
    "WHERE NOT coalesce(c.is_reply_by_creator, false)"
)


def creator_commenter_pairs(warehouse: Warehouse) -> pa.Table:
    """Every audience comment written by a known creator on another's post (platform, owner,
    author), over the whole comment sample: a pod spans many creators."""
    return warehouse.fetch_arrow(CREATOR_COMMENTER_PAIRS)


def broad_commenter_comments_query(
    min_creators: int, min_comments: int, key: Key | None = None
) -> Query:
    mine = (
        ""
        if key is None
        else (
            "WHERE author IN (SELECT author FROM audience WHERE platform = ? AND creator_id = ?) "
        )
    )
    return (
        "WITH audience AS (SELECT platform, creator_id, lower(author) AS author, text "  # noqa: S608 (the WHERE text is a fixed clause; values are bound)
        "FROM comments WHERE author IS NOT NULL AND NOT coalesce(is_reply_by_creator, false)), "
        f"broad AS (SELECT author FROM audience {mine}GROUP BY author "
        "HAVING count(DISTINCT platform || chr(0) || creator_id) >= ? AND count(*) >= ?) "
        "SELECT a.platform, a.creator_id, a.author, a.text FROM audience a "
        "SEMI JOIN broad b ON a.author = b.author ORDER BY a.author",
        (*(key or ()), min_creators, min_comments),
    )


def broad_commenter_comments(
    warehouse: Warehouse, min_creators: int, min_comments: int, key: Key | None = None
) -> pa.Table:
    """The audience comments (platform, creator_id, author lower-cased, text) of every handle
    that commented on at least ``min_creators`` creators, on any platform, with at least
    ``min_comments`` comments, over the whole sample: the only authors that can be ring
    accounts. With ``key``, only the handles that commented on that creator: whether a handle is
    a ring account depends on its own comments alone, so one creator's ring evidence is the
    same from these rows."""
    return warehouse.fetch_arrow(*broad_commenter_comments_query(min_creators, min_comments, key))


# The tables score_evidence reads beside creator_scores, under these names.
NORMS_VIEW, FOLLOWING_VIEW = "_auth_norms", "_auth_following"


def score_evidence_query(key: Key | None = None) -> Query:
    where = "" if key is None else "WHERE s.platform = ? AND s.creator_id = ?"
    return (
        "SELECT s.platform, s.creator_id, s.handle, s.followers, s.tier, s.snapshots_n, "  # noqa: S608 (the WHERE text is a fixed clause; values are bound)
        "s.spike_flag, s.spike_gain, s.spike_date, s.spike_ratio, s.er_median, s.er_n, "
        "s.comment_like_ratio, s.n_posts_window, s.days_since_last_post, s.reach_rate, "
        "s.reach_n, n.er_norm, n.er_norm_n, n.clr_norm, n.clr_norm_n, "
        "f.following_snapshots_n, f.following_before, f.following_after, "
        f"f.following_change_date FROM creator_scores s "
        f"LEFT JOIN {NORMS_VIEW} n ON n.platform = s.platform AND n.tier = s.tier "
        f"LEFT JOIN {FOLLOWING_VIEW} f ON f.platform = s.platform "
        f"AND f.creator_id = s.creator_id {where}",
        key or (),
    )


def score_evidence(
    warehouse: Warehouse, norms: pa.Table, following: pa.Table, key: Key | None = None
) -> pa.Table:
    """The creator_scores columns the signals read, beside their tier's ``norms`` and the
    creator's largest ``following`` change (both computed by core.authenticity.expressions)."""
    warehouse.duck.register(NORMS_VIEW, norms)
    warehouse.duck.register(FOLLOWING_VIEW, following)
    try:
        return warehouse.fetch_arrow(*score_evidence_query(key))
    finally:
        warehouse.duck.unregister(NORMS_VIEW)
        warehouse.duck.unregister(FOLLOWING_VIEW)


# What the scoring stage stored about one creator's audience, and what vet reports beside it.
_STORED = (
    "handle",
    "followers",
    "audience_quality",
    "audience_quality_reasons",
    "fake_follower_share",
    "fake_follower_ci_low",
    "fake_follower_ci_high",
    "audience_sample_n",
    "authenticity_verdict",
    "authenticity_unavailable",
)


def stored_judgement(warehouse: Warehouse, key: Key) -> dict[str, Any] | None:
    """One creator's stored authenticity columns, with the settings JSON of the run that wrote
    them and whether that run is still current: the warehouse's latest, with no import since
    (``current``). None when the creator has no scores row."""
    rows = warehouse.duck.execute(
        f"SELECT {', '.join('s.' + c for c in _STORED)}, r.settings, "  # noqa: S608 (column names are code constants; values are bound)
        "r.run_id = (SELECT run_id FROM score_runs ORDER BY started_at DESC LIMIT 1) "
        "AND coalesce((SELECT max(started_at) FROM imports) <= r.started_at, true) AS current "
        "FROM creator_scores s LEFT JOIN score_runs r USING (run_id) "
        "WHERE s.platform = ? AND s.creator_id = ?",
        list(key),
    ).fetchall()
    if not rows:
        return None
    return dict(zip((*_STORED, "run_settings", "current"), rows[0], strict=True))


__all__ = [
    "CREATOR_COMMENTER_PAIRS",
    "FOLLOWING_VIEW",
    "NORMS_VIEW",
    "Key",
    "Query",
    "audience_comment_counts",
    "audience_comment_counts_query",
    "audience_comment_texts",
    "audience_comment_texts_query",
    "audience_profiles",
    "audience_profiles_query",
    "broad_commenter_comments",
    "broad_commenter_comments_query",
    "creator_commenter_pairs",
    "score_evidence",
    "score_evidence_query",
    "stored_judgement",
]
