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

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt


def grouped_niche_focus(
    shares: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    n_posts: npt.NDArray[np.int64],
    vocabulary_size: int,
) -> list[float | None]:
    """The focus of many mixes at once: mix ``i`` is ``shares[starts[i]:starts[i + 1]]`` (the
    last runs to the end) behind ``n_posts[i]`` posts; None where focus is undefined."""
    positive = np.where(shares > 0, shares, 1.0)  # p ln p is 0 at p = 0 (and at p = 1)
    entropy = -np.add.reduceat(positive * np.log(positive), starts) if len(starts) else shares[:0]
    spread = np.minimum(vocabulary_size, n_posts)
    focus = np.clip(1.0 - entropy / np.log(np.maximum(spread, 2)), 0.0, 1.0)
    return [None if s < 2 else float(f) for s, f in zip(spread.tolist(), focus, strict=True)]


def niche_focus(mix: Mapping[str, float], n_posts: int, vocabulary_size: int) -> float | None:
    """1 − normalised entropy of ``mix`` (see the module docstring); None when undefined."""
    shares = np.fromiter(mix.values(), np.float64, len(mix))
    if shares.size == 0:
        return None if min(vocabulary_size, n_posts) < 2 else 1.0
    return grouped_niche_focus(
        shares, np.zeros(1, np.int64), np.array([n_posts], np.int64), vocabulary_size
    )[0]


__all__ = ["grouped_niche_focus", "niche_focus"]
