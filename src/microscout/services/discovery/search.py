"""Search by brief and lookalikes: hard filters, semantic relevance, then the documented blend.

Both read the vector index scoring saved (``services/discovery/index.py``) and never rebuild it.
Ranking and reasons: ``core/niche/ranking.py`` and docs/discovery.md. The audience overlap of a
lookalike is the planner's: a MinHash Jaccard of audience-sample ids (``core/audience``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder
from microscout.adapters.text.index import IndexStore, VectorIndex, knn
from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.core.audience import build_sketches, hash_strings, jaccard
from microscout.core.handles import normalise_handle
from microscout.core.niche.ranking import (
    Ranked,
    blend,
    engagement_component,
    focus_component,
    quality_component,
    reach_component,
)
from microscout.core.text import post_text, word_stem, words
from microscout.errors import NotFoundError, ParameterError
from microscout.services.discovery.index import RECENT_POSTS, searchable_index

Key = tuple[str, str]
TIERS = ("nano", "micro", "mid", "macro", "mega", "any")


@dataclass(frozen=True)
class Filters:
    """Hard filters; None means "no filter". ``tier='micro'`` is the default.

    The command, the API and the page build them from one request with every option checked
    against its bounds (``services/discovery/request.py``); built here, only ``tier`` is checked.
    """

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

    def passing(self, warehouse: Warehouse) -> pa.Table:
        """platform, creator_id of the scored creators that pass these filters.

        Unknown audience quality passes: the filter applies "when known" (docs/discovery.md).
        """
        if self.tier is not None and self.tier not in TIERS:
            raise ParameterError("tier", f"must be one of {', '.join(TIERS)}")
        return queries.creators_passing(
            warehouse,
            platforms=(self.platform,) if self.platform else (),
            countries=(self.country,) if self.country else (),
            language=self.language,
            tiers=() if self.tier in (None, "any") else (str(self.tier),),
            min_followers=self.min_followers,
            max_followers=self.max_followers,
            min_engagement=self.min_engagement,
            max_fee=self.max_fee,
            reach_gate="passes" if self.reach_gate else "any",
            min_audience_quality=self.min_audience_quality,
        )


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
            "rank": self.rank,
            "handle": self.handle,
            "platform": self.platform,
            "creator_id": self.creator_id,
            "followers": self.followers,
            "country": self.country,
            "score": round(self.score, 4),
            "relevance": round(self.relevance, 4),
            "niche": self.niche,
            "niche_focus": self.niche_focus,
            "er_median": self.er_median,
            "reach_rate": self.reach_rate,
            "audience_quality": self.audience_quality,
            "fee_per_post": self.fee_per_post,
            "matched_terms": "; ".join(self.matched_terms),
            "matched_posts": " || ".join(self.matched_posts),
            "reasons": "; ".join(self.reasons),
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    candidates: int
    notes: tuple[str, ...]

    def table(self) -> pa.Table:
        return pa.Table.from_pylist([h.as_row() for h in self.hits])


# -- the brief ---------------------------------------------------------------------------------
def check_brief(warehouse: Warehouse, store: IndexStore, brief: str) -> list[str]:
    """The brief's words that some creator's document (or a niche name) uses, in order.

    Raises ParameterError when the brief is empty or none of its words is known: a nonsense
    brief would otherwise return the creators nearest to nothing in particular.
    """
    if not brief or not brief.strip():
        raise ParameterError(
            "brief",
            'is empty: describe the product and audience, e.g. "plant-based skincare for '
            'sensitive skin"',
        )
    taxonomy = packaged_taxonomy()

    def lookup(word: str) -> bool:
        return (
            queries.any_document_contains(warehouse, word_stem(word))
            or taxonomy.find(word) is not None
        )

    brief_words = words(brief)
    known = [w for w in brief_words if store.word_known(w, lookup)]
    if not known:
        raise ParameterError(
            "brief",
            f"none of its words ({', '.join(brief_words) or brief.strip()!r}) appears in any "
            "creator's bio, hashtags or captions: describe the niche in plain words",
        )
    return known


def index_mask(index: VectorIndex, keys: pa.Table) -> np.ndarray[Any, Any]:
    """Which index rows hold the creators of ``keys`` (platform, creator_id)."""
    mask = np.zeros(index.vectors.shape[0], bool)
    for p, c in zip(keys["platform"].to_pylist(), keys["creator_id"].to_pylist(), strict=True):
        pos = index.position(p, c)
        if pos is not None:
            mask[pos] = True
    return mask


# -- ranking and reasons -----------------------------------------------------------------------
def _recent_posts(warehouse: Warehouse, keys: list[Key]) -> dict[Key, list[dict[str, Any]]]:
    """The latest posts of the creators shown (the evidence behind matched terms)."""
    out: dict[Key, list[dict[str, Any]]] = {k: [] for k in keys}
    for post in queries.latest_posts(warehouse, keys, RECENT_POSTS):
        out[(post["platform"], post["creator_id"])].append(post)
    return out


def _matches(
    brief_words: list[str], row: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Brief words found in the creator's document, and the posts that use the most of them."""
    doc_words = set(words(row.get("document") or ""))
    terms = tuple(
        w for w in brief_words if w in doc_words or any(d.startswith(w) for d in doc_words)
    )
    scored = []
    for post in row["posts"]:
        text = post_text(post["caption"], post["hashtags"]).lower()
        hits = sum(1 for w in brief_words if w in text)
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


def _keys(index: VectorIndex, rows: np.ndarray[Any, Any]) -> list[Key]:
    return [
        (index.keys["platform"][int(r)].as_py(), index.keys["creator_id"][int(r)].as_py())
        for r in rows
    ]


def _rank(
    warehouse: Warehouse,
    settings: Settings,
    scores: np.ndarray[Any, Any],
    rows: np.ndarray[Any, Any],
    index: VectorIndex,
    brief_words: list[str],
    limit: int,
    overlap: dict[Key, float] | None = None,
) -> list[Hit]:
    """Blend every candidate's components, keep the best ``limit``, then explain those."""
    keys = _keys(index, rows)
    details = {
        (r["platform"], r["creator_id"]): r for r in queries.ranking_figures(warehouse, keys)
    }
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
    taxonomy = packaged_taxonomy()
    hits = []
    for rank, (ranked, relevance, row) in enumerate(best, start=1):
        row["posts"] = posts[(row["platform"], row["creator_id"])]
        terms, matched = _matches(brief_words, row)
        reasons = [f"matched terms: {', '.join(terms)}"] if terms else []
        reasons += [
            f"{'raised' if c.effect > 0 else 'lowered'} by {c.evidence} ({c.effect:+.3f})"
            for c in sorted(ranked.components, key=lambda c: -abs(c.effect))
            if abs(c.effect) >= 0.0005
        ]
        niche = row["niche_primary"]
        hits.append(
            Hit(
                rank=rank,
                platform=row["platform"],
                creator_id=row["creator_id"],
                handle=row["handle"],
                followers=row["followers"],
                country=row["country"],
                score=ranked.score,
                relevance=relevance,
                niche=f"{taxonomy.name(niche)} ({niche})" if niche else None,
                niche_focus=row["niche_focus"],
                er_median=row["er_median"],
                reach_rate=row["reach_rate"],
                audience_quality=row["audience_quality"],
                fee_per_post=row["fee_per_post"],
                matched_terms=terms,
                matched_posts=matched,
                reasons=tuple(reasons),
                ranked=ranked,
            )
        )
    return hits


# -- search and lookalikes ---------------------------------------------------------------------
def search(
    warehouse: Warehouse,
    settings: Settings,
    brief: str,
    filters: Filters,
    limit: int = 20,
    *,
    index: IndexStore,
    embedder: Embedder,
) -> SearchResult:
    """Creators whose content matches ``brief``, filtered, ranked by the documented blend.

    ``index`` and ``embedder`` are the saved vector index and the text model
    (``bootstrap.Adapters.index_store`` and ``.embedder``); nothing is written.
    """
    if limit < 1:
        raise ParameterError("limit", "must be at least 1")
    vectors, notes = searchable_index(warehouse, index, embedder.model_id)
    brief_words = check_brief(warehouse, index, brief)
    mask = index_mask(vectors, filters.passing(warehouse))
    if not mask.any():
        raise NotFoundError(
            "no creator passes these filters; loosen them (e.g. --tier any, a lower "
            "--min-engagement, no --reach-gate)"
        )
    query = embedder.embed([brief])[0]
    scores, rows = knn(
        vectors.vectors,
        query,
        max(settings.search_pool, limit),
        mask,
        ann=vectors.ann(settings.search_exact_max),
        exact_max=settings.search_exact_max,
    )
    keep = scores >= settings.search_min_relevance
    if not keep.any():
        raise NotFoundError(
            f"no creator among the {int(mask.sum()):,} that pass the filters is close to the "
            f"brief (best similarity {float(scores.max(initial=0)):.2f}); rephrase it"
        )
    hits = _rank(warehouse, settings, scores[keep], rows[keep], vectors, brief_words, limit)
    return SearchResult(brief, tuple(hits), int(mask.sum()), tuple(notes))


def similar(
    warehouse: Warehouse,
    settings: Settings,
    handle: str,
    filters: Filters,
    limit: int = 20,
    platform: str | None = None,
    *,
    index: IndexStore,
    embedder: Embedder,
) -> SearchResult:
    """Creators close in content (and in audience, when audience samples exist).

    ``embedder`` names the text model the index must have been built with; nothing is embedded
    and nothing is written.
    """
    clean = normalise_handle(handle)
    if not clean:
        raise ParameterError("handle", "is empty")
    found = queries.creators_with_handle(warehouse, clean, platform)
    if not found:
        raise NotFoundError(
            f"no creator with handle '{clean}'"
            + (f" on {platform}" if platform else "")
            + "; list creators with `microscout creators`"
        )
    seed = found[0]
    vectors, notes = searchable_index(warehouse, index, embedder.model_id)
    if len(found) > 1:
        notes.append(f"'{clean}' exists on several platforms; using {seed[0]} (--platform)")
    pos = vectors.position(*seed)
    if pos is None:
        raise NotFoundError(f"'{clean}' is not in the vector index; run `microscout score`")
    mask = index_mask(vectors, filters.passing(warehouse))
    mask[pos] = False
    if not mask.any():
        raise NotFoundError("no other creator passes these filters; loosen them")
    scores, rows = knn(
        vectors.vectors,
        vectors.vectors[pos],
        max(settings.search_pool, limit),
        mask,
        ann=vectors.ann(settings.search_exact_max),
        exact_max=settings.search_exact_max,
    )
    seed_doc = queries.creator_document(warehouse, seed)
    seed_words = list(dict.fromkeys(w for w in words(seed_doc) if len(w) >= 4))[:25]
    overlap = _audience_overlap(warehouse, seed, _keys(vectors, rows), settings.plan_sketch_size)
    if overlap is None:
        notes.append("no audience sample for the seed creator: content similarity only")
    hits = _rank(warehouse, settings, scores, rows, vectors, seed_words, limit, overlap)
    return SearchResult(f"similar to @{clean}", tuple(hits), int(mask.sum()), tuple(notes))


def _audience_overlap(
    warehouse: Warehouse, seed: Key, candidates: list[Key], sketch_size: int
) -> dict[Key, float] | None:
    """Jaccard of sampled followers between the seed and each candidate, as the planner and
    compare measure it (bottom-k MinHash sketches; exact below ``sketch_size`` ids each).

    None when the seed has no audience sample; a candidate without one overlaps 0.
    """
    keys = [seed, *candidates]
    ids = queries.audience_sample_ids(warehouse, keys)
    owner = np.asarray(ids.column("idx"), np.int64)
    if not (owner == 0).any():
        return None
    sketches = build_sketches(
        owner, hash_strings(ids.column("id").to_numpy()), len(keys), sketch_size
    )
    mine = sketches.of(0)
    return {
        key: jaccard(mine, sketches.of(i), sketches.k)
        for i, key in enumerate(keys[1:], start=1)
        if sketches.distinct[i] > 0
    }


__all__ = [
    "TIERS",
    "Filters",
    "Hit",
    "SearchResult",
    "check_brief",
    "index_mask",
    "search",
    "similar",
]
