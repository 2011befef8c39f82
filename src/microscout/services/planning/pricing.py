"""The pricing stage: every scored creator's model fee per post, and its CPE and CPM.

The fee and cost formulas are :mod:`microscout.core.pricing`'s (docs/pricing.md); this stage only
reads their inputs from ``creator_scores`` and hands back the columns scoring writes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import pricing_inputs
from microscout.config import Settings
from microscout.core.metrics import MetricParams
from microscout.core.pricing import TierBounds, model_fees, post_costs
from microscout.services.planning.data import tier_bounds
from microscout.services.scoring.stage import NamedStage, Stage


def priced(rows: pa.Table, bounds: TierBounds) -> pa.Table:
    """fee_per_post, fee_basis, cpe and cpm (beside the key) of ``pricing_inputs``' rows."""
    followers = rows["followers"].to_numpy(zero_copy_only=False).astype(np.float64)
    ers = rows["er_median"].to_pylist()
    fees, bases = model_fees(rows["platform"].to_pylist(), followers, ers, bounds)
    costs = [
        post_costs(fee, n, er, reach, 1.0 - (fake or 0.0))
        for fee, n, er, reach, fake in zip(
            fees.tolist(),
            followers.tolist(),
            ers,
            rows["reach_rate"].to_pylist(),
            rows["fake_follower_share"].to_pylist(),
            strict=True,
        )
    ]
    return pa.table(
        {
            "platform": rows["platform"],
            "creator_id": rows["creator_id"],
            "fee_per_post": pa.array(fees, pa.float64()),
            "fee_basis": pa.array(bases, pa.string()),
            "cpe": pa.array([c.cpe for c in costs], pa.float64()),
            "cpm": pa.array([c.cpm for c in costs], pa.float64()),
        },
        schema=PRICED_SCHEMA,
    )


PRICED_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("creator_id", pa.string()),
        ("fee_per_post", pa.float64()),
        ("fee_basis", pa.string()),
        ("cpe", pa.float64()),
        ("cpm", pa.float64()),
    ]
)


def pricing_stage(settings: Settings) -> Stage:
    """A scoring stage filling fee_per_post, fee_basis, cpe and cpm for every scored creator."""
    bounds = tier_bounds(settings)

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        return priced(pricing_inputs(warehouse), bounds)

    return NamedStage("fees", stage)


__all__ = ["PRICED_SCHEMA", "priced", "pricing_stage"]
