"""Plans: a brief and a budget -> the portfolio of creators that reaches the most people."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.config import Settings
from microscout.services.discovery.candidates import candidate_source
from microscout.services.planning.plan import plan
from microscout.web.access import stores_nothing
from microscout.web.api.schemas import ERRORS, ErrorBody, PlanCreate, PlanPublic
from microscout.web.state import adapters, plan_slot, settings, warehouse

router = APIRouter(tags=["plan"], responses=ERRORS)


@router.post(
    "/plans",
    response_model=PlanPublic,
    summary="Plan a portfolio",
    responses={
        429: {
            "model": ErrorBody,
            "description": "As many plans as the server works on at once are running; "
            "try again after Retry-After seconds.",
        }
    },
    dependencies=[Depends(plan_slot)],
)
@stores_nothing
def create_plan(
    body: Annotated[PlanCreate, Body()],
    wh: Annotated[Warehouse, Depends(warehouse)],
    cfg: Annotated[Settings, Depends(settings)],
    real: Annotated[Adapters, Depends(adapters)],
) -> PlanPublic:
    """The set of micro-influencers that maximises unique reach (or reach at frequency ≥ k)
    within the budget, with totals, the budget → reach frontier and the macro comparison; the
    body takes every option of ``microscout plan`` (quotes as a handle → fee object)."""
    source = candidate_source(cfg, real.index_store, lambda: real.embedder)
    return plan(wh, cfg, body, source)
