"""The pricing stage fills fee_per_post, fee_basis, cpe and cpm during scoring."""

from __future__ import annotations

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.pricing import model_fee
from microscout.services.planning.pricing import pricing_stage
from microscout.services.scoring.run import metric_params, score
from tests.scoring_data import load, seeded_dataset


def test_scoring_with_the_pricing_stage_fills_fees_and_costs_per_result(
    warehouse: Warehouse, settings: Settings
) -> None:
    load(warehouse, seeded_dataset())
    score(warehouse, metric_params(settings), stages=[pricing_stage(settings)])
    rows = warehouse.fetch_arrow(
        "SELECT platform, followers, er_median, reach_rate, fee_per_post, fee_basis, cpe, cpm "
        "FROM creator_scores"
    ).to_pylist()
    priced = [r for r in rows if r["followers"]]
    assert priced
    assert all(r["fee_per_post"] > 0 for r in priced)
    assert all(r["fee_per_post"] is None for r in rows if not r["followers"])
    for r in priced:
        expected = model_fee(r["platform"], r["followers"], r["er_median"])
        assert r["fee_per_post"] == pytest.approx(expected.per_post)
        assert r["fee_basis"].startswith("model: instagram")
        if r["er_median"]:
            assert r["cpe"] == pytest.approx(r["fee_per_post"] / (r["followers"] * r["er_median"]))
        else:
            assert r["cpe"] is None
        if r["reach_rate"]:
            # No authenticity stage ran: the fake-follower share is unknown, counted as 0.
            assert r["cpm"] == pytest.approx(
                r["fee_per_post"] / (r["followers"] * r["reach_rate"]) * 1000
            )
