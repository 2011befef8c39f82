"""Server-rendered pages; each calls the same services as the API."""

from fastapi import APIRouter

from microscout.web.pages import account, campaigns, compare, creators, plan, search, shortlists

router = APIRouter(include_in_schema=False)
router.include_router(search.router)
router.include_router(creators.router)
router.include_router(plan.router)
router.include_router(compare.router)
router.include_router(shortlists.router)
router.include_router(campaigns.router)
router.include_router(account.router)
