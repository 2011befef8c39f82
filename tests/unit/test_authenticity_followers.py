"""Follower level: the rules default, username features and the fake share's interval."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from microscout.core.authenticity.followers import (
    BIAS,
    RULES,
    Profiles,
    fake_share,
    grouped_fake_shares,
    rule_hits,
    rule_probability,
    username_stats,
    wilson_interval,
)


def _one(**fields: object) -> Profiles:
    return Profiles.from_columns({k: [v] for k, v in fields.items()})


def test_a_mass_follower_with_no_posts_and_few_followers_gets_the_hand_computed_probability() -> (
    None
):
    # mass_follower 2.0 + extreme_ratio 1.0 + few_followers 1.0 + no_posts 1.5 = 5.5
    p = _one(followers=10, following=2_000, posts=0, has_picture=True, username="anna")
    assert rule_probability(p)[0] == pytest.approx(1 / (1 + math.exp(-(BIAS + 5.5))))


def test_an_ordinary_profile_meets_no_rule_and_stays_at_the_base_rate() -> None:
    p = _one(
        followers=400,
        following=350,
        posts=120,
        has_picture=True,
        bio_length=60,
        username="lena.hart",
    )
    assert not any(hit[0] for hit in rule_hits(p).values())
    assert rule_probability(p)[0] == pytest.approx(1 / (1 + math.exp(-BIAS)))


def test_unknown_fields_never_meet_a_rule() -> None:
    p = Profiles.from_columns({"followers": [None]})
    assert not any(hit[0] for hit in rule_hits(p).values())


def test_an_empty_bio_counts_only_when_the_bio_length_is_known() -> None:
    known = _one(followers=400, following=350, posts=120, has_picture=True, bio_length=0)
    unknown = _one(followers=400, following=350, posts=120, has_picture=True)
    assert rule_hits(known)["empty_bio"][0]
    assert not rule_hits(unknown)["empty_bio"][0]


def test_every_rule_has_a_weight_and_a_meaning() -> None:
    assert {r.code for r in RULES} == set(rule_hits(_one(followers=1)).keys())
    assert all(r.weight > 0 and r.meaning for r in RULES)


def test_username_length_and_digits_are_counted_without_the_at_sign() -> None:
    length, digits = username_stats(["@anna_1987", "bob", None])
    assert length[:2].tolist() == [9, 3]
    assert digits[:2].tolist() == [4, 0]
    assert math.isnan(length[2])


def test_the_wilson_interval_matches_the_textbook_value_for_10_of_50() -> None:
    low, high = wilson_interval(0.2, 50, 0.95)
    assert low == pytest.approx(0.1124, abs=5e-4)
    assert high == pytest.approx(0.3304, abs=5e-4)


def test_the_interval_narrows_as_the_sample_grows() -> None:
    small = fake_share(np.full(20, 0.3))
    large = fake_share(np.full(500, 0.3))
    assert small.share == pytest.approx(0.3) == large.share
    assert (large.ci_high - large.ci_low) < (small.ci_high - small.ci_low) / 3


def test_the_share_is_the_mean_probability_and_flagged_counts_the_cut_off() -> None:
    share = fake_share(np.array([0.9, 0.8, 0.1, 0.1]), threshold=0.5)
    assert share.share == pytest.approx(0.475)
    assert share.flagged == 2
    assert share.n == 4


def test_shares_are_computed_per_group_whatever_the_row_order() -> None:
    groups = np.array([1, 0, 1, 0, 1])
    probs = np.array([1.0, 0.0, 1.0, 0.5, 0.0])
    shares = grouped_fake_shares(groups, probs, 0.95, 0.5)
    assert shares[1].share == pytest.approx(2 / 3)
    assert shares[0].share == pytest.approx(0.25)
    assert shares[0].n == 2


def test_username_stats_read_arrow_handles_as_they_read_python_ones() -> None:
    handles = ["@anna_1987", "bob", None, "@@x٣2"]  # an Arabic-Indic digit counts as a digit
    from_python = username_stats(handles)
    from_arrow = username_stats(pa.array(handles, pa.string()))
    for python, arrow in zip(from_python, from_arrow, strict=True):
        assert python[[0, 1, 3]].tolist() == arrow[[0, 1, 3]].tolist()
        assert math.isnan(arrow[2])
    assert from_arrow[0][3] == 3
    assert from_arrow[1][3] == 2
