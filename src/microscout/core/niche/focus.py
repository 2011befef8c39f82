"""Niche focus: how concentrated a creator's niche mix is.

A post's distribution spreads its weight over the niches its terms point to (each term carries one
niche and a weight); a creator's mix is the mean of its posts' distributions over the posts that
matched any niche. The warehouse computes both in one query over every creator
(``adapters/warehouse/discovery.zero_shot_mix``); focus is computed here from the mix.

**Niche focus** = 1 − H(mix) / ln(min(K, n)), where H is the Shannon entropy in nats, K the number
of niches in the vocabulary and n the posts behind the mix: with n posts a creator can spread over
at most min(K, n) niches, so 1 means every post is about one niche and 0 means the posts are spread
as evenly as they could be. With fewer than two matched posts focus is undefined (None).
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def niche_focus(mix: Mapping[str, float], n_posts: int, vocabulary_size: int) -> float | None:
    """1 − normalised entropy of ``mix`` (see the module docstring); None when undefined."""
    spread = min(vocabulary_size, n_posts)
    if spread < 2:
        return None
    entropy = -sum(p * math.log(p) for p in mix.values() if p > 0)
    return max(0.0, min(1.0, 1.0 - entropy / math.log(spread)))


__all__ = ["niche_focus"]
