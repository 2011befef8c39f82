"""The warehouse reads behind planning: keyword candidates, candidates' figures, audience ids, fees.

Tables the planner hands in (candidate keys, brief words) are registered on the connection for
the one query that joins them and unregistered after it, whatever happens.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from microscout.adapters.warehouse.store import Warehouse

# The keyword matcher (docs/planning.md): the brief's words against each creator's niches, bio,
# source category and post hashtags. Every value is a bound parameter ($name); the filters that
# are not set pass an empty list.
_KEYWORD_SQL = """
    WITH base AS (
        SELECT c.platform, c.creator_id, lower(coalesce(c.bio, '')) AS bio,
               lower(coalesce(c.source_category, '')) AS category,
               string_split(coalesce(c.niches, ''), '|') AS niche_list,
               s.audience_quality, s.er_median
        FROM creators c JOIN creator_scores s USING (platform, creator_id)
        WHERE (len($tiers) = 0 OR list_contains($tiers, s.tier))
          AND (len($platforms) = 0 OR list_contains($platforms, c.platform))
          AND (len($countries) = 0 OR list_contains($countries, c.country))
          AND (NOT $reach_gate OR s.passes_reach_gate IS NOT FALSE)
    ),
    niche AS (
        SELECT b.platform, b.creator_id,
               max(n.score * CASE WHEN u.pos = 1 THEN 1.0 ELSE 0.5 END) AS niche_match
        FROM base b,
             unnest(b.niche_list) WITH ORDINALITY AS u(iab, pos)
             JOIN _plan_niches n ON n.iab = u.iab
        GROUP BY ALL
    ),
    words AS (
        SELECT b.platform, b.creator_id,
               count(*) FILTER (WHERE regexp_matches(b.bio, '\\b' || t.term || '\\b'))
                 / $n_terms AS bio_match,
               max(CASE WHEN b.category = t.term THEN 1.0 ELSE 0.0 END) AS category_match
        FROM base b CROSS JOIN _plan_terms t GROUP BY ALL
    ),
    tags AS (
        SELECT p.platform, p.creator_id,
               avg(CASE WHEN list_has_any(string_split(coalesce(p.hashtags, ''), '|'),
                                          (SELECT list(term) FROM _plan_terms))
                   THEN 1.0 ELSE 0.0 END) AS tag_match
        FROM posts p SEMI JOIN base b USING (platform, creator_id)
        GROUP BY ALL
    ),
    matched AS (
        SELECT b.platform, b.creator_id,
               greatest(coalesce(n.niche_match, 0), coalesce(w.category_match, 0)) AS niche_match,
               coalesce(w.bio_match, 0) AS bio_match, coalesce(t.tag_match, 0) AS tag_match,
               b.audience_quality, b.er_median
        FROM base b
        LEFT JOIN niche n USING (platform, creator_id)
        LEFT JOIN words w USING (platform, creator_id)
        LEFT JOIN tags t USING (platform, creator_id)
    )
    SELECT platform, creator_id,
           0.5 * niche_match + 0.25 * bio_match + 0.25 * tag_match AS relevance,
           printf('niche %.2f, bio %.2f, hashtags %.2f', niche_match, bio_match,
                  tag_match) AS relevance_reasons
    FROM matched
    WHERE niche_match + bio_match + tag_match > 0
    ORDER BY relevance DESC, audience_quality DESC NULLS LAST,
             er_median DESC NULLS LAST, platform, creator_id
    LIMIT $limit
"""


@contextlib.contextmanager
def _registered(warehouse: Warehouse, **tables: pa.Table) -> Iterator[None]:
    """The Arrow tables visible to SQL under their keyword names while the block runs."""
    for name, table in tables.items():
        warehouse.duck.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            warehouse.duck.unregister(name)


def keyword_matches(
    warehouse: Warehouse,
    niche_scores: pa.Table,
    terms: Sequence[str],
    *,
    tiers: Sequence[str] = (),
    platforms: Sequence[str] = (),
    countries: Sequence[str] = (),
    require_reach_gate: bool = True,
    limit: int = 2000,
) -> pa.Table:
    """Creators matching the brief's words (platform, creator_id, relevance, relevance_reasons).

    ``niche_scores`` (iab, score) is each niche's share of brief words; the bio, the category
    label and the posts' hashtags are matched against ``terms`` here (docs/planning.md).
    """
    params: dict[str, Any] = {
        "tiers": list(tiers),
        "platforms": list(platforms),
        "countries": list(countries),
        "reach_gate": require_reach_gate,
        "n_terms": float(len(terms)),
        "limit": int(limit),
    }
    term_list = pa.table({"term": pa.array(list(terms), pa.string())})
    with _registered(warehouse, _plan_niches=niche_scores, _plan_terms=term_list):
        table: pa.Table = warehouse.duck.sql(_KEYWORD_SQL, params=params).to_arrow_table()
        return table


def macro_keys(warehouse: Warehouse) -> pa.Table:
    """Every macro or mega creator whose reach gate is not failed (platform, creator_id)."""
    return warehouse.fetch_arrow(
        """SELECT platform, creator_id FROM creator_scores
           WHERE tier IN ('macro', 'mega') AND passes_reach_gate IS NOT FALSE"""
    )


def macro_figures(warehouse: Warehouse, keys: pa.Table) -> pa.Table:
    """What the single-macro comparison and the plan's gates need of the creators in ``keys``,
    followers known."""
    with _registered(warehouse, _plan_macro=keys):
        return warehouse.fetch_arrow(
            """SELECT s.platform, s.handle, s.followers, s.reach_rate, s.er_median,
                      s.fake_follower_share, s.fee_per_post, s.fee_basis, s.audience_quality,
                      s.authenticity_verdict, s.days_since_last_post, s.passes_reach_gate,
                      s.audience_quality_reasons
               FROM creator_scores s JOIN _plan_macro USING (platform, creator_id)
               WHERE s.followers > 0"""
        )


def pool_figures(warehouse: Warehouse, keys: pa.Table) -> pa.Table:
    """The candidates' figures and what the plan's gates read, in the order of ``keys``
    (platform, creator_id, relevance, relevance_reasons, rank); scored creators only, with or
    without a follower count (the gates name those without)."""
    with _registered(warehouse, _plan_keys=keys):
        return warehouse.fetch_arrow(
            """SELECT k.rank, k.platform, k.creator_id, k.relevance, k.relevance_reasons, c.handle,
                      c.country, c.language,
                      split_part(coalesce(s.niche_primary, c.niches, ''), '|', 1) AS niche,
                      s.followers, s.tier, s.reach_rate, s.er_median, s.passes_reach_gate,
                      s.fake_follower_share, s.audience_quality, s.fee_per_post, s.fee_basis,
                      s.authenticity_verdict, s.days_since_last_post, s.audience_quality_reasons
               FROM _plan_keys k
                JOIN creators c USING (platform, creator_id)
                JOIN creator_scores s USING (platform, creator_id)
                ORDER BY k.rank"""
        )


def creators_by_handle(
    warehouse: Warehouse, platforms: Sequence[str], handles: Sequence[str]
) -> pa.Table:
    """Creators named by stored handle, on the paired platform ('' for any): platform,
    creator_id and the handle asked for (want_handle)."""
    wanted = pa.table(
        {
            "want_platform": pa.array(list(platforms), pa.string()),
            "want_handle": pa.array(list(handles), pa.string()),
        }
    )
    with _registered(warehouse, _plan_want=wanted):
        return warehouse.fetch_arrow(
            """SELECT c.platform, c.creator_id, w.want_handle FROM _plan_want w
               JOIN creators c ON c.handle = w.want_handle
                AND (w.want_platform = '' OR c.platform = w.want_platform)"""
        )


def audience_sample_ids(warehouse: Warehouse, keys: pa.Table) -> pa.Table:
    """Sampled follower ids of the creators in ``keys`` (idx, platform, creator_id): idx and
    ``platform:follower_id``."""
    with _registered(warehouse, _plan_idx=keys):
        return warehouse.fetch_arrow(
            """SELECT k.idx, a.platform || ':' || a.follower_id AS id
               FROM _plan_idx k JOIN audience_samples a USING (platform, creator_id)"""
        )


def commenter_ids(warehouse: Warehouse, keys: pa.Table) -> pa.Table:
    """Distinct commenters of the creators in ``keys`` (idx, platform, creator_id), their own
    replies left out: idx and ``c:platform:author``."""
    with _registered(warehouse, _plan_idx=keys):
        return warehouse.fetch_arrow(
            """SELECT DISTINCT k.idx, 'c:' || m.platform || ':' || lower(m.author) AS id
               FROM _plan_idx k JOIN comments m USING (platform, creator_id)
               WHERE m.author IS NOT NULL AND NOT coalesce(m.is_reply_by_creator, FALSE)"""
        )


def pricing_inputs(warehouse: Warehouse) -> pa.Table:
    """What the fee model reads of every scored creator with a follower count."""
    return warehouse.fetch_arrow(
        """SELECT platform, creator_id, followers, er_median, reach_rate, fake_follower_share
           FROM creator_scores WHERE followers > 0"""
    )


__all__ = [
    "audience_sample_ids",
    "commenter_ids",
    "creators_by_handle",
    "keyword_matches",
    "macro_figures",
    "macro_keys",
    "pool_figures",
    "pricing_inputs",
]
