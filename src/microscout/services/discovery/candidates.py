"""The planner's candidates from semantic search (a :class:`CandidateSource`).

A brief becomes the creators whose documents are closest to it in the text model's space, after
the planner's hard filters (tiers, platforms, countries, the reach gate not failed); relevance is
the cosine similarity, the same number search shows. ``candidate_source(...)`` picks this source
when the text model is exported (``plan_candidates = "auto"``), and the keyword matcher
(services/planning/candidates.py) otherwise or when asked for. Like search, it only reads the
vector index scoring saved.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder, default_model_dir
from microscout.adapters.text.index import IndexStore, knn
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.services.discovery.index import searchable_index
from microscout.services.discovery.search import check_brief, index_mask
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


def semantic_candidates(
    settings: Settings, index: IndexStore, embedder: Embedder
) -> CandidateSource:
    """A candidate source ranking creators by similarity of their content to the brief."""

    def source(warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table:
        vectors, _ = searchable_index(warehouse, index, embedder.model_id, settings.index_tiers)
        check_brief(brief)
        mask = index_mask(vectors, _passing(warehouse, flt))
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
        table = pa.table(
            {
                "platform": keys["platform"],
                "creator_id": keys["creator_id"],
                "relevance": pa.array(scores.astype(np.float64)),
                "relevance_reasons": pa.array(
                    [f"similarity to the brief {s:.2f}" for s in scores.tolist()], pa.string()
                ),
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


__all__ = ["candidate_source", "semantic_candidates"]
