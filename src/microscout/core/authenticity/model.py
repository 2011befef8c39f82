"""The trainable fake-follower model: gradient boosting with calibrated probabilities.

scikit-learn's ``HistGradientBoostingClassifier`` (handles missing values natively) with
``class_weight="balanced"`` for the class imbalance (fakes are the minority), wrapped in
``CalibratedClassifierCV`` so its output is a probability that averages into a share. The
cut-off that turns a probability into "fake" is chosen by stratified cross-validation on the
training file alone (the one maximising the Matthews correlation), never on evaluation data.

Each training row is also added once with its bio length hidden, so the model still works on
sources that do not report bios (their fakes are not all "empty bio"). Pure computation: the
file reading and saving live in ``adapters/models.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microscout.core.authenticity.followers import (
    FEATURE_NAMES,
    Calibration,
    FloatArray,
    Matrix,
    Profiles,
    feature_matrix,
)

THRESHOLDS = np.round(np.arange(0.05, 0.801, 0.025), 3)

# Profile fields the model is never fitted on. Privacy, as in the rules default: how many real
# accounts are private depends on how a sample was drawn (72% of InstaFake's real accounts are
# private and 32% of its fakes), so a model fitted on it learns the collection, not the fraud,
# and calls every public account suspect.
NOT_LEARNED = frozenset({"is_private"})


@dataclass
class FollowerModel:
    """A fitted model, its fake cut-off and what it was trained on."""

    estimator: Any
    threshold: float
    features: tuple[str, ...] = FEATURE_NAMES
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def calibration(self) -> Calibration | None:
        """The out-of-fold class means fake shares are adjusted with (None for a model saved
        before they were recorded: its shares stay plain means)."""
        means = self.info.get("class_means")
        if not isinstance(means, dict) or "real" not in means or "fake" not in means:
            return None
        return Calibration(
            float(means["real"]), float(means["fake"]), "trained model's out-of-fold class means"
        )

    def probability(self, profiles: Profiles) -> FloatArray:
        x = feature_matrix(profiles)[:, [FEATURE_NAMES.index(f) for f in self.features]]
        with _one_thread():
            return np.asarray(self.estimator.predict_proba(x)[:, 1], dtype=np.float64)


def _one_thread() -> Any:
    """Labelled files and audience samples are small: OpenMP threads cost more than they save
    here, and on a busy machine their barriers stall a fit for minutes."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


def _estimator(seed: int) -> Any:
    # scikit-learn is imported only when training: it takes seconds to load, and vetting
    # without a trained model never needs it.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    booster = HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        max_leaf_nodes=15,
        class_weight="balanced",
        random_state=seed,
    )
    return CalibratedClassifierCV(booster, method="isotonic", cv=5)


def _with_hidden_bio(
    x: Matrix, y: np.ndarray, features: tuple[str, ...]
) -> tuple[Matrix, np.ndarray]:
    if "bio_length" not in features:
        return x, y
    hidden = x.copy()
    hidden[:, features.index("bio_length")] = np.nan
    return np.vstack([x, hidden]), np.concatenate([y, y])


def fit_estimator(
    x: Matrix, y: np.ndarray, seed: int = 0, features: tuple[str, ...] = FEATURE_NAMES
) -> Any:
    """Fit the calibrated booster on features ``x`` (columns named ``features``), labels ``y``."""
    xa, ya = _with_hidden_bio(x, y, features)
    with _one_thread():
        return _estimator(seed).fit(xa, ya)


def out_of_fold(
    x: Matrix,
    y: np.ndarray,
    folds: int = 5,
    seed: int = 0,
    features: tuple[str, ...] = FEATURE_NAMES,
) -> FloatArray:
    """Out-of-fold P(fake) of each row from stratified ``folds``-fold cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(y.shape[0])
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(x, y):
        model = fit_estimator(x[train], y[train], seed, features)
        with _one_thread():
            oof[test] = model.predict_proba(x[test])[:, 1]
    return oof


def mcc(y: np.ndarray, predicted: np.ndarray) -> float:
    """Matthews correlation coefficient of boolean predictions (0 when undefined)."""
    t, p = y.astype(bool), predicted.astype(bool)
    tp, tn = float(np.sum(t & p)), float(np.sum(~t & ~p))
    fp, fn = float(np.sum(~t & p)), float(np.sum(t & ~p))
    denom = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return float((tp * tn - fp * fn) / denom) if denom > 0 else 0.0


def best_threshold(probabilities: FloatArray, y: np.ndarray) -> float:
    """The cut-off in ``THRESHOLDS`` with the highest MCC (ties: the one nearest 0.5)."""
    scores = [(mcc(y, probabilities >= t), -abs(float(t) - 0.5), float(t)) for t in THRESHOLDS]
    return max(scores)[2]


def train(
    profiles: Profiles, labels: np.ndarray, *, folds: int = 5, seed: int = 0
) -> FollowerModel:
    """Fit on every labelled row, with the cut-off chosen from out-of-fold probabilities."""
    y = np.asarray(labels, dtype=np.int64)
    positives = int(y.sum())
    if positives < folds or y.shape[0] - positives < folds:
        raise ValueError(
            f"need at least {folds} fake and {folds} real rows; got {positives} fake and "
            f"{y.shape[0] - positives} real"
        )
    x = feature_matrix(profiles)
    # A feature the file never gives (e.g. no bio column) is left out of the model: the
    # booster cannot bin an all-missing column, and it could learn nothing from it anyway.
    learned = np.array([name not in NOT_LEARNED for name in FEATURE_NAMES])
    known = ~np.all(np.isnan(x), axis=0) & learned
    features = tuple(name for name, k in zip(FEATURE_NAMES, known, strict=True) if k)
    x = x[:, known]
    oof = out_of_fold(x, y, folds, seed, features)
    threshold = best_threshold(oof, y)
    predicted = oof >= threshold
    info = {
        "rows": int(y.shape[0]),
        "fake_rows": positives,
        "cv_folds": folds,
        "cv_accuracy": float(np.mean(predicted == y)),
        "cv_mcc": float(mcc(y, predicted)),
        "threshold": threshold,
        "features": list(features),
        # Mean out-of-fold P(fake) per class: what fake shares are adjusted with (Calibration).
        "class_means": {"real": float(np.mean(oof[y == 0])), "fake": float(np.mean(oof[y == 1]))},
    }
    return FollowerModel(fit_estimator(x, y, seed, features), threshold, features, info)


__all__ = [
    "NOT_LEARNED",
    "FollowerModel",
    "best_threshold",
    "fit_estimator",
    "mcc",
    "out_of_fold",
    "train",
]
