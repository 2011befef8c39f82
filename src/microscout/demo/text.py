"""Vectorised text building: pick words and fill templates for a million rows at once.

Strings are built column-wise with pyarrow compute (take + element-wise join), never row by row,
which is what keeps 20,000 creators and 1.2M posts within seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NULL = pa.scalar(None, pa.string())
_SLOTS = re.compile(r"\{[ab]\}")

IntArray = np.ndarray[tuple[int], np.dtype[np.int64]]
BoolArray = np.ndarray[tuple[int], np.dtype[np.bool_]]
# A string column (Array or ChunkedArray) or a str literal; pyarrow ships no type hints.
Text: TypeAlias = Any


def words(text: str) -> tuple[str, ...]:
    """Split a comma-separated word list."""
    return tuple(w.strip() for w in text.split(",") if w.strip())


def concat(*parts: Text, sep: str = "") -> pa.Array:
    """Join string columns (or literals) element-wise; NULL parts are skipped ('' if all are).

    Not ``null_handling="skip"``: pyarrow 26 drops the rows whose parts are all NULL with it,
    returning a shorter array. Instead the separator is glued in front of every part (NULL stays
    NULL), NULLs are joined as '', and the leading separator is cut off.
    """
    if sep:
        parts = tuple(
            sep + p if isinstance(p, str) else pc.binary_join_element_wise(sep, p, "")
            for p in parts
        )
    joined = pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")
    if sep:
        joined = pc.utf8_slice_codeunits(joined, start=len(sep))
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def nonempty(values: Text) -> pa.Array:
    """NULL where the string is empty (e.g. a post without mentions)."""
    out = pc.if_else(pc.equal(values, ""), _NULL, values)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def keep(mask: BoolArray, values: Text) -> pa.Array:
    """``values`` where ``mask``, NULL elsewhere."""
    out = pc.if_else(pa.array(mask), values, _NULL)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def numbers(values: IntArray, width: int = 0) -> pa.Array:
    """Integers as strings, left-padded with zeros to ``width``."""
    out = pc.cast(pa.array(values, pa.int64()), pa.string())
    return pc.utf8_lpad(out, width=width, padding="0") if width else out


def lower(values: Text) -> pa.Array:
    out = pc.utf8_lower(values)
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def unique(values: pa.Array) -> pa.Array:
    """Make strings unique deterministically: the k-th repeat of a value gets ``k`` appended."""
    out = values
    for _ in range(10):
        codes = pc.dictionary_encode(out).indices.to_numpy()
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        same = np.concatenate([[False], ordered[1:] == ordered[:-1]])
        if not same.any():
            break
        n = codes.shape[0]
        run_start = np.maximum.accumulate(np.where(same, 0, np.arange(n)))
        repeat = np.zeros(n, dtype=np.int64)
        repeat[order] = np.arange(n) - run_start
        out = concat(out, keep(repeat > 0, numbers(repeat)))
    return out


class Bank:
    """Strings in groups (one group per niche or language), flattened for vectorised picks."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        if any(len(g) == 0 for g in groups):
            raise ValueError("every group needs at least one string")
        self.values = pa.array([s for g in groups for s in g], pa.string())
        counts = np.array([len(g) for g in groups], dtype=np.int64)
        self.counts = counts
        self.offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)

    def indices(self, rng: np.random.Generator, group: IntArray) -> IntArray:
        """One random index per row into ``values``, within the row's group."""
        within = rng.integers(0, 1 << 30, size=group.shape[0]) % self.counts[group]
        return np.asarray(self.offsets[group] + within, dtype=np.int64)

    def pick(self, rng: np.random.Generator, group: IntArray) -> pa.Array:
        return self.values.take(pa.array(self.indices(rng, group)))

    def distinct(
        self, rng: np.random.Generator, group: IntArray, slots: int, used: IntArray
    ) -> list[pa.Array]:
        """``slots`` columns of distinct strings per row; slot k is NULL where k >= used.

        Consecutive items from a random start never repeat while ``slots`` <= the group size,
        so a post never carries the same hashtag twice.
        """
        n = group.shape[0]
        start = rng.integers(0, 1 << 30, size=n)
        columns = []
        for k in range(slots):
            idx = self.offsets[group] + (start + k) % self.counts[group]
            column = self.values.take(pa.array(idx))
            columns.append(keep((used > k) & (self.counts[group] > k), column))
        return columns


class Templates:
    """Templates with ``{a}`` / ``{b}`` slots, split once into fixed parts for vectorised fill."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        flat = [t for g in groups for t in g]
        parts: list[list[str]] = [[], [], []]
        has_a, has_b = [], []
        for template in flat:
            pieces = _SLOTS.split(template)
            has_a.append(len(pieces) > 1)
            has_b.append(len(pieces) > 2)
            pieces += [""] * (3 - len(pieces))
            for i in range(3):
                parts[i].append(pieces[i])
        self.parts = [pa.array(p, pa.string()) for p in parts]
        self.has_a = np.array(has_a)
        self.has_b = np.array(has_b)
        self.bank = Bank(groups)

    def fill(self, rng: np.random.Generator, group: IntArray, a: Text, b: Text) -> pa.Array:
        """One filled template per row, chosen within the row's group."""
        t = self.bank.indices(rng, group)
        take = pa.array(t)
        return concat(
            self.parts[0].take(take),
            keep(self.has_a[t], a),
            self.parts[1].take(take),
            keep(self.has_b[t], b),
            self.parts[2].take(take),
        )


__all__ = ["Bank", "Templates", "concat", "keep", "lower", "nonempty", "numbers", "unique", "words"]
