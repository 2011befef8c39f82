"""Runs of equal keys in sorted Arrow tables (core/groups.py)."""

from __future__ import annotations

import pyarrow as pa

from microscout.core.groups import group_codes, group_starts


def test_each_run_of_equal_keys_is_one_group_numbered_in_order() -> None:
    keys = pa.table(
        {
            "platform": ["instagram", "instagram", "instagram", "tiktok", "tiktok"],
            "creator_id": ["a", "a", "b", "b", "b"],
        }
    )
    codes, first = group_codes(keys)
    # "b" on instagram and "b" on tiktok are different creators: both columns count.
    assert codes.tolist() == [0, 0, 1, 2, 2]
    assert first.tolist() == [0, 2, 3]


def test_one_row_and_no_rows() -> None:
    one = pa.table({"k": ["x"]})
    assert group_starts(one).tolist() == [True]
    codes, first = group_codes(pa.table({"k": pa.array([], pa.string())}))
    assert codes.tolist() == []
    assert first.tolist() == []
