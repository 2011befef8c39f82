"""The REST API under /api/v1 (OpenAPI at /api/v1/openapi.json, browsable at /api/v1/docs)."""

from fastapi import APIRouter

from microscout.web.api import creators, plans, search, shortlists

router = APIRouter()
router.include_router(creators.router)
router.include_router(search.router)
router.include_router(plans.router)
router.include_router(shortlists.router)
