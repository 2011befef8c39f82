"""Per-post niche distributions, a creator's niche mix, and niche focus.

A post's distribution spreads its weight over the niches its terms point to (each term carries
one niche and a weight). A creator's mix is the mean of its posts' distributions over the posts
that matched any niche. **Niche focus** = 1 − H(mix) / ln(min(K, n)), where H is the Shannon
entropy in nats, K the number of niches in the vocabulary and n the posts behind the mix: with n
posts a creator can spread over at most min(K, n) niches, so 1 means every post is about one
niche and 0 means the posts are spread as evenly as they could be. With fewer than two matched
posts focus is undefined (None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def post_distribution(term_niches: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Normalise ``(niche, weight)`` pairs of one post's matched terms into a distribution."""
    totals: dict[str, float] = {}
    for niche, weight in term_niches:
        if weight > 0:
            totals[niche] = totals.get(niche, 0.0) + weight
    mass = sum(totals.values())
    return {niche: w / mass for niche, w in totals.items()} if mass > 0 else {}


def niche_focus(mix: Mapping[str, float], n_posts: int, vocabulary_size: int) -> float | None:
    """1 − normalised entropy of ``mix`` (see the module docstring); None when undefined."""
    spread = min(vocabulary_size, n_posts)
    if spread < 2:
        return None
    entropy = -sum(p * math.log(p) for p in mix.values() if p > 0)
    return max(0.0, min(1.0, 1.0 - entropy / math.log(spread)))


@dataclass(frozen=True)
class NicheMix:
    """A creator's niches: shares sorted high to low, the posts behind them, and the focus."""

    shares: tuple[tuple[str, float], ...]
    posts_n: int
    focus: float | None

    @property
    def primary(self) -> str | None:
        return self.shares[0][0] if self.shares else None


def creator_mix(posts: Sequence[Mapping[str, float]], vocabulary_size: int) -> NicheMix:
    """Mean of the non-empty post distributions, with focus over those posts."""
    matched = [p for p in posts if p]
    totals: dict[str, float] = {}
    for dist in matched:
        for niche, share in dist.items():
            totals[niche] = totals.get(niche, 0.0) + share / len(matched)
    shares = tuple(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
    return NicheMix(shares, len(matched), niche_focus(totals, len(matched), vocabulary_size))


__all__ = ["NicheMix", "creator_mix", "niche_focus", "post_distribution"]
