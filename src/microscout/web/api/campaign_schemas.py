"""Request and response shapes of the campaign API (``…Create`` bodies refuse unknown fields;
``…Public`` answers carry what is stored or computed)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Status = Literal[
    "shortlisted", "contacted", "negotiating", "agreed", "content_live", "paid", "declined"
]  # fmt: skip
Objective = Literal["reach", "frequency", "engaged", "sales"]


def _date_text(value: object) -> object:
    """A date is a "YYYY-MM-DD" string here, never a number read as seconds since 1970."""
    if not isinstance(value, str | date):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_date_text)]


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    budget: float = Field(gt=0, le=1e9)
    starts_on: Day
    ends_on: Day
    brand: str | None = Field(None, max_length=100)
    objective: Objective = "reach"
    currency: str = Field("USD", pattern=r"^[A-Za-z]{3}$")
    hashtag: str | None = Field(None, max_length=100)
    brand_handle: str | None = Field(None, max_length=200)
    landing_url: str | None = Field(None, max_length=2000, pattern=r"^https?://")


class CampaignPublic(BaseModel):
    id: int
    name: str
    brand: str | None
    objective: str
    budget: float
    currency: str
    starts_on: date
    ends_on: date
    hashtag: str | None
    brand_handle: str | None
    landing_url: str | None
    creators: int
    is_demo: bool


class MemberPublic(BaseModel):
    handle: str
    platform: str
    status: str
    source: str = Field(description="plan, shortlist or handle.")
    planned_posts: int | None
    predicted_fee: float | None
    predicted_reach: int | None
    agreed_fee: float | None
    link_code: str
    promo_code: str


class CampaignDetailPublic(BaseModel):
    campaign: CampaignPublic
    creators: list[MemberPublic]


class MembersCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    creators: list[str] = Field(
        default_factory=list, max_length=200, description="PLATFORM:HANDLE, or a bare handle."
    )
    shortlist_id: int | None = Field(None, ge=1, le=2**31 - 1)


class MembersAdded(BaseModel):
    added: list[str]
    already: list[str]


class StatusMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    note: str = Field("", max_length=2000)


class Agreement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fee: float = Field(ge=0, le=1e9)
    posts: int | None = Field(None, ge=1, le=100)
    deliverables: str = Field("", max_length=2000)
    due_on: Day | None = None
    usage_rights: str = Field("", max_length=2000, description="Default: 30 days of reposting.")
    disclosure: str = Field(
        "", max_length=2000, description="Default: the platform's required paid-partnership label."
    )
    note: str = Field("", max_length=2000)


class CreatorResultPublic(BaseModel):
    handle: str
    platform: str
    status: str
    spend: float
    posts: int
    reach: int | None
    actual_reach: int | None
    reach_basis: str
    views: int | None
    engagements: int | None
    actual_engagements: int | None
    clicks: int
    sessions: int
    orders: int
    revenue: float
    predicted_reach: int | None
    predicted_engagements: int | None
    predicted_fee: float | None
    reach_error: float | None = Field(description="(actual - predicted) / predicted reach.")
    engagements_error: float | None
    emv: float | None = Field(description="At the campaign_emv_values setting; null without.")


class TotalsPublic(BaseModel):
    spend: float
    posts: int
    reach: int | None
    views: int | None
    engagements: int | None
    clicks: int
    sessions: int
    orders: int
    revenue: float
    cpm: float | None = Field(description="spend / reach x 1000.")
    cpe: float | None = Field(description="spend / engagements.")
    cpc: float | None = Field(description="spend / clicks.")
    cpa: float | None = Field(description="spend / orders.")
    roas: float | None = Field(description="revenue / spend.")
    predicted_reach: int | None
    predicted_engagements: int | None
    emv: float | None = Field(description="At the campaign_emv_values setting; null without.")


class CountedPost(BaseModel):
    handle: str
    platform: str
    post_id: str
    posted_at: str | None
    permalink: str | None
    likes: int | None
    comments: int | None
    views: int | None
    reach: int | None
    counted_because: str


class CampaignReportPublic(BaseModel):
    campaign: CampaignPublic
    totals: TotalsPublic
    creators: list[CreatorResultPublic]
    posts: list[CountedPost]
    notes: list[str]
