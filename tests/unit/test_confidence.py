"""The order-statistic interval for a median, checked against binomial sums done by hand."""

from __future__ import annotations

import pytest

from microscout.core.metrics.confidence import (
    binomial_half_cdf,
    median_ci_rank,
    min_posts_for_ci,
)


def test_binomial_half_cdf_matches_hand_sums() -> None:
    assert binomial_half_cdf(0, 4) == pytest.approx(1 / 16)
    assert binomial_half_cdf(1, 10) == pytest.approx(11 / 1024)
    assert binomial_half_cdf(10, 10) == pytest.approx(1.0)
    assert binomial_half_cdf(-1, 3) == 0.0


@pytest.mark.parametrize(
    ("n", "rank"),
    [(5, None), (6, 1), (8, 1), (9, 2), (10, 2), (30, 10)],
)
def test_lower_rank_is_the_widest_that_keeps_95_percent(n: int, rank: int | None) -> None:
    # n=6: 1 - 2/64 = 96.9%; n=9: 1 - 2*10/512 = 96.1% with j=2; n=30: j=10 gives 95.7%
    assert median_ci_rank(n, 0.95) == rank


def test_smallest_sample_for_an_interval() -> None:
    assert min_posts_for_ci(0.95) == 6
    assert min_posts_for_ci(0.99) == 8
