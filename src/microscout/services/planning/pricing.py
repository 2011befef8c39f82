"""The pricing stage: every scored creator's model fee per post, and its CPE and CPM.

The fee and cost formulas are :mod:`microscout.core.pricing`'s (docs/pricing.md); this stage only
reads their inputs from ``creator_scores`` and hands back the columns scoring writes.
"""

from __future__ import annotations

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import pricing_inputs
from microscout.config import Settings
from microscout.core.metrics import MetricParams
from microscout.core.pricing import model_fee, post_costs
from microscout.services.planning.data import tier_bounds
from microscout.services.scoring.stage import NamedStage, Stage


def pricing_stage(settings: Settings) -> Stage:
    """A scoring stage filling fee_per_post, fee_basis, cpe and cpm for every scored creator."""
    bounds = tier_bounds(settings)

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        rows = pricing_inputs(warehouse).to_pylist()
        fees = [model_fee(r["platform"], r["followers"], r["er_median"], bounds) for r in rows]
        costs = [
            post_costs(
                fee.per_post,
                r["followers"],
                r["er_median"],
                r["reach_rate"],
                1.0 - (r["fake_follower_share"] or 0.0),
            )
            for r, fee in zip(rows, fees, strict=True)
        ]
        return pa.table(
            {
                "platform": pa.array([r["platform"] for r in rows], pa.string()),
                "creator_id": pa.array([r["creator_id"] for r in rows], pa.string()),
                "fee_per_post": pa.array([f.per_post for f in fees], pa.float64()),
                "fee_basis": pa.array([f.basis for f in fees], pa.string()),
                "cpe": pa.array([c.cpe for c in costs], pa.float64()),
                "cpm": pa.array([c.cpm for c in costs], pa.float64()),
            }
        )

    return NamedStage("fees", stage)


__all__ = ["pricing_stage"]
