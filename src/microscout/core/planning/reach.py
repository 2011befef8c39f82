"""The reach model of one creator (docs/planning.md).

- people reached per post = followers x reach rate x real-audience share;
- engagements per post = followers x median engagement rate;
- over ``k`` posts each real follower is reached a Binomial(k, reach rate) number of times, so
  unique reach = followers x real share x (1 - (1 - reach rate)^k).

Posts are assumed to reach independent random shares of the audience; audiences shared between
creators are handled by the planning instance (audience points), not here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class CreatorReach:
    """Expected figures for one creator making ``posts`` posts."""

    posts: int
    reach_per_post: float
    engagements_per_post: float
    unique_reach: float
    exposures: tuple[float, ...]  # people seen exactly m times, m = 0..posts


def binomial_exposures(posts: int, p: float) -> npt.NDArray[np.float64]:
    """P(exactly m exposures), m = 0..posts, for one follower when each post reaches p of them."""
    p = min(max(p, 0.0), 1.0)
    return np.array([math.comb(posts, m) * p**m * (1 - p) ** (posts - m) for m in range(posts + 1)])


def creator_reach(
    followers: float, reach_rate: float, real_share: float, er: float, posts: int
) -> CreatorReach:
    """Expected reach, engagements and exposure distribution of ``posts`` posts by one creator."""
    rate = min(max(reach_rate, 0.0), 1.0)
    audience = followers * real_share
    dist = binomial_exposures(posts, rate) * audience
    return CreatorReach(
        posts,
        audience * rate,
        followers * er,
        audience * (1.0 - (1.0 - rate) ** posts),
        tuple(float(x) for x in dist),
    )


__all__ = ["CreatorReach", "binomial_exposures", "creator_reach"]
