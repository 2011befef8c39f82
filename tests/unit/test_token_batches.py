"""How texts sorted by token count are grouped into batches under a padded-token budget."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from microscout.adapters.text.embedder import token_batches


def test_short_texts_share_a_batch_until_the_padded_budget_is_reached() -> None:
    # 4 tokens each: 64 of them fill 256 padded tokens exactly, the 65th starts a new batch
    lengths = np.full(65, 4, np.int64)
    assert token_batches(lengths, 256) == [(0, 64), (64, 65)]


def test_a_batch_is_cut_where_padding_to_the_longer_text_would_overflow() -> None:
    # 2, 3 and 5 padded to 5 would take 15 > 12, so the first batch ends after 3;
    # 5 and 6 padded to 6 take 12 exactly
    lengths = np.array([2, 3, 5, 6], np.int64)
    assert token_batches(lengths, 12) == [(0, 2), (2, 4)]


def test_a_text_longer_than_the_budget_is_embedded_alone() -> None:
    lengths = np.array([3, 200, 300], np.int64)
    assert token_batches(lengths, 128) == [(0, 1), (1, 2), (2, 3)]


def test_no_texts_give_no_batches() -> None:
    assert token_batches(np.zeros(0, np.int64), 1024) == []


@given(
    st.lists(st.integers(min_value=1, max_value=300), max_size=200),
    st.integers(min_value=1, max_value=2048),
)
def test_batches_cover_every_text_once_and_stay_within_the_budget(
    raw: list[int], budget: int
) -> None:
    lengths = np.sort(np.array(raw, np.int64))
    batches = token_batches(lengths, budget)
    covered = [i for start, stop in batches for i in range(start, stop)]
    assert covered == list(range(len(lengths)))
    for start, stop in batches:
        padded = int(lengths[stop - 1]) * (stop - start)
        assert stop - start == 1 or padded <= budget
