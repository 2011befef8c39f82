"""64-bit hashing of audience ids, vectorised with numpy (no per-id Python hashing).

Ids are hashed as code points (FNV-1a over each column of a fixed-width unicode array), then
mixed with splitmix64 so the low and high bits are both uniform. The hash only has to be stable
within one release: sketches are rebuilt from the warehouse each time a plan is made.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
TWO_64 = float(2**64)


def mix64(values: npt.NDArray[np.uint64]) -> U64:
    """splitmix64's finaliser: a bijection of uint64 that scatters nearby inputs."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def hash_strings(ids: Sequence[str] | npt.NDArray[np.str_] | npt.NDArray[np.object_]) -> U64:
    """One uint64 per id; equal ids get equal hashes."""
    arr = np.asarray(ids, dtype=np.str_)
    if arr.size == 0:
        return np.zeros(0, np.uint64)
    width = max(arr.dtype.itemsize // 4, 1)
    points = arr.reshape(-1).view(np.uint32).reshape(-1, width).astype(np.uint64)
    h = np.full(points.shape[0], _FNV_OFFSET, np.uint64)
    with np.errstate(over="ignore"):
        for col in range(width):
            c = points[:, col]
            live = c != 0  # the fixed-width array pads shorter ids with NUL
            h = np.where(live, (h ^ c) * _FNV_PRIME, h)
    return mix64(h)


def unit_interval(values: U64) -> npt.NDArray[np.float64]:
    """Hashes as uniform numbers in [0, 1)."""
    return (values >> np.uint64(11)).astype(np.float64) / float(2**53)


__all__ = ["TWO_64", "U64", "hash_strings", "mix64", "unit_interval"]
