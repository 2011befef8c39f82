"""Vectors of short texts (niche terms, category names and keywords) kept between scoring runs.

A re-score after a small import meets nearly the same frequent terms and always the same
categories; embedding them again cost about 2 s of a 9 s Kim re-score. The vectors are kept in
one Parquet file (text, vector, model id) in the vector index folder; a text is embedded again only
when it is new or the model changed. :meth:`RememberedVectors.save` keeps only the texts asked
for since the file was read, so the file never grows past one run's vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from microscout.adapters.text.embedder import DIM, TextModel, Vectors
from microscout.adapters.text.vector_table import read_vector_table, write_vector_table


class RememberedVectors:
    """An embedder for short texts that reuses the vectors a file holds (module docstring)."""

    def __init__(self, path: Path, embedder: TextModel) -> None:
        self.path = path
        self.embedder = embedder
        self.model_id = embedder.model_id
        self._known: dict[str, Vectors] = {}
        self._asked: set[str] = set()
        # No file yet, an unreadable one or another model's: everything is embedded afresh.
        found = read_vector_table(path, "text", self.model_id)
        if found is not None:
            self._known = dict(zip(found[0], found[1], strict=True))

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors, one row per text, as ``Embedder.embed`` gives them."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            self._known.update(zip(missing, self.embedder.embed(missing), strict=True))
        self._asked.update(texts)
        return self._stacked(texts)

    def _stacked(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self._known[t] for t in texts]).astype(np.float32, copy=False)

    def save(self) -> None:
        """Write the vectors of the texts asked for since this object was made."""
        texts = sorted(self._asked)
        write_vector_table(self.path, "text", texts, self._stacked(texts), self.model_id)
