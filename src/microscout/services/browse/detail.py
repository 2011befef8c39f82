"""One creator as it is answered: typed end to end, from the browse service to ``show --json`` and
the API schema (one declaration documents both, so the two cannot drift apart).

``None`` means unknown, never 0; every metric carries its meaning, sample size and window
(docs/metrics.md has the formulas).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from microscout.adapters.warehouse import Warehouse
from microscout.services.browse.creators import Profile, creator_profile, explained_scores


class Metric(BaseModel):
    """One stored metric with what a reader needs to trust it."""

    model_config = ConfigDict(frozen=True)

    name: str
    # date beside datetime: a day (spike_date) stays a day rather than a midnight timestamp.
    value: float | int | bool | str | datetime | date | None
    meaning: str = Field(description="What the number is; formulas in docs/metrics.md.")
    sample_size: int | None
    sample_column: str | None
    window: str | None


class Post(BaseModel):
    """One of the creator's latest posts, caption cut to 80 characters, and its public link."""

    model_config = ConfigDict(frozen=True)

    posted_at: datetime | None
    media_type: str | None
    likes: int | None
    comments: int | None
    views: int | None
    reach: int | None
    is_sponsored: bool | None
    caption: str | None
    permalink: str | None = Field(None, description="Public URL of the post, when imported.")


class CreatorDetail(BaseModel):
    """A creator's profile, every stored metric explained, and the latest posts."""

    model_config = ConfigDict(frozen=True)

    platform: str
    creator_id: str
    handle: str
    display_name: str | None
    followers: int | None
    following: int | None
    country: str | None
    language: str | None
    bio: str | None
    other_platforms: list[str]
    scored: bool
    run_id: str | None
    metrics: list[Metric]
    null_reasons: list[str]
    recent_posts: list[Post]


def detail_of(profile: Profile) -> CreatorDetail:
    """The typed detail of a profile already read (no second read of the warehouse)."""
    c, scores = profile.creator, profile.scores
    metrics = explained_scores(scores) if scores else []
    return CreatorDetail(
        platform=c["platform"],
        creator_id=c["creator_id"],
        handle=c["handle"],
        display_name=c.get("display_name"),
        followers=c.get("followers"),
        following=c.get("following"),
        country=c.get("country"),
        language=c.get("language"),
        bio=c.get("bio"),
        other_platforms=profile.other_platforms,
        scored=scores is not None,
        run_id=scores.get("run_id") if scores else None,
        metrics=[Metric.model_validate(m.as_dict()) for m in metrics],
        null_reasons=list(scores.get("null_reasons") or []) if scores else [],
        recent_posts=[Post.model_validate(p) for p in profile.recent_posts],
    )


def creator_detail(warehouse: Warehouse, handle: str, platform: str | None = None) -> CreatorDetail:
    """One creator's profile, explained metrics and latest posts (``creator_profile``, typed)."""
    return detail_of(creator_profile(warehouse, handle, platform))


__all__ = ["CreatorDetail", "Metric", "Post", "creator_detail", "detail_of"]
