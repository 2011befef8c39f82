"""Search by brief and lookalikes: hard filters, semantic relevance, then the documented blend.

Both read the vector index scoring saved (``services/discovery/index.py``) and never rebuild it.
Ranking and reasons: ``core/niche/ranking.py`` and docs/discovery.md. The audience overlap of a
lookalike is the planner's: a MinHash Jaccard of audience-sample ids (``core/audience``).

Meaning comes first: a brief is refused only when it has no content word at all
(:func:`check_brief`); its words found in a creator's content are a reason and a ranking feature
that only raises, so a brief in other words than the creators' still finds them. Creators not
vetted (no audience quality) rank after every vetted one and fail ``min_audience_quality``,
unless the request includes unvetted creators.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder, Vectors
from microscout.adapters.text.index import IndexStore, VectorIndex, knn
from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.core.audience import build_sketches, hash_strings, jaccard
from microscout.core.authenticity.quality import NOT_VETTED
from microscout.core.handles import normalise_handle
from microscout.core.niche.ranking import (
    Ranked,
    blend,
    engagement_component,
    focus_component,
    quality_component,
    reach_component,
    terms_component,
)
from microscout.core.text import content_words, post_text, vocabulary, words
from microscout.errors import NotFoundError, ParameterError
from microscout.services.discovery.filters import TIERS, Filters, index_mask
from microscout.services.discovery.index import RECENT_POSTS, searchable_index, tier_list
from microscout.services.discovery.niche_match import NicheMatch, niche_match

Key = tuple[str, str]


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
    authenticity_verdict: str | None
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
            "authenticity_verdict": self.authenticity_verdict,
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
def check_brief(brief: str) -> list[str]:
    """The brief's content words (``core/text.content_words``), in order.

    Raises ParameterError only for a brief that says nothing: empty, or nothing but function
    words, punctuation and single letters. Any other brief is answered by meaning, whether or
    not a creator uses its words.
    """
    if not brief or not brief.strip():
        raise ParameterError(
            "brief",
            'is empty: describe the product and audience, e.g. "plant-based skincare for '
            'sensitive skin"',
        )
    found = content_words(brief)
    if not found:
        raise ParameterError(
            "brief",
            f"has no content words ({brief.strip()[:60]!r} is only function words, punctuation "
            'or single letters): say what the product is and for whom, e.g. "running shoes for '
            'trail runners"',
        )
    return found


# -- ranking and reasons -----------------------------------------------------------------------
def _recent_posts(
    warehouse: Warehouse, keys: list[Key], views: ViewStore | None
) -> dict[Key, list[dict[str, Any]]]:
    """The latest posts of the creators shown (the evidence behind matched terms), from their
    current views where they have one."""
    out: dict[Key, list[dict[str, Any]]] = {k: [] for k in keys}
    viewed = {} if views is None else views.parts(keys, ("recent",), typed=False)
    out.update({key: parts["recent"] for key, parts in viewed.items()})
    rest = [k for k in keys if k not in viewed]
    for post in queries.latest_posts(warehouse, rest, RECENT_POSTS) if rest else ():
        out[(post["platform"], post["creator_id"])].append(post)
    return out


def _ranking_figures(
    warehouse: Warehouse, keys: list[Key], views: ViewStore | None
) -> dict[Key, dict[str, Any]]:
    """What ranks and describes each candidate (``queries.ranking_figures``), from current
    views where they have one."""
    found: dict[Key, dict[str, Any]] = {}
    if views is not None:
        for key, parts in views.parts(keys, ("figures", "vocabulary")).items():
            found[key] = {**parts["figures"], "vocabulary": parts["vocabulary"]}
    rest = [k for k in keys if k not in found]
    for row in queries.ranking_figures(warehouse, rest) if rest else ():
        row["vocabulary"] = vocabulary(row.pop("document"))
        found[(row["platform"], row["creator_id"])] = row
    return found


def _matched_terms(brief_words: list[str], known: list[str]) -> tuple[str, ...]:
    """Brief words found in the creator's document (as a word or the start of one), given the
    document's :func:`~microscout.core.text.vocabulary`."""
    return tuple(w for w in brief_words if _starts_a_word(known, w))


def _starts_a_word(vocabulary: list[str], prefix: str) -> bool:
    """Whether a word of the sorted ``vocabulary`` starts with ``prefix`` (or is it): such a
    word sorts at or just after the prefix."""
    at = bisect.bisect_left(vocabulary, prefix)
    return at < len(vocabulary) and vocabulary[at].startswith(prefix)


def _matched_posts(brief_words: list[str], posts: list[dict[str, Any]]) -> tuple[str, ...]:
    """The two posts that use the most brief words, as "post_id: text"."""
    scored = []
    for post in posts:
        text = post_text(post["caption"], post["hashtags"]).lower()
        hits = sum(1 for w in brief_words if w in text)
        if hits:
            scored.append((hits, post["post_id"], post["caption"] or post["hashtags"] or ""))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return tuple(f"{pid}: {text[:100]}" for _, pid, text in scored[:2])


def _weights(settings: Settings) -> dict[str, float]:
    return {
        "relevance": settings.search_weight_relevance,
        "engagement": settings.search_weight_engagement,
        "reach": settings.search_weight_reach,
        "audience_quality": settings.search_weight_audience_quality,
        "niche_focus": settings.search_weight_niche_focus,
        "terms": settings.search_weight_terms,
        "niche": settings.search_weight_niche,
        "audience_overlap": settings.search_weight_relevance / 2,
    }


def _keys(index: VectorIndex, rows: np.ndarray[Any, Any]) -> list[Key]:
    taken = index.keys.select(["platform", "creator_id"]).take(pa.array(rows, pa.int64()))
    return list(zip(taken["platform"].to_pylist(), taken["creator_id"].to_pylist(), strict=True))


def _unvetted(row: dict[str, Any]) -> bool:
    """No audience quality: nothing could be checked (or the authenticity stage never ran)."""
    return row["audience_quality"] is None or row["authenticity_verdict"] == NOT_VETTED


@dataclass(frozen=True)
class _Asked:
    """What a ranking matches and how: the brief's (or the seed's) words, whether their overlap
    counts in the blend (search; lookalikes weigh audience overlap instead), the lookalike's
    audience overlaps, and whether unvetted creators rank among the vetted."""

    words: list[str]
    word_feature: bool
    include_unvetted: bool
    overlap: dict[Key, float] | None = None
    query: Vectors | None = None  # the brief's vector: its niche match counts (search only)


@dataclass(frozen=True)
class _Candidate:
    ranked: Ranked
    relevance: float
    row: dict[str, Any]
    terms: tuple[str, ...]


def _candidate(
    settings: Settings,
    weights: dict[str, float],
    key: Key,
    relevance: float,
    row: dict[str, Any],
    asked: _Asked,
    niches: NicheMatch | None,
) -> _Candidate:
    """One candidate's blend (core/niche/ranking.py) and the brief words its content uses."""
    terms = _matched_terms(asked.words, row["vocabulary"])
    values = {
        "relevance": (max(0.0, min(1.0, relevance)), f"similarity {relevance:.2f}"),
        "engagement": engagement_component(row["er_median"], row["tier_norm"]),
        "reach": reach_component(row["reach_rate"], settings.reach_gate),
        "audience_quality": quality_component(row["audience_quality"], row["authenticity_verdict"]),
        "niche_focus": focus_component(row["niche_focus"], row["niche_posts_n"]),
    }
    if niches is not None:
        values["niche"] = niches.of(row["niche_primary"])
    if asked.word_feature:
        values["terms"] = terms_component(len(terms), len(asked.words))
    if asked.overlap is not None:
        shared = asked.overlap.get(key, 0.0)
        values["audience_overlap"] = (min(1.0, shared * 5), f"audience overlap {shared:.1%}")
    return _Candidate(blend(values, weights), relevance, row, terms)


def _reasons(found: _Candidate, include_unvetted: bool) -> list[str]:
    """Why a hit ranks where it does: matched words, then each component's effect, largest first."""
    reasons = [f"matched terms: {', '.join(found.terms)}"] if found.terms else []
    if _unvetted(found.row):
        why = (
            "no signal could be checked"
            if found.row["authenticity_verdict"] == NOT_VETTED
            else "not scored: run `microscout score`"
        )
        where = (
            "ranked among the vetted by its other figures, as asked"
            if include_unvetted
            else "ranked after every vetted creator"
        )
        reasons.append(f"audience not vetted ({why}): {where}")
    reasons += [
        f"{'raised' if c.effect > 0 else 'lowered'} by {c.evidence} ({c.effect:+.3f})"
        for c in sorted(found.ranked.components, key=lambda c: -abs(c.effect))
        if abs(c.effect) >= 0.0005
    ]
    return reasons


def _hit(rank: int, found: _Candidate, matched: tuple[str, ...], reasons: list[str]) -> Hit:
    row = found.row
    niche = row["niche_primary"]
    return Hit(
        rank=rank,
        platform=row["platform"],
        creator_id=row["creator_id"],
        handle=row["handle"],
        followers=row["followers"],
        country=row["country"],
        score=found.ranked.score,
        relevance=found.relevance,
        niche=f"{packaged_taxonomy().name(niche)} ({niche})" if niche else None,
        niche_focus=row["niche_focus"],
        er_median=row["er_median"],
        reach_rate=row["reach_rate"],
        audience_quality=None if _unvetted(row) else row["audience_quality"],
        authenticity_verdict=row["authenticity_verdict"],
        fee_per_post=row["fee_per_post"],
        matched_terms=found.terms,
        matched_posts=matched,
        reasons=tuple(reasons),
        ranked=found.ranked,
    )


def _rank(
    warehouse: Warehouse,
    settings: Settings,
    scores: np.ndarray[Any, Any],
    rows: np.ndarray[Any, Any],
    index: VectorIndex,
    asked: _Asked,
    limit: int,
    views: ViewStore | None,
) -> list[Hit]:
    """Blend every candidate's components, keep the best ``limit``, then explain those.

    Unvetted creators come after every vetted one unless ``asked.include_unvetted``.
    """
    keys = _keys(index, rows)
    details = _ranking_figures(warehouse, keys, views)
    weights = _weights(settings)
    niches = None
    if asked.query is not None and weights["niche"] > 0:
        candidate_niches = {r["niche_primary"] for r in details.values() if r["niche_primary"]}
        niches = niche_match(index, asked.query, candidate_niches)
    blended = [
        _candidate(settings, weights, key, relevance, details[key], asked, niches)
        for key, relevance in zip(keys, scores.tolist(), strict=True)
        if key in details
    ]
    last = not asked.include_unvetted
    blended.sort(key=lambda c: (last and _unvetted(c.row), -c.ranked.score, c.row["handle"]))
    best = blended[:limit]
    posts = _recent_posts(
        warehouse, [(c.row["platform"], c.row["creator_id"]) for c in best], views
    )
    return [
        _hit(
            rank,
            found,
            _matched_posts(asked.words, posts[(found.row["platform"], found.row["creator_id"])]),
            _reasons(found, asked.include_unvetted),
        )
        for rank, found in enumerate(best, start=1)
    ]


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
    views: ViewStore | None = None,
) -> SearchResult:
    """Creators whose content matches ``brief``, filtered, ranked by the documented blend.

    Refuses only a brief without content words; an answer with no creator close enough to the
    brief is empty and says so in its notes. ``index`` and ``embedder`` are the saved vector
    index and the text model (``bootstrap.Adapters.index_store`` and ``.embedder``); ``views``
    the current creator views, read before the warehouse (``services/browse/views.py``);
    nothing is written.
    """
    if limit < 1:
        raise ParameterError("limit", "must be at least 1")
    check_brief(brief)
    vectors, notes = searchable_index(
        warehouse, index, embedder.model_id, settings.index_tiers, unchanged=views is not None
    )
    mask = filters.index_mask(warehouse, vectors, views)
    band = _outside_band(settings, filters)
    if not mask.any():
        stale = f"no indexed creator passes these filters, and {notes[0]}" if notes else None
        raise NotFoundError(band or stale or _no_candidates(filters))
    notes.extend([band] if band else [])
    if settings.search_weight_niche > 0 and vectors.niches() is None:
        notes.append(
            "the index keeps no niche vectors (it was saved by an older release), so creators' "
            "niches do not count in this ranking; run `microscout score` to add them"
        )
    passing = int(mask.sum())
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
        notes.append(
            f"no creator among the {passing:,} that pass the filters is close enough to the "
            f"brief (best similarity {float(scores.max(initial=0)):.2f}, the least shown is "
            f"{settings.search_min_relevance:.2f}: search_min_relevance); describe it otherwise "
            "or loosen the filters"
        )
        return SearchResult(brief, (), passing, tuple(notes))
    brief_words = list(dict.fromkeys(words(brief)))
    asked = _Asked(brief_words, True, filters.include_unvetted, query=query)
    hits = _rank(warehouse, settings, scores[keep], rows[keep], vectors, asked, limit, views)
    if brief_words and hits and not any(h.matched_terms for h in hits):
        notes.append(
            f"none of the brief's words ({', '.join(brief_words)}) appears in these creators' "
            "bios, hashtags or captions: they were found by meaning alone"
        )
    return SearchResult(brief, tuple(hits), passing, tuple(notes))


def _outside_band(settings: Settings, filters: Filters) -> str | None:
    """What the search cannot see when the filters ask for tiers the index does not hold."""
    indexed = tier_list(settings.index_tiers)
    if indexed is None or (filters.tier is not None and filters.tier in indexed):
        return None
    asked = "every tier" if filters.tier in (None, "any") else f"{filters.tier} creators"
    return (
        f"only {', '.join(indexed)} creators are indexed for search (index_tiers), so "
        f"{asked} cannot all be searched; add the tier to index_tiers and run `microscout score`"
    )


def _no_candidates(filters: Filters) -> str:
    """Why nothing passed the filters, with what to loosen."""
    hint = "no creator passes these filters; loosen them (e.g. --tier any, a lower "
    hint += "--min-engagement, no --reach-gate)"
    if filters.min_audience_quality is not None and not filters.include_unvetted:
        hint += "; creators not vetted fail --min-audience-quality unless --include-unvetted"
    return hint


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
    views: ViewStore | None = None,
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
    vectors, notes = searchable_index(
        warehouse, index, embedder.model_id, settings.index_tiers, unchanged=views is not None
    )
    if len(found) > 1:
        notes.append(f"'{clean}' exists on several platforms; using {seed[0]} (--platform)")
    pos = vectors.position(*seed)
    if pos is None:
        raise NotFoundError(
            f"'{clean}' is not in the vector index: it has no posts or bio, or its tier is not "
            f"in index_tiers ({settings.index_tiers}); add the tier and run `microscout score`"
        )
    mask = filters.index_mask(warehouse, vectors, views)
    mask[pos] = False
    band = _outside_band(settings, filters)
    if not mask.any():
        raise NotFoundError(band or "no other creator passes these filters; loosen them")
    notes.extend([band] if band else [])
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
    asked = _Asked(seed_words, False, filters.include_unvetted, overlap)
    hits = _rank(warehouse, settings, scores, rows, vectors, asked, limit, views)
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
