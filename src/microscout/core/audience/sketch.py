"""Bottom-k (KMV) MinHash sketches of audiences, and overlap estimates from them.

A creator's sketch keeps the ``k`` smallest hashes of its audience ids (a one-permutation
MinHash). Two sketches give a Jaccard estimate: the exact Jaccard of the ids whose hash is below
both sketches' largest kept hash (at least ``k`` ids of the union; standard error about
sqrt(J(1-J)/k)).

Sizes here are in *sampled ids* (followers in an audience sample, or commenters); the planner
scales them to people with each creator's follower count (docs/planning.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microscout.core.audience.hashing import U64

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Sketches:
    """One bottom-k sketch per creator, stored flat: creator i owns values[offsets[i]:offsets[i+1]].

    ``distinct`` is the number of distinct ids each sketch was built from (its sample size).
    """

    k: int
    offsets: IntArray
    values: U64
    distinct: IntArray

    @property
    def n(self) -> int:
        return int(self.offsets.shape[0] - 1)

    def of(self, i: int) -> U64:
        return self.values[self.offsets[i] : self.offsets[i + 1]]


def build_sketches(owner: IntArray, hashes: U64, n: int, k: int = 256) -> Sketches:
    """Sketches of ``n`` creators from (owner index, id hash) pairs; duplicates are ignored."""
    if k < 2:
        raise ValueError("a sketch needs k >= 2")
    owner = np.asarray(owner, np.int64)
    order = np.lexsort((hashes, owner))
    owner, hashes = owner[order], hashes[order]
    fresh = np.ones(owner.shape[0], bool)
    fresh[1:] = (owner[1:] != owner[:-1]) | (hashes[1:] != hashes[:-1])
    owner, hashes = owner[fresh], hashes[fresh]
    distinct = np.bincount(owner, minlength=n).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(distinct)[:-1]]).astype(np.int64)
    rank = np.arange(owner.shape[0]) - starts[owner]
    keep = rank < k
    kept = np.bincount(owner[keep], minlength=n)
    offsets = np.concatenate([[0], np.cumsum(kept)]).astype(np.int64)
    return Sketches(k, offsets, hashes[keep], distinct)


def jaccard(a: U64, b: U64, k: int) -> float:
    """Estimated Jaccard similarity of the two audiences behind sketches ``a`` and ``b``.

    Every hash up to the smaller of the two sketches' largest kept hash is known for both
    audiences (a sketch with fewer than ``k`` values holds its whole audience), so the estimate
    is the exact Jaccard of the ids hashed below that threshold: a uniform sample of the union.
    """
    limit = min(
        a[-1] if a.shape[0] >= k else np.uint64(2**64 - 1),
        b[-1] if b.shape[0] >= k else np.uint64(2**64 - 1),
    )
    a, b = a[a <= limit], b[b <= limit]
    union = np.union1d(a, b).shape[0]
    if union == 0:
        return 0.0
    return float(np.intersect1d(a, b, assume_unique=True).shape[0] / union)


def coordinated_points(
    sketches: Sketches, per_creator: int = 128, floor: int = 16
) -> tuple[IntArray, U64]:
    """A coordinated subsample of every sketch: the ids hashed below one shared threshold.

    The threshold is the median over creators of their ``per_creator``-th smallest hash, so a
    typical creator keeps about ``per_creator`` ids, and — because every creator keeps the same
    hash range — an id shared by two audiences is kept for both or for neither, which preserves
    overlaps. Creators that would keep fewer than ``floor`` ids keep their ``floor`` smallest
    (slightly less coordinated; their overlaps are then under- rather than over-stated).
    """
    counts = np.diff(sketches.offsets)
    full = counts >= per_creator
    if full.any():
        nth = sketches.values[sketches.offsets[:-1][full] + per_creator - 1]
        limit = np.uint64(np.median(nth.astype(np.float64)))
    else:
        limit = np.uint64(2**64 - 1)
    owner = np.repeat(np.arange(sketches.n, dtype=np.int64), counts)
    rank = np.arange(sketches.values.shape[0]) - sketches.offsets[:-1][owner]
    keep = (sketches.values <= limit) | (rank < floor)
    return owner[keep], sketches.values[keep]


@dataclass(frozen=True)
class PairOverlap:
    """Overlap of two audiences: Jaccard, and the share of each audience found in the other."""

    jaccard: float
    share_of_a_in_b: float
    share_of_b_in_a: float
    intersection: float  # in sampled ids


def pair_overlap(sketches: Sketches, i: int, j: int) -> PairOverlap:
    """Overlap of creators ``i`` and ``j``: intersection = J / (1 + J) x (|A| + |B|)."""
    a, b = sketches.of(i), sketches.of(j)
    j_hat = jaccard(a, b, sketches.k)
    size_a, size_b = float(sketches.distinct[i]), float(sketches.distinct[j])
    inter = j_hat / (1.0 + j_hat) * (size_a + size_b)
    return PairOverlap(
        j_hat,
        inter / size_a if size_a else 0.0,
        inter / size_b if size_b else 0.0,
        inter,
    )


def jaccard_matrix(sketches: Sketches, members: Sequence[int]) -> npt.NDArray[np.float64]:
    """Pairwise Jaccard estimates of ``members`` (1 on the diagonal), each exactly as
    :func:`jaccard` gives it, for all pairs at once.

    A plan can hold hundreds of creators, so the pairs are not visited one by one: each pair's
    threshold is the smaller of the two sketches' largest kept hashes, the hashes at or below it
    are counted in each sketch by a binary search of all thresholds at once, and the shared
    hashes are found by sorting every member's hashes together (audiences overlap little, so
    few hashes are shared).
    """
    m = len(members)
    if m == 0:
        return np.eye(0)
    rows = [sketches.of(i) for i in members]
    whole = np.uint64(2**64 - 1)
    tops = np.array([r[-1] if r.shape[0] >= sketches.k else whole for r in rows], np.uint64)
    limits = np.minimum(tops[:, None], tops[None, :])
    below = np.stack([np.searchsorted(r, limits[x], side="right") for x, r in enumerate(rows)])
    shared = _shared_below(rows, limits)
    union = below + below.T - shared
    out: npt.NDArray[np.float64] = np.zeros((m, m))
    np.divide(shared, union, out=out, where=union > 0)
    np.fill_diagonal(out, 1.0)
    return out


def _shared_below(rows: list[U64], limits: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """How many hashes each pair of rows shares at or below the pair's limit."""
    m = len(rows)
    owner = np.repeat(np.arange(m), [r.shape[0] for r in rows])
    values = np.concatenate(rows) if rows else np.zeros(0, np.uint64)
    order = np.lexsort((owner, values))
    values, owner = values[order], owner[order]
    repeated = np.flatnonzero(values[1:] == values[:-1])
    shared = np.zeros((m, m))
    if repeated.shape[0] == 0:
        return shared
    # runs of one hash held by several members
    starts = repeated[np.concatenate([[True], repeated[1:] != repeated[:-1] + 1])]
    for start in starts:
        end = start + 1
        while end < values.shape[0] and values[end] == values[start]:
            end += 1
        held = owner[start:end]
        a, b = np.meshgrid(held, held, indexing="ij")
        keep = (a != b) & (values[start] <= limits[a, b])
        np.add.at(shared, (a[keep], b[keep]), 1.0)
    return shared


__all__ = [
    "PairOverlap",
    "Sketches",
    "build_sketches",
    "coordinated_points",
    "jaccard",
    "jaccard_matrix",
    "pair_overlap",
]
