"""The model estimate of audience overlap, for creators with no audience sample and no commenters.

It is an *estimate*, labelled so wherever it is shown. It encodes one documented assumption:
creators on the same platform who share a niche share some fans, and more so when they also share
a country. Each such creator is given ``POINTS`` synthetic audience points:

- ``CELL_DRAWS`` drawn from a pool of ``CELL_POOL`` points shared by (platform, niche, country);
- ``NICHE_DRAWS`` from a pool of ``NICHE_POOL`` points shared by (platform, niche);
- the rest its own.

Two creators drawing ``a`` points each from a pool of ``P`` share ``a^2 / P`` of them on average,
so the implied Jaccard similarity is ``I / (2 * POINTS - I)`` with ``I`` the expected shared points:
0.10 for the same niche and country, 0.02 for the same niche in another country, 0 otherwise
(see :func:`model_jaccard`). The constants were chosen to match the order of magnitude of the
overlaps measured between same-niche creators in audience samples, not fitted to any data set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from microscout.core.audience.hashing import U64, hash_strings, mix64
from microscout.core.audience.sketch import IntArray

POINTS = 64
CELL_DRAWS, CELL_POOL = 32, 112
NICHE_DRAWS, NICHE_POOL = 16, 102
BASIS = "model estimate"


def model_jaccard(same_niche: bool, same_country: bool) -> float:
    """The Jaccard similarity the model implies for two creators on one platform."""
    shared = 0.0
    if same_niche:
        shared += NICHE_DRAWS**2 / NICHE_POOL
        if same_country:
            shared += CELL_DRAWS**2 / CELL_POOL
    return shared / (2 * POINTS - shared)


def _draw(owner_key: U64, pool_key: U64, pool: int, draws: int) -> tuple[IntArray, U64]:
    """``draws`` distinct points of each owner's pool, chosen by hash order (deterministic)."""
    n = owner_key.shape[0]
    index = np.arange(pool, dtype=np.uint64)
    with np.errstate(over="ignore"):
        scores = mix64(owner_key[:, None] ^ mix64(index + np.uint64(0x9E3779B97F4A7C15))[None, :])
    chosen = np.argpartition(scores, draws - 1, axis=1)[:, :draws].astype(np.uint64)
    with np.errstate(over="ignore"):
        points = mix64(pool_key[:, None] * np.uint64(0x100000001B3) + chosen)
    return np.repeat(np.arange(n, dtype=np.int64), draws), points.reshape(-1)


def model_points(
    creator_keys: Sequence[str],
    platforms: Sequence[str],
    niches: Sequence[str | None],
    countries: Sequence[str | None],
) -> tuple[IntArray, U64]:
    """(owner index, point hash) pairs of the model's synthetic audiences, one block per creator.

    A creator with no niche gets only its own points; one with no country draws its cell share
    from a pool of its own too (it overlaps only through the niche pool).
    """
    n = len(creator_keys)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    own = hash_strings([f"own|{key}" for key in creator_keys])
    cell_key = hash_strings(
        [
            f"cell|{p}|{nc}|{c}" if nc and c else f"own-cell|{key}"
            for key, p, nc, c in zip(creator_keys, platforms, niches, countries, strict=True)
        ]
    )
    niche_key = hash_strings(
        [
            f"niche|{p}|{nc}" if nc else f"own-niche|{key}"
            for key, p, nc in zip(creator_keys, platforms, niches, strict=True)
        ]
    )
    o1, p1 = _draw(own, cell_key, CELL_POOL, CELL_DRAWS)
    o2, p2 = _draw(own, niche_key, NICHE_POOL, NICHE_DRAWS)
    rest = POINTS - CELL_DRAWS - NICHE_DRAWS
    o3 = np.repeat(np.arange(n, dtype=np.int64), rest)
    with np.errstate(over="ignore"):
        p3 = mix64(
            (own[:, None] ^ np.uint64(0x5BD1E995)) + np.arange(rest, dtype=np.uint64)[None, :]
        ).reshape(-1)
    return np.concatenate([o1, o2, o3]), np.concatenate([p1, p2, p3])


__all__ = ["BASIS", "POINTS", "model_jaccard", "model_points"]
