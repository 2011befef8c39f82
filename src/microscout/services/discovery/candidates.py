"""The planner's candidates from semantic search (a :class:`CandidateSource`).

A brief becomes the creators whose documents are closest to it in the text model's space, after
the planner's hard filters (tiers, platforms, countries, the reach gate not failed); relevance is
the cosine similarity, the same number search shows. ``candidate_source(settings)`` picks this
source when the text model is exported (``plan_candidates = "auto"``), and the interim keyword
matcher (services/plan_candidates.py) otherwise or when asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import default_model_dir
from microscout.adapters.text.index import knn
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.services.discovery.discover import (
    check_brief,
    current_index,
    embedder_for,
    index_mask,
)
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


def _where(flt: CandidateFilter) -> tuple[str, list[Any]]:
    clauses, params = ["TRUE"], []  # type: list[str], list[Any]
    countries = tuple(v.upper() for v in flt.countries)
    pairs = (("s.tier", flt.tiers), ("c.platform", flt.platforms), ("upper(c.country)", countries))
    for column, values in pairs:
        if values:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += list(values)
    if flt.require_reach_gate:
        clauses.append("s.passes_reach_gate IS NOT FALSE")
    return " AND ".join(clauses), params


def semantic_candidates(settings: Settings) -> CandidateSource:
    """A candidate source ranking creators by similarity of their content to the brief."""

    def source(warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table:
        index, _ = current_index(warehouse, settings)
        check_brief(warehouse, brief, str(index.manifest.get("updated_at")))
        mask = index_mask(warehouse, index, *_where(flt))
        allowed = int(mask.sum())
        if allowed == 0:
            return _SCHEMA.empty_table()
        query = embedder_for(settings).embed([brief])[0]
        scores, rows = knn(
            index.vectors, query, min(flt.limit, allowed), mask,
            ann=index.ann(settings.search_exact_max), exact_max=settings.search_exact_max,
        )  # fmt: skip
        keep = scores >= settings.search_min_relevance
        scores, rows = scores[keep], rows[keep]
        keys = index.keys.take(pa.array(rows.astype(np.int64)))
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


def candidate_source(settings: Settings) -> CandidateSource:
    """The source ``plan_candidates`` asks for; "auto" is semantic when the model is exported."""
    if settings.plan_candidates == "keyword":
        return keyword_candidates
    model = (settings.embedding_model_dir or default_model_dir()) / "model.onnx"
    if settings.plan_candidates == "semantic" or model.exists():
        return semantic_candidates(settings)
    return keyword_candidates
