"""How close a brief is to each candidate's primary niche, for search's niche component.

The niche vectors are those the zero-shot labeller compares terms with (name and keywords,
``services/discovery/niche_stage.category_vectors``), saved beside the vector index by every
``score``; the component itself is ``core/niche/ranking.niche_component`` (docs/discovery.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from microscout.adapters.text.embedder import Vectors
from microscout.adapters.text.index import VectorIndex
from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.core.niche.ranking import niche_component


@dataclass(frozen=True)
class NicheMatch:
    """The niche component (``core/niche/ranking.niche_component``) of each candidate niche."""

    components: dict[str, tuple[float, str]]

    def of(self, niche: str | None) -> tuple[float, str]:
        """The component of a creator whose primary niche is ``niche`` (neutral for none)."""
        found = self.components.get(niche) if niche else None
        return found or niche_component(None, None, None)


def niche_match(index: VectorIndex, query: Vectors, niches: set[str]) -> NicheMatch | None:
    """How close each of the candidates' primary niches is to the brief, beside the closest of
    them; computed once per niche, not per candidate. None when the index has no niche vectors
    (an index saved before they were kept)."""
    saved = index.niches()
    if saved is None:
        return None
    rows = saved.rows
    known = sorted(n for n in niches if n in rows)
    if not known:
        return NicheMatch({})
    cosines = (saved.vectors[[rows[n] for n in known]] @ query).astype(float).tolist()
    taxonomy = packaged_taxonomy()
    best = max(range(len(known)), key=cosines.__getitem__)
    closest = (taxonomy.name(known[best]) or known[best], cosines[best])
    return NicheMatch(
        {
            niche: niche_component(taxonomy.name(niche) or niche, cosine, closest)
            for niche, cosine in zip(known, cosines, strict=True)
        }
    )


__all__ = ["NicheMatch", "niche_match"]
