"""A vet result as it is answered: typed end to end, from the service to ``vet --json`` and the API
schema (one declaration documents both, so the two cannot drift apart).

Scores are 0-100, shares are in [0, 1]; ``None`` means unknown, never 0 (docs/authenticity.md
defines every signal and its evidence).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from microscout.core.authenticity.followers import FakeShare
from microscout.core.authenticity.quality import Assessment
from microscout.core.authenticity.signals import CreatorEvidence

# What a signal's evidence holds: counts, rates, dates as ISO text, the partner handles of a pod,
# the ring accounts with their figures, the pod's thresholds; None where a figure is unknown.
EvidenceValue = (
    bool
    | int
    | float
    | str
    | list[str]
    | list[dict[str, int | float | str]]
    | dict[str, int | float]
    | None
)
# "not vetted": no signal could be checked, so there is no audience quality (never 100).
VerdictName = Literal["ok", "caution", "high risk", "not vetted"]


class Reason(BaseModel):
    """Why the score moved, with the figures behind it."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="The signal that fired, e.g. fake_followers, engagement_pod.")
    points: int = Field(description="Points taken off the 100-point score (negative or 0).")
    flag: bool = Field(description="A red flag; false for information that lowered the score.")
    message: str = Field(description="The finding in words, with its numbers.")
    evidence: dict[str, EvidenceValue] = Field(
        description="The figures behind the finding and the threshold it crossed."
    )


class FakeFollowers(BaseModel):
    """The estimated fake share of the creator's audience sample."""

    model_config = ConfigDict(frozen=True)

    share: float = Field(description="Estimated share of fake followers (0-1).")
    ci_low: float = Field(description="Lower end of the Wilson confidence interval.")
    ci_high: float = Field(description="Upper end of the Wilson confidence interval.")
    sample_n: int = Field(description="Followers sampled.")
    flagged_followers: int = Field(description="Sampled followers judged fake one by one.")
    method: str = Field(description="'trained model' or 'rules'.")


class VetReport(BaseModel):
    """One creator's audience quality: score, verdict, reasons and what could not be checked."""

    model_config = ConfigDict(frozen=True)

    platform: str
    creator_id: str
    handle: str
    followers: int | None
    audience_quality: float | None = Field(
        description="0-100; 100 minus the points of the reasons. Null when no signal could be "
        "checked (verdict 'not vetted'): unknown, never shown as good."
    )
    verdict: VerdictName
    reasons: list[Reason] = Field(
        description="Red flags first, the largest first; a creator not vetted has one, "
        "not_vetted, naming the evidence that is missing."
    )
    unavailable: list[str] = Field(description="'signal: why' for each signal not computed.")
    signals_checked: int = Field(description="How many signals could be computed.")
    fake_followers: FakeFollowers | None = Field(
        description="Null when the creator has no audience sample."
    )


def _fake_followers(fake: FakeShare | None, method: str) -> FakeFollowers | None:
    if fake is None or not fake.n:
        return None
    return FakeFollowers(
        share=fake.share,
        ci_low=fake.ci_low,
        ci_high=fake.ci_high,
        sample_n=fake.n,
        flagged_followers=fake.flagged,
        method=method,
    )


def vet_report(
    platform: str, creator_id: str, evidence: CreatorEvidence, assessment: Assessment
) -> VetReport:
    """The report of one creator's assessment, with the evidence it was judged on."""
    return VetReport(
        platform=platform,
        creator_id=creator_id,
        handle=evidence.handle,
        followers=evidence.followers,
        audience_quality=assessment.score,
        verdict=assessment.verdict,
        reasons=[Reason.model_validate(r.as_dict()) for r in assessment.reasons],
        unavailable=[str(u) for u in assessment.unavailable],
        signals_checked=assessment.checked,
        fake_followers=_fake_followers(evidence.fake, evidence.fake_method),
    )


__all__ = ["EvidenceValue", "FakeFollowers", "Reason", "VerdictName", "VetReport", "vet_report"]
