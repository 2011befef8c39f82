"""Audience overlap: hashed ids, bottom-k MinHash sketches and the model estimate (pure)."""

from __future__ import annotations

from microscout.core.audience.hashing import hash_strings, mix64, unit_interval
from microscout.core.audience.model import model_jaccard, model_points
from microscout.core.audience.sketch import (
    PairOverlap,
    Sketches,
    build_sketches,
    coordinated_points,
    jaccard,
    jaccard_matrix,
    pair_overlap,
)

__all__ = [
    "PairOverlap",
    "Sketches",
    "build_sketches",
    "coordinated_points",
    "hash_strings",
    "jaccard",
    "jaccard_matrix",
    "mix64",
    "model_jaccard",
    "model_points",
    "pair_overlap",
    "unit_interval",
]
