"""Training the fake-follower model on a labelled file the user is entitled to use.

The model is fitted by ``core.authenticity.model.train`` and saved through the home's
:class:`~microscout.adapters.models.follower_store.FollowerModelStore`, which ``vet`` and the
scoring stage read it from afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microscout.adapters.models.follower_model import read_labelled
from microscout.adapters.models.follower_store import FollowerModelStore
from microscout.core.authenticity.model import train
from microscout.errors import InputError


@dataclass(frozen=True)
class TrainReport:
    """Where the model was saved, what it was trained on and how well it cross-validated."""

    path: Path
    rows: int
    fake_rows: int
    threshold: float
    cv_accuracy: float
    cv_mcc: float


def train_authenticity(
    store: FollowerModelStore,
    labelled_file: Path,
    fmt: str = "instafake",
    mapping: dict[str, str] | None = None,
) -> TrainReport:
    """Fit the fake-follower model on a labelled file and save it in the store."""
    data = read_labelled(labelled_file, fmt, mapping)
    try:
        model = train(data.profiles, data.labels)
    except ValueError as exc:
        raise InputError(f"{labelled_file}: {exc}") from None
    path = store.save(model, data.source)
    info = model.info
    return TrainReport(
        path, info["rows"], info["fake_rows"], model.threshold, info["cv_accuracy"], info["cv_mcc"]
    )


__all__ = ["TrainReport", "train_authenticity"]
