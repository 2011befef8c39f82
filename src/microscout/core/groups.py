"""Runs of equal keys in a sorted Arrow table: where each group starts, found at once.

The warehouse returns per-creator rows ordered by creator (audience samples, comments, niche
mixes); finding where each creator's rows begin in Arrow instead of comparing Python tuples
row by row keeps a million-row sample out of the interpreter.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


def group_starts(keys: pa.Table) -> npt.NDArray[np.bool_]:
    """True on each row of sorted ``keys`` whose values differ from the row before it (and on
    the first row). Keys are never NULL (a NULL would start a group of its own)."""
    n = keys.num_rows
    same_as_before = np.ones(max(n - 1, 0), np.bool_)
    for name in keys.column_names:
        column = keys[name]
        same = pc.fill_null(pc.equal(column.slice(1), column.slice(0, n - 1)), False)
        same_as_before &= np.asarray(same.to_numpy(zero_copy_only=False))
    return np.concatenate((np.ones(min(n, 1), np.bool_), ~same_as_before))


def group_codes(keys: pa.Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each row's group number (0, 1, ... in order) and each group's first row, for ``keys``
    sorted so that equal keys are adjacent."""
    starts = group_starts(keys)
    return np.cumsum(starts, dtype=np.int64) - 1, np.flatnonzero(starts)


__all__ = ["group_codes", "group_starts"]
