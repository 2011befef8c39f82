"""Niches ranked by meaning as well as words: a close document can lift a smaller share."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from microscout.core.niche.meaning import meaning_scores
from microscout.services.discovery.niche_stage import creator_rows


def test_the_score_is_the_share_less_the_weighted_gap_to_the_closest_niche() -> None:
    shares = np.array([0.6, 0.4])
    similarity = np.array([0.20, 0.50])  # the document is far closer to the second niche
    best = np.array([0.50, 0.50])
    scores = meaning_scores(shares, similarity, best, weight=1.0)
    assert scores.tolist() == pytest.approx([0.6 - 0.30, 0.4])
    assert scores.argmax() == 1  # meaning wins over a 0.2 lead in words
    small = meaning_scores(shares, similarity, best, weight=0.25)
    assert small.argmax() == 0  # at a small weight a clear lead in words holds


def test_weight_zero_or_no_document_leaves_the_shares() -> None:
    shares = np.array([0.3, 0.7])
    assert meaning_scores(shares, np.array([0.9, 0.1]), np.array([0.9, 0.9]), 0.0).tolist() == [
        0.3,
        0.7,
    ]
    no_doc = np.array([np.nan, np.nan])
    assert meaning_scores(shares, no_doc, no_doc, 1.0).tolist() == [0.3, 0.7]


def test_the_primary_niche_follows_the_order_and_focus_still_reads_the_shares() -> None:
    mix = pa.table(
        {
            "platform": ["instagram"] * 2,
            "creator_id": ["c1"] * 2,
            "niche_id": ["by_words", "by_meaning"],
            "share": [0.6, 0.4],
            "posts_n": [10, 10],
        }
    )
    plain = creator_rows(mix, vocabulary=50)
    ordered = creator_rows(mix, vocabulary=50, order=np.array([0.3, 0.4]))
    assert plain["niche_primary"] == ["by_words"]
    assert ordered["niche_primary"] == ["by_meaning"]
    assert ordered["_ranks"] == [2, 1]
    assert ordered["niche_focus"] == plain["niche_focus"]
