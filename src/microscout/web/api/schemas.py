"""Request and response schemas of the REST API, split by purpose (query, create, update,
public), apart from the warehouse rows they are read from."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from microscout.services.browse.detail import CreatorDetail as CreatorDetail
from microscout.services.planning.request import PlanRequest
from microscout.services.planning.result import Plan
from microscout.services.vetting.report import VetReport

# The largest page one response serves; bigger requests get 422 rather than a slow answer.
MAX_PAGE_SIZE = 200
T = TypeVar("T")


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="Short machine name: bad_request, not_found, invalid_request …")
    message: str = Field(description="What is wrong, naming the parameter or field.")
    parameter: str | None = Field(None, description="The parameter at fault, when one is.")


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter the service cannot use."},
    401: {
        "model": ErrorBody,
        "description": "No valid API token (once the workspace has users, every call needs one).",
    },
    403: {
        "model": ErrorBody,
        "description": "The token's scope or its user's role does not allow this (writing needs "
        "a write token of an editor or owner).",
    },
    404: {"model": ErrorBody, "description": "Unknown creator, shortlist or page."},
    422: {"model": ErrorBody, "description": "A request the schema rejects."},
}


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the request, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="Offset of the next page; null at the end.")


class CreatorSummary(BaseModel):
    platform: str
    creator_id: str
    handle: str
    followers: int | None
    tier: str | None
    country: str | None
    er_median: float | None = Field(description="Median engagement rate by followers (0-1).")
    er_n: int | None = Field(description="Posts behind er_median.")
    reach_rate: float | None = Field(description="Median reach / followers (0-1).")
    passes_reach_gate: bool | None
    posts_per_week: float | None
    days_since_last_post: float | None
    audience_quality: float | None = Field(description="0-100; see docs/authenticity.md.")
    authenticity_verdict: str | None
    niche_primary: str | None
    fee_per_post: float | None = Field(description="Estimated fee per post, USD.")


class SearchHit(BaseModel):
    rank: int
    platform: str
    creator_id: str
    handle: str
    followers: int | None
    country: str | None
    score: float = Field(description="The ranking blend, 0-1; its parts are in reasons.")
    relevance: float = Field(description="Cosine similarity of brief and creator document.")
    niche: str | None
    niche_focus: float | None
    er_median: float | None
    reach_rate: float | None
    audience_quality: float | None = Field(
        description="0-100; null when the creator is not vetted (no signal could be checked)."
    )
    authenticity_verdict: str | None = Field(
        description="ok, caution, high risk or not vetted (docs/authenticity.md)."
    )
    fee_per_post: float | None
    matched_terms: list[str]
    matched_posts: list[str]
    reasons: list[str]


class SearchResponse(BaseModel):
    query: str
    candidates: int = Field(description="Creators that passed the filters before ranking.")
    notes: list[str]
    items: list[SearchHit]


# One creator's detail (CreatorDetail, imported above) and vet report are the browse and vetting
# services' own typed models: one declaration serves `show --json`, `vet --json` and this API.
VetResponse = VetReport

# A plan's request and answer are the planning service's own typed models: one declaration serves
# the command, this API (pydantic validates and documents the dataclasses) and the plan page.
PlanCreate = PlanRequest
PlanPublic = Plan


class ComparedFigure(BaseModel):
    name: str
    label: str
    value: float | int | bool | str | None
    display: str = Field(description="The value as shown to people.")
    meaning: str
    sample_size: int | None
    sample_column: str | None
    window: str | None
    missing: str | None = Field(description="Why the value is unknown, when it is.")


class ComparedCreator(BaseModel):
    platform: str
    creator_id: str
    handle: str
    label: str
    display_name: str | None
    scored: bool
    figures: list[ComparedFigure]


class CompareResponse(BaseModel):
    creators: list[ComparedCreator]
    labels: list[str]
    overlap: list[list[float | None]] = Field(
        description="Pairwise Jaccard of audiences (1 = same); null for two creators on "
        "different platforms, whose audiences cannot be matched."
    )
    basis: list[list[str]] = Field(
        description="sample, commenters, model, no shared platform or self, per cell."
    )
    audience_n: list[int] = Field(description="Sampled audience ids behind each creator.")
    notes: list[str]


class ShortlistCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=2000)


class ShortlistUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)


class ShortlistPublic(BaseModel):
    id: int
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    entries: int = Field(description="Creators on the list.")


class ShortlistEntryPublic(BaseModel):
    platform: str
    creator_id: str
    handle: str
    note: str
    added_at: datetime
    in_warehouse: bool
    followers: int | None
    tier: str | None
    er_median: float | None
    reach_rate: float | None
    audience_quality: float | None
    authenticity_verdict: str | None
    fee_per_post: float | None
    warning: str | None = Field(description="Why figures are missing, when they are.")


class ShortlistDetailPublic(ShortlistPublic):
    items: list[ShortlistEntryPublic]


class EntriesCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    creators: list[str] = Field(
        min_length=1, max_length=200, description="PLATFORM:HANDLE, or a bare handle."
    )
    note: str | None = Field(None, max_length=2000)


class NoteUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=2000)


class EntryRef(BaseModel):
    platform: str
    creator_id: str
    handle: str


class EntriesAdded(BaseModel):
    added: list[EntryRef]
    already: list[EntryRef] = Field(description="Already on the list (note updated if given).")
