"""Query parameters shared by the API's list routes, declared once with their bounds.

Search and lookalikes take theirs from their request models (services/discovery/request.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from microscout.services.browse.creators import NUMERIC_SCORES

PlatformName = Literal["instagram", "tiktok", "youtube"]
TierName = Literal["nano", "micro", "mid", "macro", "mega"]
SortColumn = Literal[NUMERIC_SCORES]  # type: ignore[valid-type]

Platform = Annotated[PlatformName | None, Query(description="instagram, tiktok or youtube.")]
Country = Annotated[
    str | None, Query(min_length=2, max_length=2, pattern="^[A-Za-z]{2}$", description="ISO code.")
]
MinFollowers = Annotated[int | None, Query(ge=0, le=10**10, description="At least this many.")]
MaxFollowers = Annotated[int | None, Query(ge=0, le=10**10, description="At most this many.")]
MinEngagement = Annotated[
    float | None, Query(ge=0, le=1, description="Minimum median engagement rate, 0-1 (0.02 = 2%).")
]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
