"""The zero-shot niche mix as the warehouse computes it, against hand-worked shares."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.discovery import refresh_post_terms, zero_shot_mix
from microscout.core.niche import niche_focus
from microscout.core.schema import POSTS
from tests.scoring_data import arrow_rows

LEXICON = pa.table(
    {
        "term": ["alpha", "gamma", "delta", "omega"],
        "niche_id": ["a", "a", "b", "b"],
        "similarity": [1.0, 0.3, 0.3, 0.0001],
    }
)


def _post(post_id: str, caption: str, day: int) -> dict[str, object]:
    return {
        "platform": "instagram",
        "post_id": post_id,
        "creator_id": "c1",
        "posted_at": datetime(2026, 11, day),
        "caption": caption,
    }


def _mix(warehouse: Warehouse, recent: int = 30) -> list[dict[str, Any]]:
    refresh_post_terms(warehouse, recent=recent)
    rows: list[dict[str, Any]] = zero_shot_mix(warehouse, LEXICON).to_pylist()
    return rows


def test_a_creator_mix_averages_matched_posts_and_skips_empty_ones(warehouse: Warehouse) -> None:
    # post 1 is all "a"; post 2 splits 0.3 : 0.3 between "a" and "b"; post 3 matches nothing
    posts = [_post("p1", "alpha", 1), _post("p2", "gamma delta", 2), _post("p3", "nothing", 3)]
    with warehouse.transaction():
        warehouse.append(POSTS, arrow_rows(POSTS, posts))
    rows = _mix(warehouse)
    shares = {r["niche_id"]: r["share"] for r in rows}
    assert {r["posts_n"] for r in rows} == {2}
    assert shares == pytest.approx({"a": 0.75, "b": 0.25})
    assert max(shares, key=lambda niche: shares[niche]) == "a"
    entropy = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert niche_focus(shares, 2, 10) == pytest.approx(1 - entropy / math.log(2))


def test_a_post_distribution_normalises_summed_term_weights(warehouse: Warehouse) -> None:
    # one post: "a" terms weigh 1.0 + 0.3 and "b" terms 0.3 + 0.0001, so a post sums to one
    with warehouse.transaction():
        warehouse.append(POSTS, arrow_rows(POSTS, [_post("p1", "alpha gamma delta omega", 1)]))
    shares = {r["niche_id"]: r["share"] for r in _mix(warehouse)}
    assert shares == pytest.approx({"a": 1.3 / 1.6001, "b": 0.3001 / 1.6001})
    assert sum(shares.values()) == pytest.approx(1.0)


def _kept_terms(warehouse: Warehouse) -> set[tuple[str, str]]:
    rows = warehouse.fetch_arrow("SELECT post_id, term FROM post_terms").to_pylist()
    return {(r["post_id"], r["term"]) for r in rows}


def test_kept_terms_follow_edited_and_newer_posts_as_a_fresh_split_would(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = [_post("p1", "alpha", 1), _post("p2", "gamma delta", 2)]
    with warehouse.transaction():
        warehouse.append(POSTS, arrow_rows(POSTS, first))
    _mix(warehouse, recent=2)
    assert _kept_terms(warehouse) == {("p1", "alpha"), ("p2", "gamma"), ("p2", "delta")}

    # p2's caption is edited and a newer p3 pushes p1 out of the two latest posts.
    later = [_post("p2", "omega delta", 2), _post("p3", "alpha alpha", 3)]
    with warehouse.transaction():
        warehouse.upsert(POSTS, arrow_rows(POSTS, later))
    mix = _mix(warehouse, recent=2)

    assert _kept_terms(warehouse) == {("p2", "omega"), ("p2", "delta"), ("p3", "alpha")}
    with Warehouse(tmp_path / "fresh.duckdb") as fresh:
        with fresh.transaction():
            fresh.append(POSTS, arrow_rows(POSTS, [first[0], *later]))
        assert sorted(mix, key=str) == sorted(_mix(fresh, recent=2), key=str)
