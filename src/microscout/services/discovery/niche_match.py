"""How close a brief is to each candidate's primary niche, for search's niche component.

The niche vectors are those the zero-shot labeller compares terms with (name and keywords,
``services/discovery/niche_stage.category_vectors``), saved beside the vector index by every
``score``; the component itself is ``core/niche/ranking.niche_component`` (docs/discovery.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microscout.adapters.text.embedder import Vectors
from microscout.adapters.text.index import VectorIndex
from microscout.adapters.text.taxonomy import packaged_taxonomy


@dataclass(frozen=True)
class NicheMatch:
    """The brief's cosine with each candidate niche, and the closest of them (name, cosine)."""

    similarity: dict[str, float]
    closest: tuple[str, float] | None


def niche_match(index: VectorIndex, query: Vectors, niches: set[str]) -> NicheMatch | None:
    """How close each of the candidates' primary niches is to the brief (None when the index
    has no niche vectors: an index saved before they were kept)."""
    saved = index.niches()
    if saved is None:
        return None
    rows = saved.rows()
    known = sorted(n for n in niches if n in rows)
    if not known:
        return NicheMatch({}, None)
    cosines = saved.vectors[[rows[n] for n in known]] @ query
    similarity = dict(zip(known, cosines.astype(float).tolist(), strict=True))
    best = known[int(np.argmax(cosines))]
    return NicheMatch(similarity, (packaged_taxonomy().name(best) or best, similarity[best]))


__all__ = ["NicheMatch", "niche_match"]
