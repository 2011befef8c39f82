"""Vectors keyed by a string, in one Parquet file: (key, vector, model_id) rows.

The format of the vector files kept in the index folder: remembered term and category vectors
(``remembered.py``) and the niche vectors search reads (``index.py``). A file is written through
a temporary one, so a reader never sees half of it, and read only for the model that wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

Vectors = npt.NDArray[np.float32]


def write_vector_table(
    path: Path, key: str, keys: Sequence[str], vectors: Vectors, model_id: str
) -> None:
    """Write ``keys`` (column ``key``) with their ``vectors`` and the model that made them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            key: pa.array(list(keys), pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(vectors.ravel(), pa.float32()), vectors.shape[1]
            ),
            "model_id": pa.array([model_id] * len(keys), pa.string()),
        }
    )
    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary)
    temporary.replace(path)


def read_vector_table(path: Path, key: str, model_id: str) -> tuple[list[str], Vectors] | None:
    """The keys and vectors ``path`` holds for ``model_id``; None when there is no file, it
    cannot be read, it is empty or another model wrote it."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return None
    if table.num_rows == 0 or set(table["model_id"].to_pylist()) != {model_id}:
        return None
    flat = table["vector"].combine_chunks().flatten().to_numpy(zero_copy_only=False)
    vectors = np.asarray(flat, np.float32).reshape(table.num_rows, -1)
    return table[key].to_pylist(), vectors


__all__ = ["read_vector_table", "write_vector_table"]
