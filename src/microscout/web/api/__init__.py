"""The REST API under /api/v1 (OpenAPI at /api/v1/openapi.json, browsable at /api/v1/docs)."""

from fastapi import APIRouter, Security
from fastapi.security import HTTPBearer

from microscout.web.api import campaigns, creators, plans, search, shortlists

# Declared so the schema (and the docs page's "Authorize" button) shows how to authenticate;
# the check itself is web/access.py's, before any route runs.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token from `microscout token create` or the account page. Needed once "
    "the workspace has users; with none (local mode), calls from this machine need none.",
)
router = APIRouter(dependencies=[Security(bearer)])
router.include_router(creators.router)
router.include_router(search.router)
router.include_router(plans.router)
router.include_router(shortlists.router)
router.include_router(campaigns.router)
