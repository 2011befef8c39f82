"""A clean audience's fake share is read as clean: the mean probability is adjusted for the
estimator's own error, and only an interval above the organic background raises anything."""

from __future__ import annotations

import numpy as np
import pytest

from microscout.adapters.models.follower_model import read_labelled
from microscout.core.authenticity.followers import (
    RULES_CALIBRATION,
    Calibration,
    fake_share,
    rule_probability,
)
from tests.conftest import SHARED_DATA

INSTAFAKE = SHARED_DATA / "instafake"


def test_the_rules_calibration_is_what_instafake_measures() -> None:
    labelled = read_labelled(INSTAFAKE)
    probability = rule_probability(labelled.profiles)
    real = float(np.mean(probability[labelled.labels == 0]))
    fake = float(np.mean(probability[labelled.labels == 1]))
    assert real == pytest.approx(RULES_CALIBRATION.real_mean, abs=0.005)
    assert fake == pytest.approx(RULES_CALIBRATION.fake_mean, abs=0.005)


@pytest.mark.parametrize(
    ("mean", "share"),
    [(0.1, 0.0), (0.05, 0.0), (0.9, 1.0), (0.5, 0.5), (0.28, 0.225)],
)
def test_adjust_solves_the_expected_mean_for_the_share(mean: float, share: float) -> None:
    # real accounts average 0.1, fakes 0.9: a mean of 0.1 + s × 0.8 holds a share s of fakes
    assert Calibration(0.1, 0.9, "hand").adjust(mean) == pytest.approx(share)


def test_an_estimator_that_cannot_separate_leaves_the_mean_as_it_is() -> None:
    assert Calibration(0.4, 0.4, "flat").adjust(0.3) == pytest.approx(0.3)


def _sample(rng: np.random.Generator, n: int, fakes: int, cal: Calibration) -> np.ndarray:
    """Probabilities scattered around each class's mean, as the estimator would give them."""
    real = np.clip(rng.normal(cal.real_mean, 0.08, n - fakes), 0, 1)
    fake = np.clip(rng.normal(cal.fake_mean, 0.15, fakes), 0, 1)
    return np.concatenate([real, fake])


def test_a_clean_sample_reads_near_its_true_share_and_the_raw_mean_is_kept() -> None:
    rng = np.random.default_rng(7)
    probabilities = _sample(rng, 400, 24, RULES_CALIBRATION)  # 6% fake
    plain = fake_share(probabilities)
    adjusted = fake_share(probabilities, calibration=RULES_CALIBRATION)
    assert plain.share > 0.12  # the plain mean roughly doubles a 6% audience
    assert adjusted.share == pytest.approx(0.06, abs=0.02)
    assert adjusted.raw_mean == pytest.approx(plain.share)
    assert adjusted.ci_low <= adjusted.share <= adjusted.ci_high


def test_a_bought_audience_stays_high_after_adjustment() -> None:
    rng = np.random.default_rng(8)
    probabilities = _sample(rng, 400, 160, RULES_CALIBRATION)  # 40% fake
    adjusted = fake_share(probabilities, calibration=RULES_CALIBRATION)
    assert adjusted.share == pytest.approx(0.40, abs=0.04)
    assert adjusted.ci_low > 0.30
