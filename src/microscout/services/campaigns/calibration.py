"""What past campaigns say about the plan's reach predictions (core/campaigns/calibration.py):
every campaign's creators who have posted, with both a prediction and an actual reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.campaigns import creator_cards
from microscout.adapters.workspace import Workspace
from microscout.core.campaigns.calibration import Factor, Observation, Spread, errors, factors
from microscout.services.campaigns.manage import campaign_row, list_campaigns
from microscout.services.campaigns.report import campaign_report

POSTED = ("content_live", "paid")


@dataclass(frozen=True)
class Calibration:
    observations: list[Observation]
    errors: Spread
    factors: list[Factor]

    def as_dict(self) -> dict[str, Any]:
        return {
            "observations": len(self.observations),
            "campaigns": len({o.campaign for o in self.observations}),
            "reach_error": self.errors.as_dict(),
            "factors": [f.as_dict() for f in self.factors],
        }


def calibration(workspace: Workspace, warehouse: Warehouse) -> Calibration:
    observed: list[Observation] = []
    for summary in list_campaigns(workspace):
        with workspace.session() as session:
            rows = campaign_row(session, summary.id).creators
            keys = [(r.platform, r.creator_id) for r in rows]
        tiers = {
            (r["platform"], r["handle"]): str(r["tier"] or "unscored")
            for r in creator_cards(warehouse, keys).to_pylist()
        }
        for c in campaign_report(workspace, warehouse, summary.id).creators:
            if c.status in POSTED and c.predicted_reach and c.reach is not None:
                tier = tiers.get((c.platform, c.handle), "unscored")
                observed.append(
                    Observation(
                        summary.name, c.handle, c.platform, tier, c.predicted_reach, c.reach
                    )
                )
    return Calibration(observed, errors(observed), factors(observed))


__all__ = ["Calibration", "calibration"]
