"""The primary niche by meaning as well as by words: a creator's whole document beside its terms.

The zero-shot mix counts the terms of each post that map to a niche, one term at a time, so a
niche can be won by a few words that merely sound alike ("urban" gardening and urban music).
The creator's document (bio, top hashtags, latest captions; ``services/discovery/index.py``) is
embedded as a whole, and its cosine with each niche's name says what the posts are about taken
together. A creator's niches (those of its term mix) are ranked by

    score(niche) = share(niche) + weight × (cos(document, niche) − max over all niches of cos)

and the best is the primary: the term mix decides among niches the document finds about as
close, and a niche far from the document's meaning needs a clearly larger share to win.
``weight`` 0 is the term mix alone; a creator with no document keeps its shares as scores.
Pure: numpy only.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def meaning_scores(
    shares: Floats, similarity: Floats, best_similarity: Floats, weight: float
) -> Floats:
    """The score of each (creator, niche) row of a mix (module docstring): its share, its
    document's cosine with the niche and the document's best cosine with any niche (NaN where
    the creator has no document: the share alone)."""
    gap = np.nan_to_num(similarity - best_similarity, nan=0.0)
    return shares + weight * gap


__all__ = ["meaning_scores"]
