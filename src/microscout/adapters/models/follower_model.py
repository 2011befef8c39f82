"""Files of the trainable fake-follower model: labelled training files in, the model saved out.

The model is saved in the workspace (``<home>/models/``) with skops, a format that refuses to
build any object type not on an explicit allow-list (unlike pickle, loading cannot run code),
beside a JSON card with its threshold, training summary and the file's SHA-256. Nothing trained
here ships in the package: the user trains on a file they are entitled to use.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from microscout.core.authenticity.followers import FEATURE_NAMES, PROFILE_FIELDS, Profiles
from microscout.core.authenticity.model import FollowerModel
from microscout.errors import FileFormatError, MappingError, StoreError

MODEL_FILE = "follower_model.skops"
CARD_FILE = "follower_model.json"
# The only types a saved model may contain beyond skops' defaults.
TRUSTED_TYPES = frozenset(
    {
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.link.Interval",
        "sklearn.isotonic.IsotonicRegression",
        "scipy.interpolate._interpolate.interp1d",
    }
)
# The InstaFake columns (Akyon & Kalfaoglu 2019) for each profile field, and its label.
INSTAFAKE_MAPPING = {
    "followers": "userFollowerCount",
    "following": "userFollowingCount",
    "posts": "userMediaCount",
    "has_picture": "userHasProfilPic",
    "is_private": "userIsPrivate",
    "username_length": "usernameLength",
    "username_digits": "usernameDigitCount",
    "bio_length": "userBiographyLength",
    "label": "isFake",
}
MAPPABLE = (*PROFILE_FIELDS, "username", "label")
_TRUE = {"1", "true", "t", "yes", "y", "fake", "bot"}
_FALSE = {"0", "false", "f", "no", "n", "real", "genuine", "human"}


@dataclass(frozen=True)
class Labelled:
    """Profiles with their labels (1 = fake) read from a labelled file."""

    profiles: Profiles
    labels: np.ndarray
    source: str


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``field=column`` pairs into a mapping; fields are the profile fields plus label."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise MappingError(f"mapping '{pair}' is not FIELD=COLUMN (e.g. label=isFake)")
        if name not in MAPPABLE:
            raise MappingError(f"unknown field '{name}' in the mapping; use {', '.join(MAPPABLE)}")
        mapping[name] = column.strip()
    return mapping


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise FileFormatError(path, "no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"cannot be read as UTF-8 text: {exc}") from None
    if path.suffix.lower() in (".json", ".jsonl") or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            try:
                data = [json.loads(line) for line in text.splitlines() if line.strip()]
            except json.JSONDecodeError as exc:
                raise FileFormatError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise FileFormatError(path, "JSON must be a list of objects, one per account")
        return data
    return list(csv.DictReader(text.splitlines()))


def _value(raw: Any, field: str, path: Path, line: int, column: str) -> float | str | None:
    if raw is None or (isinstance(raw, str) and raw.strip() in ("", "NA", "null", "None")):
        return None
    if field == "username":
        return str(raw)
    text = str(raw).strip().lower()
    if field in ("has_picture", "is_private", "label"):
        if text in _TRUE:
            return 1.0
        if text in _FALSE:
            return 0.0
    try:
        return float(text)
    except ValueError:
        raise FileFormatError(path, f"'{raw}' is not a number", line=line, column=column) from None


def _labelled_files(
    path: Path, fmt: str, mapping: dict[str, str] | None
) -> tuple[list[Path], dict[str, str]]:
    """The files to read and the field=column mapping to read them with."""
    if fmt == "instafake":
        files = (
            [path / "fakeAccountData.json", path / "realAccountData.json"]
            if path.is_dir()
            else [path]
        )
        return files, {**INSTAFAKE_MAPPING, **(mapping or {})}
    if fmt == "csv":
        if not mapping or "label" not in mapping:
            raise MappingError("a csv labelled file needs a mapping with label=COLUMN")
        return [path], mapping
    raise MappingError(f"unknown labelled format '{fmt}'; use instafake or csv")


def read_labelled(
    path: Path, fmt: str = "instafake", mapping: dict[str, str] | None = None
) -> Labelled:
    """Read a labelled file: InstaFake JSON, or any CSV/JSON with a field=column mapping.

    InstaFake is one file, or a folder holding its fakeAccountData.json and realAccountData.json.
    """
    files, mapping = _labelled_files(path, fmt, mapping)
    columns: dict[str, list[Any]] = {name: [] for name in mapping}
    for file in files:
        records = _records(file)
        if records:
            missing = [c for c in mapping.values() if c not in records[0]]
            if missing:
                raise FileFormatError(file, f"missing column(s): {', '.join(missing)}")
        for line, record in enumerate(records, start=2):
            for name, column in mapping.items():
                columns[name].append(_value(record.get(column), name, file, line, column))
    labels = columns.pop("label")
    if not labels:
        raise FileFormatError(path, "no rows")
    if any(v is None for v in labels):
        raise FileFormatError(path, "some rows have no label")
    profiles = Profiles.from_columns(columns)  # type: ignore[arg-type]
    return Labelled(profiles, np.asarray(labels, dtype=np.int64), str(path))


def model_dir(home: Path) -> Path:
    return home / "models"


def save_model(model: FollowerModel, home: Path, trained_from: str) -> Path:
    """Write the model and its card under ``<home>/models``; returns the model path."""
    import skops.io as sio

    folder = model_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    blob = sio.dumps(model.estimator)
    target = folder / MODEL_FILE
    target.write_bytes(blob)
    card = {
        "threshold": model.threshold,
        "features": list(model.features),
        "info": model.info,
        "trained_from": trained_from,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(blob).hexdigest(),
    }
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2), encoding="utf-8")
    return target


def load_model(home: Path) -> FollowerModel | None:
    """The model saved in the workspace, or None when none was trained."""
    import skops.io as sio

    folder = model_dir(home)
    path, card_path = folder / MODEL_FILE, folder / CARD_FILE
    if not path.exists() or not card_path.exists():
        return None
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
        blob = path.read_bytes()
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(f"cannot read the saved model in {folder}: {exc}") from None
    if hashlib.sha256(blob).hexdigest() != card.get("sha256"):
        raise StoreError(f"{path} does not match its card {card_path}; retrain the model")
    untrusted = set(sio.get_untrusted_types(data=blob))
    unknown = untrusted - TRUSTED_TYPES
    if unknown:
        raise StoreError(f"{path} holds object types not allowed: {', '.join(sorted(unknown))}")
    features = tuple(card.get("features", ()))
    if not features or not set(features) <= set(FEATURE_NAMES):
        raise StoreError(f"{card_path} names features this version does not know; retrain")
    estimator = sio.loads(blob, trusted=sorted(untrusted))
    return FollowerModel(estimator, float(card["threshold"]), features, dict(card.get("info", {})))


__all__ = [
    "INSTAFAKE_MAPPING",
    "Labelled",
    "load_model",
    "parse_mapping",
    "read_labelled",
    "save_model",
]
