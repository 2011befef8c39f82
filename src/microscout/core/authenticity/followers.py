"""Follower level: how likely each sampled follower is fake, and the creator's fake share.

Input is an audience sample's public profile counts. Two estimators share one feature set:

- the transparent **rules default** below, which needs no training data: each rule is a
  published rule of thumb with a weight in log-odds, and a follower's probability of being fake is
  ``sigmoid(BIAS + sum of the weights of the rules it meets)``;
- a **trained model** (``core/authenticity/model.py``) fitted by the user on a labelled file.

The creator's fake-follower share is the mean probability over the sample, adjusted for the
estimator's own error (``Calibration``: every real account still carries some probability, so a
plain mean overstates a clean audience), with a Wilson score interval for its sampling
uncertainty (``fake_share``). Pure: numpy and Arrow, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from math import sqrt
from statistics import NormalDist

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FloatArray = np.ndarray[tuple[int], np.dtype[np.float64]]
Matrix = np.ndarray[tuple[int, int], np.dtype[np.float64]]

# Profile fields, in the order the estimators read them; NaN means unknown.
PROFILE_FIELDS = (
    "followers",
    "following",
    "posts",
    "has_picture",
    "is_private",
    "username_length",
    "username_digits",
    "bio_length",
)
# Columns of the model's feature matrix (counts are log1p'd: their scale spans five decades).
FEATURE_NAMES = (
    "log_followers",
    "log_following",
    "log_posts",
    "has_picture",
    "is_private",
    "username_length",
    "username_digits",
    "username_digit_share",
    "bio_length",
    "log_following_to_followers",
)


@dataclass(frozen=True)
class Profiles:
    """One array per profile field, index-aligned; NaN where the source does not say."""

    followers: FloatArray
    following: FloatArray
    posts: FloatArray
    has_picture: FloatArray
    is_private: FloatArray
    username_length: FloatArray
    username_digits: FloatArray
    bio_length: FloatArray

    @property
    def n(self) -> int:
        return int(self.followers.shape[0])

    @classmethod
    def from_columns(cls, columns: dict[str, Sequence[object] | np.ndarray]) -> Profiles:
        """Build from field → values (None becomes NaN; booleans become 0/1).

        ``username`` may be given instead of ``username_length``/``username_digits``.
        """
        n = len(next(iter(columns.values())))
        values = dict(columns)
        if "username" in values and "username_length" not in values:
            length, digits = username_stats(values.pop("username"))
            values["username_length"], values["username_digits"] = length, digits
        arrays = {name: _floats(values.get(name), n) for name in PROFILE_FIELDS}
        return cls(**arrays)


def _floats(values: Sequence[object] | np.ndarray | None, n: int) -> FloatArray:
    if values is None:
        return np.full(n, np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        return values.astype(np.float64)  # already numbers, NaN for unknown: no Python loop
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)  # type: ignore[arg-type]


def username_stats(
    handles: Sequence[object] | np.ndarray | pa.Array | pa.ChunkedArray,
) -> tuple[FloatArray, FloatArray]:
    """Length and number of decimal digits of each handle without its leading "@" (NaN for a
    missing handle), counted in Arrow: an audience sample holds a million handles."""
    if not isinstance(handles, pa.Array | pa.ChunkedArray):
        handles = pa.array([h if isinstance(h, str) else None for h in handles], pa.string())
    names = pc.utf8_ltrim(handles, characters="@")
    length = pc.cast(pc.utf8_length(names), pa.float64()).to_numpy(zero_copy_only=False)
    digits = pc.count_substring_regex(names, pattern=r"\p{Nd}")
    return length, pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False)


def feature_matrix(p: Profiles) -> Matrix:
    """The model's features (``FEATURE_NAMES``); unknown values stay NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        digit_share = p.username_digits / np.maximum(p.username_length, 1.0)
        ratio = np.log1p(p.following) - np.log1p(p.followers)
    return np.column_stack(
        [
            np.log1p(p.followers),
            np.log1p(p.following),
            np.log1p(p.posts),
            p.has_picture,
            p.is_private,
            p.username_length,
            p.username_digits,
            digit_share,
            p.bio_length,
            ratio,
        ]
    ).astype(np.float64)


# -- the rules default --------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    code: str
    weight: float  # log-odds added when the rule is met
    meaning: str


# Log-odds of a follower who meets no rule: sigmoid(-3) ≈ 4.7%, about the share of fakes even
# clean audiences hold. With the weights below a follower is judged fake (p ≥ 0.5) once the rules
# it meets add up to 3.0 — e.g. a mass follower with almost no followers of its own.
BIAS = -3.0
RULES = (
    Rule("mass_follower", 2.0, "follows more than 1,500 accounts (the usual 'mass follower' cut)"),
    Rule("extreme_ratio", 1.0, "follows at least 10 times as many accounts as follow it"),
    Rule("few_followers", 1.0, "fewer than 30 followers of its own"),
    Rule("no_posts", 1.5, "has never posted"),
    Rule("few_posts", 0.75, "1 or 2 posts"),
    Rule("no_picture", 1.5, "no profile picture"),
    Rule("empty_shell", 1.0, "no picture and no posts together (an account made only to follow)"),
    Rule("digit_heavy_name", 1.0, "4 or more digits, or digits are 30%+ of the username"),
    Rule("empty_bio", 0.75, "empty biography (only when the bio length is known)"),
)
RULE_WEIGHTS = {rule.code: rule.weight for rule in RULES}


def rule_hits(p: Profiles) -> dict[str, np.ndarray]:
    """Which rule each follower meets (an unknown field never meets a rule)."""
    with np.errstate(invalid="ignore"):
        digit_share = p.username_digits / np.maximum(p.username_length, 1.0)
        return {
            "mass_follower": p.following > 1_500,
            "extreme_ratio": (p.following >= 10 * np.maximum(p.followers, 1.0))
            & (p.following >= 100),
            "few_followers": p.followers < 30,
            "no_posts": p.posts == 0,
            "few_posts": (p.posts >= 1) & (p.posts <= 2),
            "no_picture": p.has_picture == 0,
            "empty_shell": (p.has_picture == 0) & (p.posts == 0),
            "digit_heavy_name": (p.username_digits >= 4) | (digit_share >= 0.3),
            "empty_bio": p.bio_length == 0,
        }


def rule_probability(p: Profiles) -> FloatArray:
    """P(fake) per follower under the rules default: sigmoid(BIAS + Σ weights of rules met)."""
    logit = np.full(p.n, BIAS)
    for code, hit in rule_hits(p).items():
        logit += RULE_WEIGHTS[code] * hit
    return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)


# -- the creator's share ------------------------------------------------------------------------
@dataclass(frozen=True)
class Calibration:
    """The estimator's mean P(fake) over known real and known fake accounts.

    A sample holding a share ``s`` of fakes has an expected mean probability of
    ``real_mean + s × (fake_mean − real_mean)``; solving for ``s`` ("adjusted classify and
    count", Forman 2008; its probabilistic form, Bella et al. 2010) removes the bias a plain mean
    has: real accounts are never scored exactly 0, so a clean audience would look a few points
    fake. The means come from labelled accounts the estimator did not decide on.
    """

    real_mean: float
    fake_mean: float
    source: str

    def adjust(self, mean_probability: float) -> float:
        """The fake share whose expected mean probability is ``mean_probability``, in [0, 1]."""
        spread = self.fake_mean - self.real_mean
        if not spread > 0:
            return mean_probability
        return min(1.0, max(0.0, (mean_probability - self.real_mean) / spread))


# The rules default's class means on InstaFake (994 real and 200 fake labelled accounts, all
# rows; ``tests/unit/test_fake_share_calibration.py`` recomputes them). The held-out SRF set is
# never used for this.
RULES_CALIBRATION = Calibration(0.0974, 0.7509, "rules default's class means on InstaFake")


@dataclass(frozen=True)
class FakeShare:
    """Estimated fake-follower share of one creator's audience sample.

    ``share`` and its interval are adjusted by the estimator's calibration when it has one;
    ``raw_mean`` is the plain mean probability they were adjusted from.
    """

    share: float
    ci_low: float
    ci_high: float
    n: int
    flagged: int  # followers with probability ≥ the per-follower threshold
    raw_mean: float | None = None


def wilson_interval(share: float, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval of a proportion observed as ``share`` over ``n`` draws."""
    if n <= 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    denom = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denom
    half = z * sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def fake_share(
    probabilities: FloatArray,
    confidence: float = 0.95,
    threshold: float = 0.5,
    calibration: Calibration | None = None,
) -> FakeShare:
    """Mean P(fake) over the sample, with a Wilson interval that widens as the sample shrinks.

    The mean of probabilities estimates the share without the bias a hard cut-off gives when
    fakes are rare; ``calibration`` then maps the mean and both ends of its interval to the share
    they imply. The interval covers sampling error, not the classifier's error.
    """
    n = int(probabilities.shape[0])
    if n == 0:
        return FakeShare(float("nan"), 0.0, 1.0, 0, 0)
    mean = float(np.mean(probabilities))
    low, high = wilson_interval(mean, n, confidence)
    flagged = int(np.sum(probabilities >= threshold))
    if calibration is None:
        return FakeShare(mean, low, high, n, flagged, mean)
    adjust = calibration.adjust
    return FakeShare(adjust(mean), adjust(low), adjust(high), n, flagged, mean)


def grouped_fake_shares(
    group: np.ndarray,
    probabilities: FloatArray,
    confidence: float,
    threshold: float,
    calibration: Calibration | None = None,
) -> dict[int, FakeShare]:
    """:func:`fake_share` per group id (integer codes, e.g. creator index)."""
    out: dict[int, FakeShare] = {}
    if group.shape[0] == 0:
        return out
    order = np.argsort(group, kind="stable")
    g, pr = group[order], probabilities[order]
    starts = np.concatenate([[0], np.flatnonzero(g[1:] != g[:-1]) + 1, [g.shape[0]]])
    for a, b in itertools.pairwise(starts):
        out[int(g[a])] = fake_share(pr[a:b], confidence, threshold, calibration)
    return out


__all__ = [
    "BIAS",
    "FEATURE_NAMES",
    "PROFILE_FIELDS",
    "RULES",
    "RULES_CALIBRATION",
    "Calibration",
    "FakeShare",
    "Profiles",
    "Rule",
    "fake_share",
    "feature_matrix",
    "grouped_fake_shares",
    "rule_hits",
    "rule_probability",
    "username_stats",
    "wilson_interval",
]
