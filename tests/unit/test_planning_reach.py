"""The reach model, the planning instance and the fee model, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from microscout.core.audience import hash_strings
from microscout.core.planning import (
    binomial_exposures,
    build_instance,
    creator_reach,
    duplication,
    exposures,
    frequency_distribution,
)
from microscout.core.pricing import TierBounds, cost_per, model_fee


def test_exposures_of_two_posts_reaching_half_the_audience_are_binomial() -> None:
    assert binomial_exposures(2, 0.5).tolist() == pytest.approx([0.25, 0.5, 0.25])
    assert binomial_exposures(3, 0.1).tolist() == pytest.approx([0.729, 0.243, 0.027, 0.001])


def test_creator_reach_multiplies_followers_reach_rate_and_real_share() -> None:
    est = creator_reach(followers=20_000, reach_rate=0.1, real_share=0.9, er=0.03, posts=2)
    assert est.reach_per_post == pytest.approx(1_800)  # 20,000 x 0.1 x 0.9
    assert est.engagements_per_post == pytest.approx(600)  # 20,000 x 0.03
    assert est.unique_reach == pytest.approx(18_000 * (1 - 0.9**2))  # 3,420
    assert est.exposures == pytest.approx((18_000 * 0.81, 18_000 * 0.18, 18_000 * 0.01))


def _two_creators(reach: float, shared: int = 50, size: int = 100):  # type: ignore[no-untyped-def]
    a = [f"u{i}" for i in range(size)]
    b = [f"u{i}" for i in range(size - shared, 2 * size - shared)]
    owner = np.repeat([0, 1], size)
    return build_instance(
        owner,
        hash_strings(a + b),
        np.array([10.0, 10.0]),
        np.array([30.0, 60.0]),
        np.array([reach, reach]),
        hash_strings(["a", "b"]),
        max_posts=2,
        replicas=4,
    )


def test_a_point_shared_by_two_creators_weighs_the_mean_of_their_people_per_point() -> None:
    inst = _two_creators(1.0)
    per_point = np.sort(np.unique(inst.weights.reshape(-1, 4).sum(axis=1)))
    assert per_point.tolist() == pytest.approx([30.0, 45.0, 60.0])


def test_posts_that_reach_everyone_expose_every_point_once_per_post() -> None:
    inst = _two_creators(1.0)
    counts = exposures(inst, np.array([2, 1]))
    # Creator 0's own points: 2 posts; shared: 3; creator 1's own: 1.
    assert sorted(set(counts.tolist())) == [1.0, 2.0, 3.0]
    dist = frequency_distribution(inst, np.array([2, 1]))
    assert dist[1] == pytest.approx(50 * 60)
    assert dist[3] == pytest.approx(50 * 45)
    assert dist[2] == pytest.approx(50 * 30)


def test_each_post_reaches_about_its_reach_rate_of_the_points() -> None:
    inst = _two_creators(0.3, shared=0, size=2000)
    hit = inst.offsets[1] - inst.offsets[0]  # post 1 of creator 0, over 2,000 x 4 replicas
    assert hit / 8000 == pytest.approx(0.3, abs=0.02)
    assert exposures(inst, np.array([0, 0])).sum() == 0


def test_audience_duplication_is_the_share_of_audience_counted_twice() -> None:
    inst = _two_creators(1.0, shared=50, size=100)
    # Sum of audiences 100x30 + 100x60 = 9,000 people; union 50x30 + 50x45 + 50x60 = 6,750.
    assert duplication(inst, np.array([1, 1])) == pytest.approx(1 - 6750 / 9000)
    assert duplication(inst, np.array([1, 0])) is None
    assert duplication(_two_creators(1.0, shared=0), np.array([1, 1])) == pytest.approx(0.0)


def test_model_fee_runs_from_the_low_to_the_high_end_of_the_tier_range() -> None:
    tiers = TierBounds()
    assert model_fee("instagram", 10_000, 0.02, tiers).per_post == pytest.approx(100)
    assert model_fee("instagram", 49_999, 0.02, tiers).per_post == pytest.approx(500, rel=1e-3)
    # Geometric midpoint of the micro tier: sqrt(10k x 50k) followers -> sqrt(100 x 500) USD.
    assert model_fee("instagram", (10_000 * 50_000) ** 0.5, 0.02, tiers).per_post == (
        pytest.approx((100 * 500) ** 0.5, abs=0.01)
    )
    assert model_fee("tiktok", 10_000, 0.04, tiers).per_post == pytest.approx(25)


def test_engagement_moves_the_fee_by_the_square_root_of_its_ratio_capped_at_two() -> None:
    base = model_fee("instagram", 20_000, 0.02).per_post
    assert model_fee("instagram", 20_000, 0.04).per_post == pytest.approx(base * 2**0.5, abs=0.01)
    assert model_fee("instagram", 20_000, 0.5).per_post == pytest.approx(base * 2**0.5, abs=0.01)
    assert model_fee("instagram", 20_000, 0.001).per_post == pytest.approx(
        base * 0.5**0.5, abs=0.01
    )
    unknown = model_fee("instagram", 20_000, None)
    assert unknown.per_post == pytest.approx(base)
    assert "engagement unknown" in unknown.basis


def test_costs_per_engagement_and_thousand_are_unknown_without_a_denominator() -> None:
    assert cost_per(100.0, 400.0) == pytest.approx(0.25)
    assert cost_per(100.0, 20_000.0, 1000.0) == pytest.approx(5.0)
    assert cost_per(100.0, None) is None
    assert cost_per(100.0, 0.0) is None
