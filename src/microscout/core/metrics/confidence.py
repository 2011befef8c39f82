"""Distribution-free confidence interval for a median from order statistics.

For n values sorted ascending x(1) ≤ … ≤ x(n), the interval [x(j), x(n+1-j)] covers the true
median with probability 1 - 2·P(B ≤ j-1), B ~ Binomial(n, 1/2), whatever the distribution. We take
the largest j whose coverage is still at least the requested confidence. It needs no resampling,
so it is exact, deterministic and computable in SQL on any backend (unlike a bootstrap).
"""

from __future__ import annotations

from math import comb


def binomial_half_cdf(k: int, n: int) -> float:
    """P(B ≤ k) for B ~ Binomial(n, 1/2)."""
    if k < 0:
        return 0.0
    return float(sum(comb(n, i) for i in range(min(k, n) + 1)) / 2**n)


def median_ci_rank(n: int, confidence: float) -> int | None:
    """The 1-based rank j of the lower bound, or None when n is too small for that confidence."""
    best: int | None = None
    for j in range(1, n // 2 + 1):
        coverage = 1 - 2 * binomial_half_cdf(j - 1, n)
        if coverage >= confidence:
            best = j
        else:
            break
    return best


def min_posts_for_ci(confidence: float, limit: int = 1000) -> int:
    """The smallest sample size for which the interval exists at this confidence."""
    for n in range(1, limit + 1):
        if median_ci_rank(n, confidence) is not None:
            return n
    return limit


def median_ci_ranks(max_n: int, confidence: float) -> dict[int, int]:
    """Lower-bound ranks j(n) for every n up to max_n that has an interval."""
    ranks = {}
    for n in range(1, max_n + 1):
        j = median_ci_rank(n, confidence)
        if j is not None:
            ranks[n] = j
    return ranks
