"""Audience overlap: hashing, bottom-k sketches against exact set arithmetic, the model estimate."""

from __future__ import annotations

import numpy as np
import pytest

from microscout.core.audience import (
    build_sketches,
    coordinated_points,
    hash_strings,
    jaccard,
    jaccard_matrix,
    model_jaccard,
    model_points,
    pair_overlap,
)


def _sample_pair(
    rng: np.random.Generator, shared: int, size: int = 2000
) -> tuple[list[str], list[str]]:
    universe = rng.permutation(10 * size)
    common = universe[:shared]
    a = np.concatenate([common, universe[shared:size]])
    b = np.concatenate([common, universe[size : 2 * size - shared]])
    return [f"user{x}" for x in a], [f"user{x}" for x in b]


def _sketch_two(a: list[str], b: list[str], k: int = 1024):  # type: ignore[no-untyped-def]
    owner = np.concatenate([np.zeros(len(a), np.int64), np.ones(len(b), np.int64)])
    return build_sketches(owner, np.concatenate([hash_strings(a), hash_strings(b)]), 2, k)


@pytest.mark.parametrize("shared", [0, 100, 500, 1000, 1500, 2000])
def test_jaccard_from_sketches_is_within_005_of_exact_on_2000_id_samples(shared: int) -> None:
    rng = np.random.default_rng(shared + 11)
    for _ in range(5):
        a, b = _sample_pair(rng, shared)
        exact = len(set(a) & set(b)) / len(set(a) | set(b))
        sketches = _sketch_two(a, b)
        assert abs(jaccard(sketches.of(0), sketches.of(1), 1024) - exact) <= 0.05


def test_pair_overlap_turns_jaccard_into_shares_of_each_audience() -> None:
    a, b = _sample_pair(np.random.default_rng(3), 1000)
    sketches = _sketch_two(a, b)
    overlap = pair_overlap(sketches, 0, 1)
    # 1,000 of 2,000 ids are shared: half of each audience is in the other.
    assert overlap.share_of_a_in_b == pytest.approx(0.5, abs=0.08)
    assert overlap.share_of_b_in_a == pytest.approx(0.5, abs=0.08)


def test_small_audiences_give_their_exact_jaccard() -> None:
    sketches = _sketch_two(["a", "b", "c"], ["c", "d"])
    assert jaccard(sketches.of(0), sketches.of(1), 256) == pytest.approx(1 / 4)


def test_sketches_keep_the_k_smallest_distinct_hashes_and_ignore_repeats() -> None:
    ids = [f"id{i}" for i in range(50)]
    hashes = hash_strings(ids + ids[:10])  # ten repeats
    sketches = build_sketches(np.zeros(60, np.int64), hashes, 1, 16)
    assert sketches.distinct[0] == 50
    assert list(sketches.of(0)) == sorted(set(hashes.tolist()))[:16]


def test_equal_ids_hash_equal_and_100k_distinct_ids_do_not_collide() -> None:
    ids = [f"follower_{i}" for i in range(100_000)]
    hashes = hash_strings(ids)
    assert len(set(hashes.tolist())) == 100_000
    assert hash_strings(["émilie", "émilie"])[0] == hash_strings(["émilie"])[0]
    assert hash_strings(["ab"])[0] != hash_strings(["ba"])[0]


def test_model_estimate_implies_010_same_niche_and_country_002_same_niche_else_0() -> None:
    assert model_jaccard(True, True) == pytest.approx(0.10, abs=0.002)
    assert model_jaccard(True, False) == pytest.approx(0.02, abs=0.002)
    assert model_jaccard(False, False) == 0.0


def test_model_points_overlap_on_average_as_the_model_says() -> None:
    n = 60
    keys = [f"c{i}" for i in range(n)]
    owner, points = model_points(
        keys, ["instagram"] * n, ["559"] * n, ["US"] * (n // 2) + ["DE"] * (n // 2)
    )
    sketches = build_sketches(owner, points, n, 256)
    same_cell = [jaccard(sketches.of(i), sketches.of(i + 1), 256) for i in range(0, 28, 2)]
    other_country = [jaccard(sketches.of(i), sketches.of(i + 30), 256) for i in range(0, 28, 2)]
    assert np.mean(same_cell) == pytest.approx(model_jaccard(True, True), abs=0.03)
    assert np.mean(other_country) == pytest.approx(model_jaccard(True, False), abs=0.02)
    o2, p2 = model_points(["x", "y"], ["instagram", "instagram"], ["559", "283"], ["US", "US"])
    other_niche = build_sketches(o2, p2, 2, 256)
    assert jaccard(other_niche.of(0), other_niche.of(1), 256) == 0.0


def test_coordinated_points_keep_shared_ids_for_both_creators_or_neither() -> None:
    a, b = _sample_pair(np.random.default_rng(9), 1000)
    sketches = _sketch_two(a, b)
    owner, points = coordinated_points(sketches, per_creator=128)
    first, second = set(points[owner == 0].tolist()), set(points[owner == 1].tolist())
    assert 100 <= len(first) <= 160
    assert 100 <= len(second) <= 160
    # The kept ids are one hash range of both audiences, so their overlap is the audiences'.
    assert len(first & second) / len(first | second) == pytest.approx(1 / 3, abs=0.1)
    limit = max(max(first), max(second))
    assert first == {h for h in sketches.of(0).tolist() if h <= limit}


@pytest.mark.parametrize(
    ("creators", "space", "k"), [(60, 900, 64), (40, 50_000, 256), (25, 300, 512)]
)
def test_the_jaccard_matrix_holds_each_pairs_own_estimate(
    creators: int, space: int, k: int
) -> None:
    """All pairs at once give what each pair gives alone: overlapping and disjoint audiences,
    full sketches and small audiences held whole."""
    rng = np.random.default_rng(creators)
    owner = rng.integers(0, creators, 30 * creators)
    ids = [f"id{v}" for v in rng.integers(0, space, size=int(owner.shape[0])).tolist()]
    sketches = build_sketches(owner, hash_strings(ids), creators, k)
    members = [int(m) for m in rng.permutation(creators)[: creators - 3]]
    matrix = jaccard_matrix(sketches, members)
    for x, y in [(x, y) for x in range(len(members)) for y in range(len(members)) if x != y]:
        alone = jaccard(sketches.of(members[x]), sketches.of(members[y]), k)
        assert matrix[x, y] == pytest.approx(alone, abs=1e-12)
    assert np.all(np.diag(matrix) == 1.0)
    assert (matrix[~np.eye(len(members), dtype=bool)] > 0).any()  # the cases do overlap
