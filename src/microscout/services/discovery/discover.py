"""Discovery: the niche scoring stage, the creator vector index, search and lookalikes.

One document per creator (bio + top hashtags + latest captions) is embedded for search and
lookalikes; per-post niches come from the term lexicon (or a trained model) in SQL, so no post is
embedded. Ranking and reasons: ``core/niche/ranking.py`` and docs/discovery.md.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder
from microscout.adapters.text.index import UpdateCounts, VectorIndex, knn
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.handles import normalise_handle
from microscout.core.metrics import MetricParams
from microscout.core.niche.focus import niche_focus
from microscout.core.niche.ranking import (
    Ranked,
    blend,
    engagement_component,
    focus_component,
    quality_component,
    reach_component,
)
from microscout.core.schema import CREATOR_DOCUMENTS, CREATOR_NICHES, NICHE_TERMS
from microscout.errors import NotFoundError, ParameterError
from microscout.services.discovery.niches import (
    CREATOR_ACCOUNTS_SQL,
    AccountPairs,
    LinearNicheModel,
    build_lexicon,
    load_taxonomy,
    model_file,
    post_text,
)
from microscout.services.scoring.stage import Stage

log = logging.getLogger(__name__)
RECENT_POSTS = 30  # posts per creator behind niches and the document
DOC_HASHTAGS = 12
DOC_CAPTIONS = 3
# Terms used by more than this share of creators say nothing about a niche ("love", "reels").
# A niche's own hashtags can reach a tenth of all creators when there are ten niches, so the
# bar sits well above that: at 0.05 the demo's lexicon kept 6 terms and 80% of creators got no
# niche; at 0.15-0.40 every creator got one, right for 81% (docs/discovery.md).
GENERIC_SHARE = 0.25
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_STOP = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "your",
        "you",
        "our",
        "are",
        "not",
        "but",
        "all",
        "any",
        "can",
        "has",
        "have",
        "into",
        "its",
        "who",
        "what",
        "when",
        "how",
        "why",
        "was",
        "were",
        "will",
        "just",
        "more",
        "most",
        "some",
        "such",
        "than",
        "then",
        "them",
        "they",
        "very",
        "und",
        "der",
        "die",
        "das",
        "mit",
        "für",
        "von",
        "ein",
        "eine",
        "les",
        "des",
        "pour",
        "avec",
        "une",
        "por",
        "con",
        "para",
        "los",
        "las",
        "del",
    ]
)


@lru_cache(maxsize=4)
def _embedder(model_dir: Path | None, quantized: bool, max_tokens: int) -> Embedder:
    return Embedder(model_dir, quantized=quantized, max_tokens=max_tokens)


def embedder_for(settings: Settings) -> Embedder:
    """The text model the settings ask for (loaded once per process)."""
    return _embedder(
        settings.embedding_model_dir, settings.embedding_quantized, settings.embedding_max_tokens
    )


def index_folder(settings: Settings) -> Path:
    return settings.home / "index"


# -- documents and the index ----------------------------------------------------------------
def fingerprint(warehouse: Warehouse) -> dict[str, Any]:
    """What the index depends on: creators and posts (counts, newest fetch)."""
    row = warehouse.fetch_arrow(
        "SELECT (SELECT count(*) FROM creators) AS creators, "
        "(SELECT max(fetched_at) FROM creators) AS creators_fetched, "
        "(SELECT count(*) FROM posts) AS posts, "
        "(SELECT max(fetched_at) FROM posts) AS posts_fetched"
    ).to_pylist()[0]
    return {k: str(v) for k, v in row.items()}


def creator_documents(warehouse: Warehouse) -> pa.Table:
    """platform, creator_id, document: bio + top hashtags + latest captions of recent posts."""
    return warehouse.fetch_arrow(
        f"""
        WITH recent AS (
            SELECT platform, creator_id, caption, hashtags, posted_at,
                   row_number() OVER (PARTITION BY platform, creator_id
                                      ORDER BY posted_at DESC NULLS LAST, post_id) AS rn
            FROM posts),
        tags AS (
            SELECT platform, creator_id, tag, count(*) AS n FROM (
                SELECT platform, creator_id, unnest(string_split(hashtags, '|')) AS tag
                FROM recent WHERE rn <= {RECENT_POSTS} AND hashtags IS NOT NULL)
            WHERE tag <> '' GROUP BY ALL),
        top_tags AS (
            SELECT platform, creator_id,
                   string_agg('#' || tag, ' ' ORDER BY n DESC, tag) AS tags
            FROM (SELECT *, row_number() OVER (PARTITION BY platform, creator_id
                                               ORDER BY n DESC, tag) AS r FROM tags)
            WHERE r <= {DOC_HASHTAGS} GROUP BY ALL),
        caps AS (
            SELECT platform, creator_id,
                   string_agg(left(caption, 160), ' | ' ORDER BY rn) AS captions
            FROM recent WHERE rn <= {DOC_CAPTIONS} AND caption IS NOT NULL GROUP BY ALL)
        SELECT c.platform, c.creator_id,
               concat_ws(' . ', nullif(c.bio, ''), t.tags, k.captions) AS document
        FROM creators c
        LEFT JOIN top_tags t USING (platform, creator_id)
        LEFT JOIN caps k USING (platform, creator_id)
        ORDER BY c.platform, c.creator_id
        """
    )


@dataclass(frozen=True)
class IndexStatus:
    index: VectorIndex
    counts: UpdateCounts | None  # None when the index was already current
    reason: str | None  # why it had to be updated


# folder -> (manifest stamp, index): the loaded index, shared by every search in the process
# until the folder's manifest changes (a rebuild rewrites the manifest last).
_LOADED: dict[Path, tuple[tuple[int, int], VectorIndex]] = {}


def _shared_index(folder: Path) -> VectorIndex | None:
    try:
        stat = (folder / "manifest.json").stat()
    except FileNotFoundError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    index = VectorIndex.load(folder)
    if index is not None:
        _LOADED[folder] = (stamp, index)
    return index


def update_index(
    warehouse: Warehouse,
    settings: Settings,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> IndexStatus:
    """Bring the index in line with the warehouse, re-embedding only changed documents."""
    embedder = embedder_for(settings)
    folder = index_folder(settings)
    index = _shared_index(folder)
    current = fingerprint(warehouse)
    reason = "no index yet" if index is None else index.staleness(embedder.model_id, current)
    if index is not None and reason is None:
        return IndexStatus(index, None, None)
    index = VectorIndex.load(folder)  # a private copy: the shared one is never changed
    if index is None or index.manifest.get("model_id") != embedder.model_id:
        index = VectorIndex.empty(folder, embedder.model_id, 384)
    docs = creator_documents(warehouse)
    documents = [d or "" for d in docs["document"].to_pylist()]
    keys = list(zip(docs["platform"].to_pylist(), docs["creator_id"].to_pylist(), strict=True))
    hashes = [hashlib.sha256(d.encode("utf-8")).hexdigest()[:16] for d in documents]

    def embed(texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        report = None
        if progress is not None:
            report = lambda done, total: progress("embedding creators", done, total)  # noqa: E731
        return embedder.embed(texts, progress=report)

    counts = index.update(keys, hashes, documents, embed)
    index.save(current)
    now = datetime.now(UTC).replace(tzinfo=None)
    warehouse.duck.execute(f"DELETE FROM {CREATOR_DOCUMENTS.name}")
    warehouse.append(
        CREATOR_DOCUMENTS,
        docs.append_column("doc_hash", pa.array(hashes, pa.string()))
        .append_column("model_id", pa.array([embedder.model_id] * len(keys), pa.string()))
        .append_column("embedded_at", pa.array([now] * len(keys), pa.timestamp("us"))),
    )
    log.info("vector index updated (%s): %s", reason, counts)
    return IndexStatus(index, counts, reason)


# -- the niche stage --------------------------------------------------------------------------
_RECENT_TERMS = f"""
    WITH recent AS (
        SELECT platform, creator_id, post_id, caption, hashtags,
               row_number() OVER (PARTITION BY platform, creator_id
                                  ORDER BY posted_at DESC NULLS LAST, post_id) AS rn
        FROM posts),
    raw AS (
        SELECT platform, creator_id, post_id, unnest(string_split(hashtags, '|')) AS term
        FROM recent WHERE rn <= {RECENT_POSTS} AND hashtags IS NOT NULL
        UNION ALL
        SELECT platform, creator_id, post_id,
               unnest(regexp_split_to_array(lower(caption), '[^[:alnum:]]+')) AS term
        FROM recent WHERE rn <= {RECENT_POSTS} AND caption IS NOT NULL)
    SELECT DISTINCT platform, creator_id, post_id, term FROM raw WHERE length(term) >= 3
"""


def _lexicon(warehouse: Warehouse, settings: Settings) -> tuple[pa.Table, int]:
    frequent = warehouse.fetch_arrow(
        f"SELECT term, count(DISTINCT (platform, creator_id)) AS creators_n "
        f"FROM ({_RECENT_TERMS}) GROUP BY term HAVING creators_n >= 2 AND creators_n <= "
        f"{GENERIC_SHARE} * (SELECT count(*) FROM creators) "
        f"ORDER BY creators_n DESC, term LIMIT {settings.niche_lexicon_terms}"
    )
    terms = [t for t in frequent["term"].to_pylist() if t not in _STOP]
    counts = frequent["creators_n"].to_pylist()[: len(terms)]
    lexicon = build_lexicon(terms, counts, embedder_for(settings), settings)
    warehouse.duck.execute(f"DELETE FROM {NICHE_TERMS.name}")
    warehouse.append(NICHE_TERMS, lexicon.terms)
    return lexicon.terms, lexicon.vocabulary_size


def _zero_shot_mix(warehouse: Warehouse, lexicon: pa.Table) -> pa.Table:
    warehouse.duck.register("_lexicon", lexicon)
    try:
        return warehouse.fetch_arrow(
            f"""
            WITH pt AS ({_RECENT_TERMS}),
            pn AS (SELECT platform, creator_id, post_id, niche_id, sum(similarity) AS w
                   FROM pt JOIN _lexicon USING (term) GROUP BY ALL),
            pd AS (SELECT *, w / sum(w) OVER (PARTITION BY platform, creator_id, post_id) AS p
                   FROM pn),
            cn AS (SELECT platform, creator_id, count(DISTINCT post_id) AS posts_n
                   FROM pd GROUP BY ALL)
            SELECT platform, creator_id, niche_id, sum(p) / any_value(posts_n) AS share,
                   any_value(posts_n) AS posts_n
            FROM pd JOIN cn USING (platform, creator_id) GROUP BY ALL
            """
        )
    finally:
        warehouse.duck.unregister("_lexicon")


def _supervised_mix(warehouse: Warehouse, model: LinearNicheModel) -> pa.Table:
    posts = warehouse.fetch_arrow(
        f"SELECT platform, creator_id, caption, hashtags FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY platform, creator_id ORDER BY posted_at DESC NULLS LAST, post_id) AS rn "
        f"FROM posts) WHERE rn <= {RECENT_POSTS} AND (caption IS NOT NULL OR hashtags IS NOT NULL)"
    )
    texts = [
        post_text(c, h)
        for c, h in zip(posts["caption"].to_pylist(), posts["hashtags"].to_pylist(), strict=True)
    ]
    keys = list(zip(posts["platform"].to_pylist(), posts["creator_id"].to_pylist(), strict=True))
    creator_of = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    accounts = warehouse.fetch_arrow(
        f"SELECT DISTINCT platform, creator_id, account FROM ({CREATOR_ACCOUNTS_SQL})"
    )
    pairs = AccountPairs.matching(
        creator_of,
        zip(accounts["platform"].to_pylist(), accounts["creator_id"].to_pylist(), strict=True),
        accounts["account"].to_pylist(),
    )
    votes = model.votes(pairs, len(creator_of))
    rows = np.array([creator_of[key] for key in keys], np.int64)
    proba = model.predict_proba(texts, votes[rows]) if texts else np.zeros((0, len(model.classes)))
    frame = pa.table(
        {
            "platform": posts["platform"],
            "creator_id": posts["creator_id"],
            **{f"p{i}": pa.array(proba[:, i]) for i in range(len(model.classes))},
        }
    )
    warehouse.duck.register("_proba", frame)
    try:
        unpivot = " UNION ALL ".join(
            f"SELECT platform, creator_id, '{cls}' AS niche_id, avg(p{i}) AS share, "
            f"count(*) AS posts_n FROM _proba GROUP BY ALL"
            for i, cls in enumerate(model.classes)
        )
        return warehouse.fetch_arrow(unpivot)
    finally:
        warehouse.duck.unregister("_proba")


def niche_stage(settings: Settings) -> Stage:
    """Scoring stage: creator niche mixes, niche_primary, niche_focus, niche_posts_n.

    It also refreshes the vector index (documents change when posts or bios do).
    """

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        taxonomy = load_taxonomy()
        model = LinearNicheModel.load(model_file(settings))
        if model is not None:
            mix, vocabulary, method = (
                _supervised_mix(warehouse, model),
                len(model.classes),
                (model.model_id),
            )
        else:
            lexicon, vocabulary = _lexicon(warehouse, settings)
            mix, method = _zero_shot_mix(warehouse, lexicon), "zero-shot"
        rows = _creator_rows(mix, vocabulary)
        run_id = str(warehouse.scalar("SELECT any_value(run_id) FROM creator_scores") or "")
        niches = mix.append_column(
            "niche_name", pa.array([taxonomy.name(n) for n in mix["niche_id"].to_pylist()])
        )
        ranks = rows.pop("_ranks")
        niches = niches.append_column("rank", pa.array(ranks, pa.int64()))
        niches = niches.append_column("method", pa.array([method] * niches.num_rows, pa.string()))
        niches = niches.append_column("run_id", pa.array([run_id] * niches.num_rows, pa.string()))
        warehouse.duck.execute(f"DELETE FROM {CREATOR_NICHES.name}")
        warehouse.append(CREATOR_NICHES, niches.filter(pa.compute.greater(niches["share"], 0.0)))
        update_index(warehouse, settings)
        return pa.table(rows)

    return stage


def _creator_rows(mix: pa.Table, vocabulary: int) -> dict[str, Any]:
    """Per creator: primary niche and focus; also each mix row's rank within its creator."""
    platform = mix["platform"].to_pylist()
    creator = mix["creator_id"].to_pylist()
    niche = mix["niche_id"].to_pylist()
    share = mix["share"].to_pylist()
    posts = mix["posts_n"].to_pylist()
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(platform, creator, strict=True)):
        groups.setdefault(key, []).append(i)
    ranks = [0] * len(niche)
    out: dict[str, list[Any]] = {k: [] for k in ("platform", "creator_id", "niche_primary",
                                                 "niche_focus", "niche_posts_n")}  # fmt: skip
    for (p, c), members in groups.items():
        members.sort(key=lambda i: (-share[i], niche[i]))
        for r, i in enumerate(members, start=1):
            ranks[i] = r
        n = int(posts[members[0]])
        out["platform"].append(p)
        out["creator_id"].append(c)
        out["niche_primary"].append(niche[members[0]])
        out["niche_focus"].append(niche_focus({niche[i]: share[i] for i in members}, n, vocabulary))
        out["niche_posts_n"].append(n)
    return {**out, "_ranks": ranks}


# -- search and lookalikes --------------------------------------------------------------------
TIERS = ("nano", "micro", "mid", "macro", "mega", "any")


@dataclass(frozen=True)
class Filters:
    """Hard filters; None means "no filter". ``tier='micro'`` is the default."""

    platform: str | None = None
    country: str | None = None
    language: str | None = None
    tier: str | None = "micro"
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    reach_gate: bool = False
    min_audience_quality: float | None = None
    max_fee: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["TRUE"], []  # type: list[str], list[Any]
        if self.tier is not None and self.tier not in TIERS:
            raise ParameterError("tier", f"must be one of {', '.join(TIERS)}")
        pairs: list[tuple[Any, str]] = [
            (self.platform, "s.platform = ?"),
            (self.country.upper() if self.country else None, "upper(c.country) = ?"),
            (self.language.lower() if self.language else None, "lower(c.language) = ?"),
            (None if self.tier in (None, "any") else self.tier, "s.tier = ?"),
            (self.min_followers, "s.followers >= ?"),
            (self.max_followers, "s.followers <= ?"),
            (self.min_engagement, "s.er_median >= ?"),
            (self.max_fee, "s.fee_per_post <= ?"),
        ]
        for value, clause in pairs:
            if value is not None:
                clauses.append(clause)
                params.append(value)
        if self.reach_gate:
            clauses.append("s.passes_reach_gate")
        if self.min_audience_quality is not None:
            # Unknown quality passes: the filter applies "when known" (docs/discovery.md).
            clauses.append("(s.audience_quality IS NULL OR s.audience_quality >= ?)")
            params.append(self.min_audience_quality)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class Hit:
    rank: int
    platform: str
    creator_id: str
    handle: str
    followers: int | None
    country: str | None
    score: float
    relevance: float
    niche: str | None
    niche_focus: float | None
    er_median: float | None
    reach_rate: float | None
    audience_quality: float | None
    fee_per_post: float | None
    matched_terms: tuple[str, ...]
    matched_posts: tuple[str, ...]
    reasons: tuple[str, ...]
    ranked: Ranked = field(repr=False)

    def as_row(self) -> dict[str, Any]:
        return {
            "rank": self.rank, "handle": self.handle, "platform": self.platform,
            "creator_id": self.creator_id, "followers": self.followers, "country": self.country,
            "score": round(self.score, 4), "relevance": round(self.relevance, 4),
            "niche": self.niche, "niche_focus": self.niche_focus, "er_median": self.er_median,
            "reach_rate": self.reach_rate, "audience_quality": self.audience_quality,
            "fee_per_post": self.fee_per_post, "matched_terms": "; ".join(self.matched_terms),
            "matched_posts": " || ".join(self.matched_posts), "reasons": "; ".join(self.reasons),
        }  # fmt: skip


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    candidates: int
    notes: tuple[str, ...]

    def table(self) -> pa.Table:
        return pa.Table.from_pylist([h.as_row() for h in self.hits])


def _words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP]


# (warehouse file, index version, word) -> whether any creator document contains the word. The
# documents change only when the index is rebuilt, so a word is looked up once per version.
_KNOWN_WORDS: dict[tuple[str, str, str], bool] = {}


def word_stem(word: str) -> str:
    """A crude stem for recognising a word in other forms ("travellers" -> "travel",
    "backpacks" -> "backpa"): its first 60% of letters, at least 4."""
    return word[: max(4, math.ceil(len(word) * 0.6))]


def _word_is_known(warehouse: Warehouse, version: str, word: str) -> bool:
    key = (str(warehouse.path), version, word)
    known = _KNOWN_WORDS.get(key)
    if known is None:
        known = (
            bool(
                warehouse.scalar(
                    "SELECT count(*) FROM (SELECT 1 FROM creator_documents "
                    "WHERE contains(lower(document), ?) LIMIT 1)",
                    [word_stem(word)],
                )
            )
            or load_taxonomy().find(word) is not None
        )
        if len(_KNOWN_WORDS) > 50_000:
            _KNOWN_WORDS.clear()
        _KNOWN_WORDS[key] = known
    return known


def check_brief(warehouse: Warehouse, brief: str, version: str = "") -> list[str]:
    if not brief or not brief.strip():
        raise ParameterError(
            "brief", "is empty: describe the product and audience, e.g. "
            "\"plant-based skincare for sensitive skin\""
        )  # fmt: skip
    words = _words(brief)
    known = [w for w in words if _word_is_known(warehouse, version, w)]
    if not known:
        raise ParameterError(
            "brief", f"none of its words ({', '.join(words) or brief.strip()!r}) appears in any "
            "creator's bio, hashtags or captions: describe the niche in plain words"
        )  # fmt: skip
    return known


def _filtered(warehouse: Warehouse, index: VectorIndex, filters: Filters) -> np.ndarray[Any, Any]:
    where, params = filters.where()
    return index_mask(warehouse, index, where, params)


def index_mask(
    warehouse: Warehouse, index: VectorIndex, where: str, params: list[Any]
) -> np.ndarray[Any, Any]:
    """Which index rows pass ``where`` (over creator_scores ``s`` joined to creators ``c``)."""
    keys = warehouse.fetch_arrow(
        f"SELECT s.platform, s.creator_id FROM creator_scores s "
        f"JOIN creators c USING (platform, creator_id) WHERE {where}",
        params,
    )
    mask = np.zeros(index.vectors.shape[0], bool)
    for p, c in zip(keys["platform"].to_pylist(), keys["creator_id"].to_pylist(), strict=True):
        pos = index.position(p, c)
        if pos is not None:
            mask[pos] = True
    return mask


def _with_keys(warehouse: Warehouse, keys: list[tuple[str, str]], sql: str) -> list[dict[str, Any]]:
    """Run ``sql`` with the candidates' keys available as the relation ``_keys``.

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


def _details(warehouse: Warehouse, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The ranking figures of the candidates, with their tier's median ER as the norm."""
    rows = _with_keys(
        warehouse,
        keys,
        """WITH norms AS (SELECT tier, median(er_median) AS tier_norm FROM creator_scores
                          GROUP BY tier)
           SELECT s.platform, s.creator_id, s.handle, s.followers, s.tier, c.country,
                  s.er_median, s.reach_rate, s.audience_quality, s.niche_primary,
                  s.niche_focus, s.niche_posts_n, s.fee_per_post, d.document, n.tier_norm
           FROM _keys k JOIN creator_scores s USING (platform, creator_id)
           JOIN creators c USING (platform, creator_id)
           LEFT JOIN norms n ON n.tier IS NOT DISTINCT FROM s.tier
           LEFT JOIN creator_documents d USING (platform, creator_id)""",
    )
    return {(r["platform"], r["creator_id"]): r for r in rows}


def _recent_posts(
    warehouse: Warehouse, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The latest posts of the creators shown (the evidence behind matched terms)."""
    posts = _with_keys(
        warehouse,
        keys,
        f"""SELECT platform, creator_id, post_id, caption, hashtags FROM (
              SELECT p.*, row_number() OVER (PARTITION BY p.platform, p.creator_id
                     ORDER BY p.posted_at DESC NULLS LAST) AS rn
              FROM posts p JOIN _keys USING (platform, creator_id))
            WHERE rn <= {RECENT_POSTS}""",
    )
    out: dict[tuple[str, str], list[dict[str, Any]]] = {k: [] for k in keys}
    for post in posts:
        out[(post["platform"], post["creator_id"])].append(post)
    return out


def _matches(words: list[str], row: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Brief words found in the creator's document, and the posts that use the most of them."""
    doc_words = set(_words(row.get("document") or ""))
    terms = tuple(w for w in words if w in doc_words or any(d.startswith(w) for d in doc_words))
    scored = []
    for post in row["posts"]:
        text = post_text(post["caption"], post["hashtags"]).lower()
        hits = sum(1 for w in words if w in text)
        if hits:
            scored.append((hits, post["post_id"], post["caption"] or post["hashtags"] or ""))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return terms, tuple(f"{pid}: {text[:100]}" for _, pid, text in scored[:2])


def _weights(settings: Settings) -> dict[str, float]:
    return {
        "relevance": settings.search_weight_relevance,
        "engagement": settings.search_weight_engagement,
        "reach": settings.search_weight_reach,
        "audience_quality": settings.search_weight_audience_quality,
        "niche_focus": settings.search_weight_niche_focus,
        "audience_overlap": settings.search_weight_relevance / 2,
    }


def _rank(
    warehouse: Warehouse,
    settings: Settings,
    scores: np.ndarray[Any, Any],
    rows: np.ndarray[Any, Any],
    index: VectorIndex,
    words: list[str],
    limit: int,
    overlap: dict[tuple[str, str], float] | None = None,
) -> list[Hit]:
    """Blend every candidate's components, keep the best ``limit``, then explain those."""
    keys = [
        (index.keys["platform"][int(r)].as_py(), index.keys["creator_id"][int(r)].as_py())
        for r in rows
    ]
    details = _details(warehouse, keys)
    weights = _weights(settings)
    blended = []
    for key, relevance in zip(keys, scores.tolist(), strict=True):
        row = details.get(key)
        if row is None:
            continue
        values = {
            "relevance": (max(0.0, min(1.0, relevance)), f"similarity {relevance:.2f}"),
            "engagement": engagement_component(row["er_median"], row["tier_norm"]),
            "reach": reach_component(row["reach_rate"], settings.reach_gate),
            "audience_quality": quality_component(row["audience_quality"]),
            "niche_focus": focus_component(row["niche_focus"], row["niche_posts_n"]),
        }
        if overlap is not None:
            shared = overlap.get(key, 0.0)
            values["audience_overlap"] = (min(1.0, shared * 5), f"audience overlap {shared:.1%}")
        blended.append((blend(values, weights), relevance, row))
    blended.sort(key=lambda t: (-t[0].score, t[2]["handle"]))
    best = blended[:limit]
    posts = _recent_posts(warehouse, [(r["platform"], r["creator_id"]) for _, _, r in best])
    taxonomy = load_taxonomy()
    hits = []
    for rank, (ranked, relevance, row) in enumerate(best, start=1):
        row["posts"] = posts[(row["platform"], row["creator_id"])]
        terms, matched = _matches(words, row)
        reasons = [f"matched terms: {', '.join(terms)}"] if terms else []
        reasons += [
            f"{'raised' if c.effect > 0 else 'lowered'} by {c.evidence} ({c.effect:+.3f})"
            for c in sorted(ranked.components, key=lambda c: -abs(c.effect))
            if abs(c.effect) >= 0.0005
        ]
        niche = row["niche_primary"]
        hits.append(
            Hit(rank, row["platform"], row["creator_id"], row["handle"], row["followers"],
                row["country"], ranked.score, relevance,
                f"{taxonomy.name(niche)} ({niche})" if niche else None,
                row["niche_focus"], row["er_median"], row["reach_rate"], row["audience_quality"],
                row["fee_per_post"], terms, matched, tuple(reasons), ranked)
        )  # fmt: skip
    return hits


def current_index(warehouse: Warehouse, settings: Settings) -> tuple[VectorIndex, list[str]]:
    status = update_index(warehouse, settings)
    notes = []
    if status.counts is not None:
        c = status.counts
        notes.append(
            f"index was stale ({status.reason}): updated, {c.added + c.changed} documents "
            f"embedded, {c.removed} removed"
        )
    if warehouse.count("creator_scores") == 0:
        raise NotFoundError("no creator scores yet: run `microscout score` first")
    return status.index, notes


def search(
    warehouse: Warehouse, settings: Settings, brief: str, filters: Filters, limit: int = 20
) -> SearchResult:
    """Creators whose content matches ``brief``, filtered, ranked by the documented blend."""
    if limit < 1:
        raise ParameterError("limit", "must be at least 1")
    index, notes = current_index(warehouse, settings)
    words = check_brief(warehouse, brief, str(index.manifest.get("updated_at")))
    mask = _filtered(warehouse, index, filters)
    if not mask.any():
        raise NotFoundError(
            "no creator passes these filters; loosen them (e.g. --tier any, a lower "
            "--min-engagement, no --reach-gate)"
        )
    query = embedder_for(settings).embed([brief])[0]
    scores, rows = knn(
        index.vectors, query, max(settings.search_pool, limit), mask,
        ann=index.ann(settings.search_exact_max), exact_max=settings.search_exact_max,
    )  # fmt: skip
    keep = scores >= settings.search_min_relevance
    if not keep.any():
        raise NotFoundError(
            f"no creator among the {int(mask.sum()):,} that pass the filters is close to the "
            f"brief (best similarity {float(scores.max(initial=0)):.2f}); rephrase it"
        )
    hits = _rank(warehouse, settings, scores[keep], rows[keep], index, words, limit)
    return SearchResult(brief, tuple(hits), int(mask.sum()), tuple(notes))


def similar(
    warehouse: Warehouse,
    settings: Settings,
    handle: str,
    filters: Filters,
    limit: int = 20,
    platform: str | None = None,
) -> SearchResult:
    """Creators close in content (and in audience, when audience samples exist)."""
    clean = normalise_handle(handle)
    if not clean:
        raise ParameterError("handle", "is empty")
    found = warehouse.fetch_arrow(
        "SELECT platform, creator_id FROM creators WHERE handle = ? "
        "AND (? IS NULL OR platform = ?) ORDER BY platform",
        [clean, platform, platform],
    ).to_pylist()
    if not found:
        raise NotFoundError(
            f"no creator with handle '{clean}'"
            + (f" on {platform}" if platform else "")
            + "; list creators with `microscout creators`"
        )
    seed = (found[0]["platform"], found[0]["creator_id"])
    index, notes = current_index(warehouse, settings)
    if len(found) > 1:
        notes.append(f"'{clean}' exists on several platforms; using {seed[0]} (--platform)")
    pos = index.position(*seed)
    if pos is None:
        raise NotFoundError(f"'{clean}' is not in the vector index; run `microscout score`")
    mask = _filtered(warehouse, index, filters)
    mask[pos] = False
    if not mask.any():
        raise NotFoundError("no other creator passes these filters; loosen them")
    scores, rows = knn(
        index.vectors, index.vectors[pos], max(settings.search_pool, limit), mask,
        ann=index.ann(settings.search_exact_max), exact_max=settings.search_exact_max,
    )  # fmt: skip
    seed_doc = str(warehouse.scalar(
        "SELECT document FROM creator_documents WHERE platform = ? AND creator_id = ?", list(seed)
    ) or "")  # fmt: skip
    words = list(dict.fromkeys(w for w in _words(seed_doc) if len(w) >= 4))[:25]
    overlap = _audience_overlap(warehouse, seed, rows, index)
    if overlap is None:
        notes.append("no audience sample for the seed creator: content similarity only")
    hits = _rank(warehouse, settings, scores, rows, index, words, limit, overlap)
    return SearchResult(f"similar to @{clean}", tuple(hits), int(mask.sum()), tuple(notes))


def _audience_overlap(
    warehouse: Warehouse, seed: tuple[str, str], rows: np.ndarray[Any, Any], index: VectorIndex
) -> dict[tuple[str, str], float] | None:
    """Jaccard overlap of sampled follower ids between the seed and each candidate."""
    has = warehouse.scalar(
        "SELECT count(*) FROM audience_samples WHERE platform = ? AND creator_id = ?", list(seed)
    )
    if not has:
        return None
    cands = pa.table(
        {
            "platform": [index.keys["platform"][int(r)].as_py() for r in rows],
            "creator_id": [index.keys["creator_id"][int(r)].as_py() for r in rows],
        }
    )
    warehouse.duck.register("_cands", cands)
    try:
        result = warehouse.fetch_arrow(
            """WITH s AS (SELECT DISTINCT follower_id FROM audience_samples
                          WHERE platform = ? AND creator_id = ?),
                    c AS (SELECT DISTINCT a.platform, a.creator_id, a.follower_id
                          FROM audience_samples a JOIN _cands USING (platform, creator_id))
               SELECT c.platform, c.creator_id,
                      count(s.follower_id) / (count(*) + (SELECT count(*) FROM s)
                                              - count(s.follower_id)) AS jaccard
               FROM c LEFT JOIN s USING (follower_id) GROUP BY ALL""",
            list(seed),
        ).to_pylist()
    finally:
        warehouse.duck.unregister("_cands")
    return {(r["platform"], r["creator_id"]): float(r["jaccard"]) for r in result}


__all__ = [
    "Filters",
    "Hit",
    "IndexStatus",
    "SearchResult",
    "creator_documents",
    "embedder_for",
    "fingerprint",
    "niche_stage",
    "search",
    "similar",
    "update_index",
]
