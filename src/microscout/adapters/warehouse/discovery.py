"""The warehouse queries behind discovery: creator documents, niche terms and mixes, search filters,
and the figures that rank and explain a hit.

``recent`` arguments are the number of latest posts per creator a query reads (the services'
``RECENT_POSTS``); keys are ``(platform, creator_id)`` pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.warehouse.store import Warehouse
from microscout.adapters.warehouse.views import NEWEST_FIRST
from microscout.core.schema import CREATOR_DOCUMENTS, CREATOR_NICHES, NICHE_TERMS

Key = tuple[str, str]
# "passes": only creators that pass the reach gate; "not failed": unknown reach passes too.
ReachGate = Literal["any", "passes", "not failed"]

# Every account seen around a creator: its commenters (not its own replies), the accounts its
# posts tag or mention, and its sponsors; one row per mention, distinct pairs are taken later.
_CREATOR_ACCOUNTS = """
    SELECT platform, creator_id, author AS account FROM comments
    WHERE author IS NOT NULL AND NOT coalesce(is_reply_by_creator, false)
    UNION ALL
    SELECT platform, creator_id, unnest(string_split(mentions, '|')) FROM posts
    WHERE mentions IS NOT NULL
    UNION ALL
    SELECT platform, creator_id, unnest(string_split(sponsors, '|')) FROM posts
    WHERE sponsors IS NOT NULL
"""


# -- creator documents and the index fingerprint ------------------------------------------------
def index_fingerprint(warehouse: Warehouse) -> dict[str, str]:
    """What the vector index depends on: creators and posts (counts, newest fetch)."""
    row = warehouse.fetch_arrow(
        "SELECT (SELECT count(*) FROM creators) AS creators, "
        "(SELECT max(fetched_at) FROM creators) AS creators_fetched, "
        "(SELECT count(*) FROM posts) AS posts, "
        "(SELECT max(fetched_at) FROM posts) AS posts_fetched"
    ).to_pylist()[0]
    return {k: str(v) for k, v in row.items()}


def creators_in_tiers(warehouse: Warehouse, tiers: Sequence[str] | None) -> set[Key]:
    """(platform, creator_id) of the scored creators in ``tiers`` (every one for None)."""
    where = "" if tiers is None else "WHERE list_contains(?::VARCHAR[], tier)"
    rows = warehouse.fetch_arrow(
        f"SELECT platform, creator_id FROM creator_scores {where}",  # noqa: S608 (constant)
        [] if tiers is None else [list(tiers)],
    )
    return set(zip(rows["platform"].to_pylist(), rows["creator_id"].to_pylist(), strict=True))


def creator_documents(warehouse: Warehouse, recent: int, hashtags: int, captions: int) -> pa.Table:
    """platform, creator_id, document: bio + top ``hashtags`` + latest ``captions`` captions."""
    return warehouse.fetch_arrow(creator_documents_sql(recent, hashtags, captions))


def creator_documents_sql(recent: int, hashtags: int, captions: int) -> str:
    """The query behind :func:`creator_documents`, in DuckDB's dialect; the Spark engine runs
    it too, translated (``adapters/spark/sql.py``)."""
    return f"""
        WITH recent AS (
            SELECT platform, creator_id, caption, hashtags, posted_at,
                   row_number() OVER (PARTITION BY platform, creator_id
                                      ORDER BY posted_at DESC NULLS LAST, post_id) AS rn
            FROM posts),
        tags AS (
            SELECT platform, creator_id, tag, count(*) AS n FROM (
                SELECT platform, creator_id, unnest(string_split(hashtags, '|')) AS tag
                FROM recent WHERE rn <= {int(recent)} AND hashtags IS NOT NULL)
            WHERE tag <> '' GROUP BY ALL),
        top_tags AS (
            SELECT platform, creator_id,
                   string_agg('#' || tag, ' ' ORDER BY n DESC, tag) AS tags
            FROM (SELECT *, row_number() OVER (PARTITION BY platform, creator_id
                                               ORDER BY n DESC, tag) AS r FROM tags)
            WHERE r <= {int(hashtags)} GROUP BY ALL),
        caps AS (
            SELECT platform, creator_id,
                   string_agg(left(caption, 160), ' | ' ORDER BY rn) AS captions
            FROM recent WHERE rn <= {int(captions)} AND caption IS NOT NULL GROUP BY ALL)
        SELECT c.platform, c.creator_id,
               concat_ws(' . ', nullif(c.bio, ''), t.tags, k.captions) AS document
        FROM creators c
        LEFT JOIN top_tags t USING (platform, creator_id)
        LEFT JOIN caps k USING (platform, creator_id)
        ORDER BY c.platform, c.creator_id
        """  # noqa: S608 (fragments and limits are code constants; values are bound)


def replace_creator_documents(warehouse: Warehouse, rows: pa.Table) -> None:
    """Make ``creator_documents`` hold exactly ``rows`` (the documents the index was built from)."""
    warehouse.replace(CREATOR_DOCUMENTS, rows)


def creator_document(warehouse: Warehouse, key: Key) -> str:
    """The stored document of one creator ("" when it has none)."""
    document = warehouse.scalar(
        "SELECT document FROM creator_documents WHERE platform = ? AND creator_id = ?", list(key)
    )
    return str(document or "")


# -- the niche stage ---------------------------------------------------------------------------
def _recent_posts(recent: int, *, hashed: bool = True) -> str:
    """The latest ``recent`` posts of each creator that have any text (with a hash of it)."""
    text_hash = "hash(caption, hashtags)::VARCHAR" if hashed else "CAST(NULL AS VARCHAR)"
    return f"""
    SELECT platform, creator_id, post_id, caption, hashtags, {text_hash} AS text_hash
    FROM (SELECT *, row_number() OVER (PARTITION BY platform, creator_id
                                       ORDER BY posted_at DESC NULLS LAST, post_id) AS rn
          FROM posts)
    WHERE rn <= {int(recent)} AND (caption IS NOT NULL OR hashtags IS NOT NULL)
"""  # noqa: S608 (fragments and limits are code constants; values are bound)


def _terms_of(source: str) -> str:
    """The distinct (post, term) of the posts in ``source``: its hashtags, and the words of its
    caption lower-cased and split at every character but a-z and 0-9 (after lower-casing the
    same as DuckDB's [:alnum:], and a class Spark's Java regular expressions read alike)."""
    return f"""
    raw AS (
        SELECT platform, creator_id, post_id, text_hash,
               unnest(string_split(hashtags, '|')) AS term
        FROM {source} WHERE hashtags IS NOT NULL
        UNION ALL
        SELECT platform, creator_id, post_id, text_hash,
               unnest(string_split_regex(lower(caption), '[^a-z0-9]+')) AS term
        FROM {source} WHERE caption IS NOT NULL)
    SELECT DISTINCT platform, creator_id, post_id, term, text_hash FROM raw
    WHERE length(term) >= 3
"""  # noqa: S608 (the source is a code constant)


# Distinct (post, term) of the recent posts whose terms post_terms lacks: hashtags and words.
_SPLIT_NEW_POSTS = f"""
    WITH new AS (SELECT * FROM _recent_posts r WHERE NOT EXISTS (
                     SELECT 1 FROM post_terms t
                     WHERE t.platform = r.platform AND t.post_id = r.post_id)),
    {_terms_of("new")}
"""  # noqa: S608 (fragments are code constants)


def post_terms_sql(recent: int) -> str:
    """Every term of each creator's ``recent`` latest posts, as ``post_terms`` holds them after
    :func:`refresh_post_terms` (without the text hashes that keep them between runs): the
    Spark engine's, which splits every post on each run."""
    return f"WITH recent AS ({_recent_posts(recent, hashed=False)}), {_terms_of('recent')}"


def refresh_post_terms(warehouse: Warehouse, recent: int) -> None:
    """Bring ``post_terms`` in line with the posts: the distinct (creator, post, term) of each
    creator's ``recent`` latest posts, which :func:`frequent_terms` and :func:`zero_shot_mix`
    read.

    Splitting captions is the costly part of both, so ``post_terms`` keeps each post's terms
    between runs: a run first drops the terms of posts that left the latest ones or whose text
    (or creator) changed, then splits only the posts it does not hold (all of them on the
    first run). It then holds exactly the latest posts' terms, with their creator, and is read
    as it is (joining it to the posts again cost 1.4 s of a demo re-score)."""
    duck = warehouse.duck
    duck.execute(f"CREATE OR REPLACE TEMP TABLE _recent_posts AS {_recent_posts(recent)}")
    try:
        duck.execute(
            "DELETE FROM post_terms t WHERE NOT EXISTS (SELECT 1 FROM _recent_posts r "
            "WHERE r.platform = t.platform AND r.post_id = t.post_id "
            "AND r.text_hash = t.text_hash AND r.creator_id IS NOT DISTINCT FROM t.creator_id)"
        )
        duck.execute(f"INSERT INTO post_terms BY NAME ({_SPLIT_NEW_POSTS})")
    finally:
        duck.execute("DROP TABLE IF EXISTS _recent_posts")


def frequent_terms(warehouse: Warehouse, generic_share: float, limit: int) -> pa.Table:
    """term, creators_n: terms used by at least two creators and at most ``generic_share`` of
    all creators, most used first (in ``post_terms``: :func:`refresh_post_terms` first)."""
    return warehouse.fetch_arrow(frequent_terms_sql(generic_share, limit))


def frequent_terms_sql(generic_share: float, limit: int) -> str:
    """The query of :func:`frequent_terms` (the Spark engine runs it too)."""
    return (
        f"SELECT term, count(DISTINCT (platform, creator_id)) AS creators_n "  # noqa: S608 (fragments and limits are code constants; values are bound)
        "FROM post_terms GROUP BY term HAVING creators_n >= 2 AND creators_n <= "
        f"{float(generic_share)} * (SELECT count(*) FROM creators) "
        f"ORDER BY creators_n DESC, term LIMIT {int(limit)}"
    )


def replace_niche_terms(warehouse: Warehouse, terms: pa.Table) -> None:
    """Make ``niche_terms`` hold exactly ``terms`` (the zero-shot lexicon)."""
    warehouse.replace(NICHE_TERMS, terms)


# The query of :func:`zero_shot_mix`, over post_terms and the lexicon registered as _lexicon (the
# Spark engine runs it too).
ZERO_SHOT_MIX_SQL = """
            WITH pn AS (SELECT platform, creator_id, post_id, niche_id, sum(similarity) AS w
                   FROM post_terms JOIN _lexicon USING (term) GROUP BY ALL),
            -- each post's total by a grouping, not a window: a window over millions of
            -- small partitions (one per post) cost a third more on the demo
            pt AS (SELECT platform, creator_id, post_id, sum(w) AS total FROM pn GROUP BY ALL),
            cn AS (SELECT platform, creator_id, count(*) AS posts_n FROM pt GROUP BY ALL)
            SELECT platform, creator_id, pn.niche_id,
                   sum(pn.w / pt.total) / any_value(cn.posts_n) AS share,
                   any_value(cn.posts_n) AS posts_n
            FROM pn JOIN pt USING (platform, creator_id, post_id)
            JOIN cn USING (platform, creator_id) GROUP BY ALL
            """


def zero_shot_mix(warehouse: Warehouse, lexicon: pa.Table) -> pa.Table:
    """platform, creator_id, niche_id, share, posts_n: each creator's niche mix from the lexicon
    (a post's niches are its terms' similarities per niche, normalised; the terms are
    ``post_terms``: :func:`refresh_post_terms` first)."""
    warehouse.duck.register("_lexicon", lexicon)
    try:
        return warehouse.fetch_arrow(ZERO_SHOT_MIX_SQL)
    finally:
        warehouse.duck.unregister("_lexicon")


def recent_post_texts_sql(recent: int) -> str:
    """platform, creator_id, caption, hashtags of each creator's latest posts with any text."""
    return (
        f"SELECT platform, creator_id, caption, hashtags FROM (SELECT *, row_number() OVER "  # noqa: S608 (fragments and limits are code constants; values are bound)
        f"(PARTITION BY platform, creator_id ORDER BY posted_at DESC NULLS LAST, post_id) AS rn "
        f"FROM posts) WHERE rn <= {int(recent)} AND (caption IS NOT NULL OR hashtags IS NOT NULL)"
    )


def recent_post_texts(warehouse: Warehouse, recent: int) -> pa.Table:
    """:func:`recent_post_texts_sql`'s rows."""
    return warehouse.fetch_arrow(recent_post_texts_sql(recent))


# Distinct platform, creator_id, account: commenters, tagged accounts and sponsors.
CREATOR_ACCOUNTS_SQL = f"SELECT DISTINCT platform, creator_id, account FROM ({_CREATOR_ACCOUNTS})"  # noqa: S608 (fragments and limits are code constants; values are bound)


def creator_accounts(warehouse: Warehouse) -> pa.Table:
    """:data:`CREATOR_ACCOUNTS_SQL`'s rows."""
    return warehouse.fetch_arrow(CREATOR_ACCOUNTS_SQL)


def mean_class_shares(warehouse: Warehouse, proba: pa.Table, classes: Sequence[str]) -> pa.Table:
    """platform, creator_id, niche_id, share, posts_n from per-post probabilities.

    ``proba`` has platform, creator_id and one column ``p{i}`` per class ``classes[i]``; a
    creator's share of a class is the mean over its posts.
    """
    warehouse.duck.register("_proba", proba)
    try:
        # class labels come from a model file, so they travel as parameters, not SQL text
        unpivot = " UNION ALL ".join(
            f"SELECT platform, creator_id, CAST(? AS VARCHAR) AS niche_id, avg(p{i}) AS share, "  # noqa: S608 (i is a column index)
            "count(*) AS posts_n FROM _proba GROUP BY platform, creator_id"
            for i in range(len(classes))
        )
        return warehouse.fetch_arrow(unpivot, list(classes))
    finally:
        warehouse.duck.unregister("_proba")


def scoring_run_id(warehouse: Warehouse) -> str:
    """The run id the scores being written carry ("" before any)."""
    return str(warehouse.scalar("SELECT any_value(run_id) FROM creator_scores") or "")


def replace_creator_niches(warehouse: Warehouse, niches: pa.Table) -> None:
    """Make ``creator_niches`` hold exactly ``niches``."""
    warehouse.replace(CREATOR_NICHES, niches)


# -- training the niche model ------------------------------------------------------------------
def labelled_posts_and_accounts(
    warehouse: Warehouse, labels: pa.Table
) -> tuple[pa.Table, pa.Table]:
    """The posts (handle, niche, caption, hashtags) and the accounts (handle, account) of the
    labelled creators; ``labels`` has platform (None: any), handle and niche."""
    warehouse.duck.register("_labels", labels)
    try:
        labelled_creators = (
            "SELECT DISTINCT l.handle, l.niche, c.platform, c.creator_id FROM _labels l "
            "JOIN creators c ON c.handle = l.handle AND (l.platform IS NULL OR l.platform = "
            "c.platform)"
        )
        posts = warehouse.fetch_arrow(
            f"SELECT l.handle, l.niche, p.caption, p.hashtags FROM ({labelled_creators}) l "  # noqa: S608 (fragments and limits are code constants; values are bound)
            "JOIN posts p USING (platform, creator_id)"
        )
        accounts = warehouse.fetch_arrow(
            f"SELECT DISTINCT l.handle, a.account FROM ({labelled_creators}) l "  # noqa: S608 (fragments and limits are code constants; values are bound)
            f"JOIN ({_CREATOR_ACCOUNTS}) a USING (platform, creator_id)"
        )
    finally:
        warehouse.duck.unregister("_labels")
    return posts, accounts


# -- search and lookalikes ---------------------------------------------------------------------
# Each scored creator's columns the filters read; country and language from ``creators`` (upper
# and lower case, as the filters compare them), joined only when asked: the join is most of the
# query's cost when nothing filters on them.
_SCORE_FILTER_COLUMNS = (
    "s.platform, s.creator_id, s.niche_primary, s.tier, s.followers, s.er_median, "
    "s.fee_per_post, s.passes_reach_gate, s.audience_quality"
)
_PLACE_COLUMNS = "upper(c.country) AS country, lower(c.language) AS language"


def filter_columns(warehouse: Warehouse, *, place: bool = True) -> pa.Table:
    """The columns :func:`passing_mask` reads, one row per scored creator; ``place=False``
    leaves out country and language (then the filters may not ask for them)."""
    if place:
        sql = (
            f"SELECT {_SCORE_FILTER_COLUMNS}, {_PLACE_COLUMNS} FROM creator_scores s "  # noqa: S608 (column lists are code constants)
            "JOIN creators c USING (platform, creator_id)"
        )
    else:
        sql = f"SELECT {_SCORE_FILTER_COLUMNS} FROM creator_scores s"  # noqa: S608 (column lists are code constants)
    return warehouse.fetch_arrow(sql).combine_chunks()


def passing_mask(
    columns: pa.Table,
    *,
    platforms: Sequence[str] = (),
    countries: Sequence[str] = (),
    language: str | None = None,
    tiers: Sequence[str] = (),
    min_followers: int | None = None,
    max_followers: int | None = None,
    min_engagement: float | None = None,
    max_fee: float | None = None,
    reach_gate: ReachGate = "any",
    min_audience_quality: float | None = None,
    include_unvetted: bool = False,
) -> npt.NDArray[np.bool_]:
    """Which rows of :func:`filter_columns` pass every filter given (empty or None: no filter).

    Countries match case-insensitively, languages too; a missing value fails a filter on it,
    except the reach gate "not failed" (not measured is not failed) and, with
    ``include_unvetted``, a missing audience quality (not vetted). The one definition of the
    filters: a search reads the columns once per scoring run and applies it to each brief.
    """
    checks: list[pa.Array] = []
    for name, values in (
        ("platform", tuple(platforms)),
        ("country", tuple(v.upper() for v in countries)),
        ("tier", tuple(tiers)),
    ):
        if values:
            checks.append(pc.is_in(columns[name], value_set=pa.array(values, pa.string())))
    if language:
        checks.append(pc.equal(columns["language"], language.lower()))
    for name, value, compare in (
        ("followers", min_followers, pc.greater_equal),
        ("followers", max_followers, pc.less_equal),
        ("er_median", min_engagement, pc.greater_equal),
        ("fee_per_post", max_fee, pc.less_equal),
    ):
        if value is not None:
            checks.append(compare(columns[name], value))
    gate = columns["passes_reach_gate"]
    if reach_gate == "passes":
        checks.append(gate)
    elif reach_gate == "not failed":
        checks.append(pc.or_kleene(pc.is_null(gate), gate))
    if min_audience_quality is not None:
        quality = columns["audience_quality"]
        enough = pc.greater_equal(quality, min_audience_quality)
        checks.append(pc.or_kleene(pc.is_null(quality), enough) if include_unvetted else enough)
    passing = np.ones(columns.num_rows, bool)
    for check in checks:
        passing &= np.asarray(check.fill_null(False), bool)
    return passing


def creators_passing(
    warehouse: Warehouse,
    *,
    platforms: Sequence[str] = (),
    countries: Sequence[str] = (),
    language: str | None = None,
    **filters: Any,
) -> pa.Table:
    """platform, creator_id, niche_primary of the scored creators that pass every filter given
    (:func:`passing_mask` says which and how)."""
    columns = filter_columns(warehouse, place=bool(countries or language))
    passing = passing_mask(
        columns, platforms=platforms, countries=countries, language=language, **filters
    )
    return columns.filter(passing).select(["platform", "creator_id", "niche_primary"])


def creators_with_handle(warehouse: Warehouse, handle: str, platform: str | None) -> list[Key]:
    """Keys of the creators with this (normalised) handle, on ``platform`` or any, by platform."""
    found = warehouse.fetch_arrow(
        "SELECT platform, creator_id FROM creators WHERE handle = ? "
        "AND (? IS NULL OR platform = ?) ORDER BY platform",
        [handle, platform, platform],
    )
    return list(zip(found["platform"].to_pylist(), found["creator_id"].to_pylist(), strict=True))


def _with_keys(warehouse: Warehouse, keys: Sequence[Key], sql: str) -> list[dict[str, Any]]:
    """Run ``sql`` with the keys available as the relation ``_keys``.

    The keys travel as two list parameters: cheaper per request than registering a table.
    """
    keyed = (
        "WITH _keys AS (SELECT unnest(?::VARCHAR[]) AS platform, "
        "unnest(?::VARCHAR[]) AS creator_id) "
    )
    if sql.lstrip().upper().startswith("WITH "):
        keyed = keyed.rstrip() + ", " + sql.lstrip()[5:]
    else:
        keyed += sql
    params = [[k[0] for k in keys], [k[1] for k in keys]]
    return list(warehouse.fetch_arrow(keyed, params).to_pylist())


def ranking_figures(warehouse: Warehouse, keys: Sequence[Key]) -> list[dict[str, Any]]:
    """The figures that rank and describe each scored creator of ``keys``, its document, and
    its tier's median engagement rate as the norm (``tier_norm``)."""
    return _with_keys(
        warehouse,
        keys,
        """WITH norms AS (SELECT tier, median(er_median) AS tier_norm FROM creator_scores
                          GROUP BY tier)
           SELECT s.platform, s.creator_id, s.handle, s.followers, s.tier, c.country,
                  s.er_median, s.reach_rate, s.audience_quality, s.authenticity_verdict,
                  s.niche_primary,
                  s.niche_focus, s.niche_posts_n, s.fee_per_post, d.document, n.tier_norm
           FROM _keys k JOIN creator_scores s USING (platform, creator_id)
           JOIN creators c USING (platform, creator_id)
           LEFT JOIN norms n ON n.tier IS NOT DISTINCT FROM s.tier
           LEFT JOIN creator_documents d USING (platform, creator_id)""",
    )


def latest_posts(warehouse: Warehouse, keys: Sequence[Key], recent: int) -> list[dict[str, Any]]:
    """platform, creator_id, post_id, caption, hashtags of the ``recent`` latest posts of each
    creator of ``keys``."""
    return _with_keys(
        warehouse,
        keys,
        f"""SELECT platform, creator_id, post_id, caption, hashtags FROM (
              SELECT p.*, row_number() OVER (PARTITION BY p.platform, p.creator_id
                     ORDER BY {NEWEST_FIRST}) AS rn
              FROM posts p JOIN _keys USING (platform, creator_id))
            WHERE rn <= {int(recent)}""",  # noqa: S608 (fragments and limits are code constants; values are bound)
    )


def audience_sample_ids(warehouse: Warehouse, keys: Sequence[Key]) -> pa.Table:
    """idx, id: the sampled followers of each creator of ``keys`` (``idx`` is its position),
    as ``platform:follower_id``, the ids the planner sketches."""
    table = pa.table(
        {
            "idx": pa.array(range(len(keys)), pa.int64()),
            "platform": pa.array([k[0] for k in keys], pa.string()),
            "creator_id": pa.array([k[1] for k in keys], pa.string()),
        }
    )
    warehouse.duck.register("_sample_keys", table)
    try:
        return warehouse.fetch_arrow(
            """SELECT DISTINCT k.idx, a.platform || ':' || a.follower_id AS id
               FROM _sample_keys k JOIN audience_samples a USING (platform, creator_id)"""
        )
    finally:
        warehouse.duck.unregister("_sample_keys")


__all__ = [
    "CREATOR_ACCOUNTS_SQL",
    "Key",
    "ReachGate",
    "audience_sample_ids",
    "creator_accounts",
    "creator_document",
    "creator_documents",
    "creator_documents_sql",
    "creators_passing",
    "creators_with_handle",
    "filter_columns",
    "frequent_terms",
    "index_fingerprint",
    "labelled_posts_and_accounts",
    "latest_posts",
    "mean_class_shares",
    "passing_mask",
    "ranking_figures",
    "recent_post_texts",
    "recent_post_texts_sql",
    "refresh_post_terms",
    "replace_creator_documents",
    "replace_creator_niches",
    "replace_niche_terms",
    "scoring_run_id",
    "zero_shot_mix",
]
