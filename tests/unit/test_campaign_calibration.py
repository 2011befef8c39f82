"""Calibration of the plan's reach from past campaigns: factors by platform and tier, and the
spread of errors, checked on numbers worked out by hand."""

from __future__ import annotations

import pytest

from microscout.core.campaigns.calibration import Observation, errors, factors, spread


def _o(platform: str, tier: str, predicted: int, actual: int) -> Observation:
    return Observation("c", "h", platform, tier, predicted, actual)


def test_a_factor_is_the_median_actual_over_predicted_of_its_platform_and_tier() -> None:
    seen = [_o("instagram", "micro", 100, a) for a in (50, 80, 100, 120, 200)]
    seen += [_o("tiktok", "micro", 1000, 3000), _o("tiktok", "micro", 1000, 1000)]
    ig, tt = factors(seen)
    assert (ig.platform, ig.tier, ig.ratio.n, ig.ratio.median) == ("instagram", "micro", 5, 1.0)
    assert (ig.ratio.q1, ig.ratio.q3) == (0.8, 1.2)
    assert ig.usable
    assert (tt.ratio.n, tt.ratio.median, tt.usable) == (2, 2.0, False)


def test_errors_are_actual_minus_predicted_over_predicted() -> None:
    found = errors([_o("youtube", "micro", 200, 300), _o("youtube", "micro", 200, 100)])
    assert found.n == 2
    assert found.median == pytest.approx(0.0)
    assert found.q1 == pytest.approx(-0.25)
    assert found.q3 == pytest.approx(0.25)
    assert spread([]).median is None
