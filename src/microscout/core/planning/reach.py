"""The reach model of one creator (docs/planning.md).

- people reached per post = followers x reach rate x real-audience share;
- engagements per post = followers x median engagement rate;
- over ``k`` posts each real follower is reached a Binomial(k, reach rate) number of times, so
  unique reach = followers x real share x (1 - (1 - reach rate)^k);
- engaged people = unique reach x engagement per person reached, that share being
  min(1, engagement rate / reach rate): one post then engages followers x real share x er
  people, the real part of its engagements.

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
    engaged_people: float = 0.0


def engaged_share(er: float, reach_rate: float) -> float:
    """The share of people reached who engage: min(1, er / reach rate); 0 when nobody is
    reached. A person who sees several posts is counted once."""
    if reach_rate <= 0 or not math.isfinite(er):
        return 0.0
    return min(max(er, 0.0) / reach_rate, 1.0)


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
    unique = audience * (1.0 - (1.0 - rate) ** posts)
    return CreatorReach(
        posts,
        audience * rate,
        followers * er,
        unique,
        tuple(float(x) for x in dist),
        unique * engaged_share(er, rate),
    )


__all__ = ["CreatorReach", "binomial_exposures", "creator_reach", "engaged_share"]
