"""Creator documents embedded on Spark's executors with the same ONNX text model as one machine.

Each Python worker loads the model once and keeps it for every task it runs (Spark reuses its
workers), with one inference thread: Spark already runs one task per core, and a session that
spread over every core would contend with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import Vectors
from microscout.adapters.text.index import document_hash

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from microscout.adapters.text.embedder import Embedder

# The columns :func:`embedded` returns.
VECTOR_SCHEMA = "platform string, creator_id string, doc_hash string, vector array<float>"


@dataclass(frozen=True)
class ModelSpec:
    """The text model as the settings choose it; sent to the executors with the task."""

    folder: Path | None  # None: the export inside the workers' virtualenv
    quantized: bool
    max_tokens: int


# One model per worker process and spec: loading it per task would cost every task a second.
_LOADED: dict[ModelSpec, Embedder] = {}


def _model(spec: ModelSpec) -> Embedder:
    if spec not in _LOADED:
        from microscout.adapters.text.embedder import Embedder

        _LOADED[spec] = Embedder(
            spec.folder, quantized=spec.quantized, max_tokens=spec.max_tokens, threads=1
        )
    return _LOADED[spec]


def embed_batches(spec: ModelSpec, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """platform, creator_id, document batches -> platform, creator_id, doc_hash, vector."""
    for batch in batches:
        documents = [d or "" for d in batch.column("document").to_pylist()]
        vectors = _model(spec).embed(documents)
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("platform"),
                batch.column("creator_id"),
                pa.array([document_hash(d) for d in documents], pa.string()),
                _vector_column(vectors),
            ],
            names=["platform", "creator_id", "doc_hash", "vector"],
        )


def _vector_column(vectors: Vectors) -> pa.ListArray:
    rows, width = vectors.shape
    offsets = pa.array(np.arange(0, rows * width + 1, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(vectors.reshape(-1)))


def embedded(documents: DataFrame, spec: ModelSpec, tasks: int) -> DataFrame:
    """Each document's vector, computed in ``tasks`` tasks (at least one per core)."""

    def run(batches: Iterable[pa.RecordBatch]) -> Iterable[pa.RecordBatch]:
        return embed_batches(spec, iter(batches))

    frame = documents.select("platform", "creator_id", "document").repartition(tasks)
    return frame.mapInArrow(run, VECTOR_SCHEMA)


__all__ = ["VECTOR_SCHEMA", "ModelSpec", "embed_batches", "embedded"]
