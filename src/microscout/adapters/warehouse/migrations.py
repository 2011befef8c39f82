"""Versioned schema migrations of the DuckDB warehouse.

Each migration is frozen once released: a later release appends a new one and never edits an old
one, so any older warehouse file is brought forward step by step without losing data. The table
``schema_version`` records every step applied. A test checks that applying them all yields exactly
the tables and columns declared in ``core/schema.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


def _create(table: str, columns: str) -> str:
    return f"CREATE TABLE {table} ({columns})"


_SOURCE = "source VARCHAR, fetched_at TIMESTAMP"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "canonical tables, quarantine and import log",
        (
            _create(
                "creators",
                "platform VARCHAR, creator_id VARCHAR, handle VARCHAR, display_name VARCHAR, "
                "bio VARCHAR, followers BIGINT, following BIGINT, posts_count BIGINT, "
                "country VARCHAR, language VARCHAR, is_verified BOOLEAN, is_business BOOLEAN, "
                "contact_email VARCHAR, website VARCHAR, niches VARCHAR, source_category VARCHAR, "
                + _SOURCE,
            ),
            _create(
                "posts",
                "platform VARCHAR, post_id VARCHAR, creator_id VARCHAR, posted_at TIMESTAMP, "
                "media_type VARCHAR, caption VARCHAR, hashtags VARCHAR, mentions VARCHAR, "
                "likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT, views BIGINT, "
                "reach BIGINT, is_sponsored BOOLEAN, sponsors VARCHAR, permalink VARCHAR, "
                + _SOURCE,
            ),
            _create(
                "comments",
                "platform VARCHAR, comment_id VARCHAR, post_id VARCHAR, creator_id VARCHAR, "
                "author VARCHAR, text VARCHAR, posted_at TIMESTAMP, likes BIGINT, "
                "is_reply_by_creator BOOLEAN, " + _SOURCE,
            ),
            _create(
                "follower_snapshots",
                "platform VARCHAR, creator_id VARCHAR, snapshot_date DATE, followers BIGINT, "
                "following BIGINT, " + _SOURCE,
            ),
            _create(
                "audience_samples",
                "platform VARCHAR, creator_id VARCHAR, follower_id VARCHAR, "
                "follower_handle VARCHAR, followers BIGINT, following BIGINT, posts BIGINT, "
                "has_picture BOOLEAN, is_private BOOLEAN, bio_length BIGINT, " + _SOURCE,
            ),
            _create(
                "quarantine",
                "import_id VARCHAR, source_file VARCHAR, line BIGINT, column_name VARCHAR, "
                "reason VARCHAR, target_table VARCHAR, raw VARCHAR, rejected_at TIMESTAMP",
            ),
            _create(
                "imports",
                "import_id VARCHAR, source_file VARCHAR, format VARCHAR, sha256 VARCHAR, "
                "started_at TIMESTAMP, inserted BIGINT, updated BIGINT, unchanged BIGINT, "
                "rejected BIGINT",
            ),
        ),
    ),
    Migration(
        2,
        "computed creator scores and the log of scoring runs",
        (
            _create(
                "creator_scores",
                "platform VARCHAR, creator_id VARCHAR, handle VARCHAR, followers BIGINT, "
                "tier VARCHAR, anchor_at TIMESTAMP, window_start TIMESTAMP, "
                "n_posts_window BIGINT, er_median DOUBLE, er_mean DOUBLE, er_ci_low DOUBLE, "
                "er_ci_high DOUBLE, er_n BIGINT, erv_median DOUBLE, erv_n BIGINT, "
                "reach_rate DOUBLE, reach_n BIGINT, passes_reach_gate BOOLEAN, "
                "comment_like_ratio DOUBLE, share_rate DOUBLE, reply_rate DOUBLE, "
                "reply_n BIGINT, posts_per_week DOUBLE, days_since_last_post DOUBLE, "
                "engagement_cv DOUBLE, growth_30d DOUBLE, growth_90d DOUBLE, "
                "snapshots_n BIGINT, spike_flag BOOLEAN, spike_gain BIGINT, spike_date DATE, "
                "spike_ratio DOUBLE, sponsored_er_median DOUBLE, sponsored_n BIGINT, "
                "organic_er_median DOUBLE, organic_n BIGINT, sponsored_vs_organic DOUBLE, "
                "null_reasons VARCHAR, run_id VARCHAR",
            ),
            _create(
                "score_runs",
                "run_id VARCHAR, started_at TIMESTAMP, seconds DOUBLE, as_of TIMESTAMP, "
                "settings VARCHAR, creators BIGINT",
            ),
        ),
    ),
    Migration(
        3,
        "ground truth planted by the demo generator",
        (
            _create(
                "demo_ground_truth",
                "platform VARCHAR, creator_id VARCHAR, niche VARCHAR, niche_name VARCHAR, "
                "problems VARCHAR, pod_id BIGINT, fake_share DOUBLE",
            ),
        ),
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "creator_scores columns filled by the authenticity, niche and pricing stages",
        tuple(
            f"ALTER TABLE creator_scores ADD COLUMN {column}"
            for column in (
                "audience_quality DOUBLE",
                "audience_quality_reasons VARCHAR",
                "fake_follower_share DOUBLE",
                "fake_follower_ci_low DOUBLE",
                "fake_follower_ci_high DOUBLE",
                "audience_sample_n BIGINT",
                "authenticity_verdict VARCHAR",
                "authenticity_unavailable VARCHAR",
                "niche_primary VARCHAR",
                "niche_focus DOUBLE",
                "niche_posts_n BIGINT",
                "fee_per_post DOUBLE",
                "fee_basis VARCHAR",
                "cpe DOUBLE",
                "cpm DOUBLE",
            )
        ),
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "discovery: creator niche mixes, the zero-shot niche lexicon, vector index bookkeeping",
        (
            _create(
                "creator_niches",
                "platform VARCHAR, creator_id VARCHAR, niche_id VARCHAR, niche_name VARCHAR, "
                "share DOUBLE, rank BIGINT, posts_n BIGINT, method VARCHAR, run_id VARCHAR",
            ),
            _create(
                "niche_terms",
                "term VARCHAR, niche_id VARCHAR, similarity DOUBLE, creators_n BIGINT, "
                "model_id VARCHAR",
            ),
            _create(
                "creator_documents",
                "platform VARCHAR, creator_id VARCHAR, document VARCHAR, doc_hash VARCHAR, "
                "model_id VARCHAR, embedded_at TIMESTAMP",
            ),
        ),
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "creator_scores.null_reasons as a list of 'metric: why' strings, not one joined string",
        (
            "ALTER TABLE creator_scores ALTER null_reasons TYPE VARCHAR[] USING "
            "CASE WHEN null_reasons IS NULL OR null_reasons = '' THEN []::VARCHAR[] "
            "ELSE string_split(null_reasons, '; ') END",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "post_terms: the niche stage's split terms of recent posts, kept between runs",
        (
            _create(
                "post_terms",
                "platform VARCHAR, post_id VARCHAR, term VARCHAR, text_hash VARCHAR",
            ),
        ),
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "post_terms.creator_id, so the niche stage reads the kept terms without a join",
        (
            "ALTER TABLE post_terms ADD COLUMN creator_id VARCHAR",
            "UPDATE post_terms SET creator_id = p.creator_id FROM posts p "
            "WHERE p.platform = post_terms.platform AND p.post_id = post_terms.post_id",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
