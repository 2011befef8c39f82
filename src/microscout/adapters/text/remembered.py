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
import pyarrow as pa
import pyarrow.parquet as pq

from microscout.adapters.text.embedder import DIM, Embedder, Vectors


class RememberedVectors:
    """An embedder for short texts that reuses the vectors a file holds (module docstring)."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder
        self.model_id = embedder.model_id
        self._known: dict[str, Vectors] = {}
        self._asked: set[str] = set()
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowInvalid):
            return  # no file yet, or unreadable: everything is embedded afresh
        if table.num_rows and set(table["model_id"].to_pylist()) == {self.model_id}:
            flat = table["vector"].combine_chunks().flatten().to_numpy(zero_copy_only=False)
            vectors = np.asarray(flat, np.float32).reshape(-1, DIM)
            self._known = dict(zip(table["text"].to_pylist(), vectors, strict=True))

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "text": pa.array(texts, pa.string()),
                "vector": pa.FixedSizeListArray.from_arrays(
                    pa.array(self._stacked(texts).ravel(), pa.float32()), DIM
                ),
                "model_id": pa.array([self.model_id] * len(texts), pa.string()),
            }
        )
        temporary = self.path.with_suffix(".tmp")
        pq.write_table(table, temporary)
        temporary.replace(self.path)


__all__ = ["RememberedVectors"]
