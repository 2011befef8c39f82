"""Plans: a brief and a budget -> the portfolio of creators that reaches the most people."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.services.planning.plan import PlanRequest, plan
from microscout.web.api.schemas import ERRORS, PlanCreate, PlanPublic
from microscout.web.state import settings, warehouse

router = APIRouter(tags=["plan"], responses=ERRORS)


def plan_request(body: PlanCreate) -> PlanRequest:
    return PlanRequest(
        brief=body.brief, budget=body.budget, objective=body.objective, k=body.k,
        min_creators=body.min_creators, max_creators=body.max_creators,
        max_per_niche=body.max_per_niche, max_per_country=body.max_per_country,
        include=tuple(body.include), exclude=tuple(body.exclude),
        platforms=tuple(body.platforms), countries=tuple(body.countries), frontier=body.frontier,
    )  # fmt: skip


@router.post("/plans", response_model=PlanPublic, summary="Plan a portfolio")
def create_plan(
    body: PlanCreate,
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
) -> dict[str, Any]:
    """The set of micro-influencers that maximises unique reach (or reach at frequency ≥ k)
    within the budget, with totals, the budget → reach frontier and the macro comparison."""
    return plan(wh, cfg, plan_request(body)).to_dict()
