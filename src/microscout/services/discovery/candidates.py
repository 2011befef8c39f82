"""The planner's candidates from semantic search (a :class:`CandidateSource`).

A brief becomes the creators whose documents are closest to it in the text model's space, after
the planner's hard filters (tiers, platforms, countries, the reach gate not failed); relevance is
the cosine similarity beside the closeness of the creator's niche to the brief, weighted as
search weighs them (:func:`blended_relevance`, docs/planning.md). ``candidate_source(...)``
picks this source when the text model is exported (``plan_candidates = "auto"``), and the
keyword matcher (services/planning/candidates.py) otherwise or when asked for. Like search, it
only reads the vector index scoring saved.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder, Vectors, default_model_dir
from microscout.adapters.text.index import IndexStore, VectorIndex, knn
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.services.discovery.filters import index_mask
from microscout.services.discovery.index import searchable_index
from microscout.services.discovery.niche_match import niche_match
from microscout.services.discovery.search import check_brief
from microscout.services.planning.candidates import (
    CandidateFilter,
    CandidateSource,
    keyword_candidates,
)

_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("creator_id", pa.string()),
        ("relevance", pa.float64()),
        ("relevance_reasons", pa.string()),
    ]
)


def _passing(warehouse: Warehouse, flt: CandidateFilter) -> pa.Table:
    return queries.creators_passing(
        warehouse,
        platforms=flt.platforms,
        countries=flt.countries,
        tiers=flt.tiers,
        reach_gate="not failed" if flt.require_reach_gate else "any",
    )


def _niches_of(keys: pa.Table, passing: pa.Table) -> list[str | None]:
    """Each key's primary niche, as the filter query read it (a join, in the keys' order)."""
    order = pa.array(np.arange(keys.num_rows, dtype=np.int64))
    joined = (
        keys.select(["platform", "creator_id"])
        .append_column("_row", order)
        .join(passing, ["platform", "creator_id"], join_type="left outer")
        .sort_by("_row")
    )
    niches: list[str | None] = joined["niche_primary"].to_pylist()
    return niches


def blended_relevance(
    settings: Settings,
    similarity: list[float],
    niches: list[str | None],
    index: VectorIndex,
    query: Vectors,
) -> tuple[list[float], list[str]]:
    """Each candidate's relevance and its reason: (w_r x cosine + w_n x niche) / (w_r + w_n),
    the weights and the niche component those of search (``search_weight_relevance``,
    ``search_weight_niche``; core/niche/ranking.py). The cosine alone where the niche weight is
    0 or the index keeps no niche vectors."""
    cosine_reasons = [f"similarity to the brief {s:.2f}" for s in similarity]
    w_r, w_n = settings.search_weight_relevance, settings.search_weight_niche
    found = niche_match(index, query, {n for n in niches if n}) if w_n > 0 else None
    if found is None or w_r + w_n <= 0:
        return similarity, cosine_reasons
    relevance, reasons = [], []
    for cosine, niche, why in zip(similarity, niches, cosine_reasons, strict=True):
        value, evidence = found.of(niche)
        relevance.append((w_r * cosine + w_n * value) / (w_r + w_n))
        reasons.append(f"{why}; {evidence}")
    return relevance, reasons


def semantic_candidates(
    settings: Settings, index: IndexStore, embedder: Embedder
) -> CandidateSource:
    """A candidate source ranking creators by similarity of their content to the brief."""

    def source(warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table:
        vectors, _ = searchable_index(warehouse, index, embedder.model_id, settings.index_tiers)
        check_brief(brief)
        passing = _passing(warehouse, flt)
        mask = index_mask(vectors, passing)
        allowed = int(mask.sum())
        if allowed == 0:
            return _SCHEMA.empty_table()
        query = embedder.embed([brief])[0]
        scores, rows = knn(
            vectors.vectors,
            query,
            min(flt.limit, allowed),
            mask,
            ann=vectors.ann(settings.search_exact_max),
            exact_max=settings.search_exact_max,
        )
        keep = scores >= settings.search_min_relevance
        scores, rows = scores[keep], rows[keep]
        keys = vectors.keys.take(pa.array(rows.astype(np.int64)))
        niches = _niches_of(keys, passing)
        relevance, reasons = blended_relevance(
            settings, scores.astype(float).tolist(), niches, vectors, query
        )
        table = pa.table(
            {
                "platform": keys["platform"],
                "creator_id": keys["creator_id"],
                "relevance": pa.array(relevance, pa.float64()),
                "relevance_reasons": pa.array(reasons, pa.string()),
            },
            schema=_SCHEMA,
        )
        return table.sort_by(
            [("relevance", "descending"), ("platform", "ascending"), ("creator_id", "ascending")]
        )

    return source


def candidate_source(
    settings: Settings, index: IndexStore, embedder: Callable[[], Embedder]
) -> CandidateSource:
    """The source ``plan_candidates`` asks for; "auto" is semantic when the model is exported.

    ``embedder`` loads the text model (e.g. ``lambda: adapters.embedder``); it is called only
    when the semantic source is chosen, so the keyword matcher never needs the model.
    """
    if settings.plan_candidates == "keyword":
        return keyword_candidates
    model = (settings.embedding_model_dir or default_model_dir()) / "model.onnx"
    if settings.plan_candidates == "semantic" or model.exists():
        return semantic_candidates(settings, index, embedder())
    return keyword_candidates


__all__ = ["blended_relevance", "candidate_source", "semantic_candidates"]
