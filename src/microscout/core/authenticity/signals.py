"""Creator-level authenticity signals: one pure function per signal, each with its threshold.

Every signal reads a :class:`CreatorEvidence` and the :class:`AuthenticityParams` (filled from the
settings) and returns a :class:`Reason` when it fires, an :class:`Unavailable` when its input is
missing (so a missing input is never mistaken for a clean result), or ``None`` when it was checked
and found nothing. The points each reason takes off the 100-point score are in ``POINTS``; how the
score and the verdict are combined is in ``quality.py``. Documented in ``docs/authenticity.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from microscout.core.authenticity.comments import (
    CommentEvidence,
    PodEvidence,
    RingEvidence,
    RingParams,
)
from microscout.core.authenticity.followers import FakeShare

# Points each red flag takes off the score (fake_followers scales with the share instead).
POINTS = {
    "follower_spike": 20,
    "engagement_low": 15,
    "comment_like_ratio": 10,
    "generic_comments": 10,
    "engagement_pod": 25,
    "following_change": 10,
    "inactive": 15,
    "low_reach": 15,
    "below_reach_gate": 5,
}
# fake_followers takes one point per percentage point of estimated fakes above FAKE_BACKGROUND
# (organic audiences hold some abandoned and spam accounts too), at most FAKE_POINTS_MAX, and
# only once the interval's lower end is above the background: a sample that cannot tell the
# creator from an organic audience takes nothing and raises no flag.
FAKE_BACKGROUND = 0.10
FAKE_POINTS_MAX = 60


@dataclass(frozen=True)
class AuthenticityParams:
    """Thresholds of the signals and the verdict; each is a setting (``auth_*``)."""

    fake_share_flag: float = 0.25
    follower_threshold: float = 0.5
    min_audience_sample: int = 20
    confidence: float = 0.95
    engagement_norm_ratio: float = 0.4
    min_norm_creators: int = 30
    comment_like_factor: float = 3.0
    generic_comment_share: float = 0.8
    min_comments: int = 20
    pod_min_partners: int = 3
    pod_min_share: float = 0.15
    ring_min_creators: int = 5
    ring_min_comments: int = 5
    ring_min_stock_share: float = 0.8
    ring_min_share: float = 0.30
    following_change_share: float = 0.5
    following_change_min: int = 200
    inactive_days: float = 90.0
    low_reach_rate: float = 0.06
    reach_gate: float = 0.10
    verdict_ok: float = 75.0
    verdict_high_risk: float = 50.0

    @property
    def ring(self) -> RingParams:
        return RingParams(self.ring_min_creators, self.ring_min_comments, self.ring_min_stock_share)


@dataclass(frozen=True)
class FollowingChange:
    """The largest week-over-week change in accounts followed, from follower snapshots."""

    before: int
    after: int
    on: date

    @property
    def relative(self) -> float:
        return (self.after - self.before) / self.before if self.before > 0 else math.inf


@dataclass(frozen=True)
class Norm:
    """A population median a creator is compared with, and how many creators it comes from."""

    value: float
    n: int
    group: str  # e.g. "micro instagram creators"


@dataclass(frozen=True)
class CreatorEvidence:
    """Everything the signals read about one creator; None means not known."""

    handle: str
    platform: str
    followers: int | None = None
    fake: FakeShare | None = None
    fake_method: str = "rules"
    snapshots_n: int | None = None
    spike_flag: bool | None = None
    spike_gain: int | None = None
    spike_date: date | None = None
    spike_ratio: float | None = None
    following_change: FollowingChange | None = None
    er_median: float | None = None
    er_n: int | None = None
    er_norm: Norm | None = None
    comment_like_ratio: float | None = None
    comment_like_norm: Norm | None = None
    n_posts_window: int | None = None
    comments: CommentEvidence | None = None
    pod: PodEvidence | None = None
    ring: RingEvidence | None = None
    days_since_last_post: float | None = None
    reach_rate: float | None = None
    reach_n: int | None = None


@dataclass(frozen=True)
class Reason:
    """Why the score moved: ``points`` is negative for a red flag; ``flag`` marks a red flag."""

    code: str
    points: int
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    flag: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "points": self.points,
            "flag": self.flag,
            "message": self.message,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Unavailable:
    """A signal that could not be computed, and why."""

    signal: str
    why: str

    def __str__(self) -> str:
        return f"{self.signal}: {self.why}"


Finding = Reason | Unavailable | None
Signal = Callable[[CreatorEvidence, AuthenticityParams], Finding]

# The findings of evidence that is simply absent, made once: most creators lack some evidence
# (no audience sample, no snapshots), and scoring meets these for every one of them.
_NO_AUDIENCE_SAMPLE = Unavailable("fake_followers", "no audience sample")
_NO_LIKED_POSTS = Unavailable("engagement_low", "no window posts with visible likes")
_NO_LIKES_AND_COMMENTS = Unavailable(
    "comment_like_ratio", "no window posts with likes and comments"
)
_NO_COMMENT_TEXTS = Unavailable("generic_comments", "no comment texts in the sample")
_NO_COMMENT_SAMPLE = Unavailable("engagement_pod", "no comment sample")
_NO_POSTS = Unavailable("inactive", "no posts")
_NO_REACH = Unavailable("low_reach", "no reach or views on window posts")
_NO_SNAPSHOTS = Unavailable("follower_spike", "no follower snapshots")
_NO_FOLLOWING_SNAPSHOTS = Unavailable("following_change", "no follower snapshots")


def _pct(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}%}"


def fake_followers(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """The estimated fake share of the audience sample; a red flag from ``fake_share_flag``."""
    fake = ev.fake
    if fake is None or fake.n == 0:
        return _NO_AUDIENCE_SAMPLE
    if fake.n < p.min_audience_sample:
        return Unavailable(
            "fake_followers",
            f"only {fake.n} followers sampled (at least {p.min_audience_sample} needed)",
        )
    above_background = fake.ci_low > FAKE_BACKGROUND
    points = (
        -min(FAKE_POINTS_MAX, max(0, round(100 * (fake.share - FAKE_BACKGROUND))))
        if above_background
        else 0
    )
    flag = above_background and fake.share >= p.fake_share_flag
    organic = (
        ""
        if above_background
        else f"; within what an organic audience holds (up to {_pct(FAKE_BACKGROUND, 0)})"
    )
    message = (
        f"an estimated {_pct(fake.share, 0)} of followers are fake "
        f"({p.confidence:.0%} CI {_pct(fake.ci_low, 0)}–{_pct(fake.ci_high, 0)}, "
        f"{fake.n} sampled followers, {ev.fake_method}); {fake.flagged} of {fake.n} look fake"
        f"{organic}"
    )
    evidence = {
        "share": round(fake.share, 4),
        "ci_low": round(fake.ci_low, 4),
        "ci_high": round(fake.ci_high, 4),
        "mean_probability": None if fake.raw_mean is None else round(fake.raw_mean, 4),
        "sample_n": fake.n,
        "flagged_followers": fake.flagged,
        "method": ev.fake_method,
        "background": FAKE_BACKGROUND,
        "flag_at": p.fake_share_flag,
    }
    return Reason("fake_followers", points, message, evidence, flag)


def follower_spike(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """A weekly follower gain far above the creator's norm (the scoring stage's spike_flag)."""
    if ev.spike_flag is None:
        if not ev.snapshots_n:
            return _NO_SNAPSHOTS
        return Unavailable("follower_spike", _snapshots_missing(ev))
    if not ev.spike_flag:
        return None
    gain = ev.spike_gain or 0
    ratio = ev.spike_ratio or math.nan
    when = ev.spike_date.isoformat() if ev.spike_date else "an unknown date"
    message = f"+{gain:,} followers in the week to {when}, {ratio:,.0f}× the weekly norm"
    evidence = {"gain_per_week": gain, "date": when, "ratio_to_norm": round(ratio, 2)}
    return Reason("follower_spike", -POINTS["follower_spike"], message, evidence)


def following_change(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """A sudden jump or drop in accounts followed (follow/unfollow schemes)."""
    if not ev.snapshots_n:
        return _NO_FOLLOWING_SNAPSHOTS
    if ev.snapshots_n < 2 or ev.following_change is None:
        return Unavailable("following_change", _snapshots_missing(ev, "following counts"))
    change = ev.following_change
    delta = change.after - change.before
    if abs(delta) < p.following_change_min or abs(change.relative) < p.following_change_share:
        return None
    message = (
        f"following went from {change.before:,} to {change.after:,} in the week to "
        f"{change.on.isoformat()} ({delta:+,}, {change.relative:+.0%})"
    )
    evidence = {
        "before": change.before,
        "after": change.after,
        "date": change.on.isoformat(),
        "relative": round(change.relative, 4) if math.isfinite(change.relative) else None,
    }
    return Reason("following_change", -POINTS["following_change"], message, evidence)


def _snapshots_missing(ev: CreatorEvidence, what: str = "follower counts") -> str:
    if not ev.snapshots_n:
        return "no follower snapshots"
    return f"only {ev.snapshots_n} snapshot(s) of {what} (at least 3 needed)"


def engagement_low(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """Median engagement rate far below the median of the creator's tier and platform."""
    if ev.er_median is None:
        return _NO_LIKED_POSTS
    norm = ev.er_norm
    if norm is None or norm.n < p.min_norm_creators or norm.value <= 0:
        size = norm.n if norm else 0
        return Unavailable(
            "engagement_low",
            f"only {size} comparable creators to form a norm (at least {p.min_norm_creators})",
        )
    ratio = ev.er_median / norm.value
    if ratio >= p.engagement_norm_ratio:
        return None
    message = (
        f"engagement rate {_pct(ev.er_median, 2)} over {ev.er_n or 0} posts is {ratio:.1f}× the "
        f"{_pct(norm.value, 2)} median of {norm.n:,} {norm.group}"
    )
    evidence = {
        "er_median": round(ev.er_median, 5),
        "er_n": ev.er_n,
        "norm": round(norm.value, 5),
        "norm_creators": norm.n,
        "group": norm.group,
        "ratio": round(ratio, 3),
        "flag_below": p.engagement_norm_ratio,
    }
    return Reason("engagement_low", -POINTS["engagement_low"], message, evidence)


def comment_like_ratio(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """Comments per like far above (pods, bought comments) or below (bought likes) the norm."""
    if ev.comment_like_ratio is None:
        return _NO_LIKES_AND_COMMENTS
    norm = ev.comment_like_norm
    if norm is None or norm.n < p.min_norm_creators or norm.value <= 0:
        size = norm.n if norm else 0
        return Unavailable(
            "comment_like_ratio",
            f"only {size} comparable creators to form a norm (at least {p.min_norm_creators})",
        )
    ratio = ev.comment_like_ratio / norm.value
    factor = p.comment_like_factor
    if 1 / factor < ratio < factor:
        return None
    direction = "above" if ratio >= factor else "below"
    shown = f"{ratio:.1f}×" if ratio >= 1 else f"1/{1 / max(ratio, 1e-9):.0f}"
    message = (
        f"{ev.comment_like_ratio:.3f} comments per like over {ev.n_posts_window or 0} posts, "
        f"{shown} the {norm.value:.3f} median of {norm.n:,} {norm.group} ({direction} pattern)"
    )
    evidence = {
        "comment_like_ratio": round(ev.comment_like_ratio, 5),
        "posts": ev.n_posts_window,
        "norm": round(norm.value, 5),
        "norm_creators": norm.n,
        "group": norm.group,
        "ratio": round(ratio, 3),
        "direction": direction,
    }
    return Reason("comment_like_ratio", -POINTS["comment_like_ratio"], message, evidence)


def generic_comments(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """A high share of generic, emoji-only or duplicated comments in the comment sample."""
    c = ev.comments
    if c is None or c.comments_n == 0:
        return _NO_COMMENT_TEXTS
    if c.comments_n < p.min_comments:
        return Unavailable(
            "generic_comments",
            f"only {c.comments_n} sampled comments with text (at least {p.min_comments})",
        )
    if c.generic_share < p.generic_comment_share:
        return None
    top = f"; '{c.top_duplicate}' appears {c.top_duplicate_n} times" if c.top_duplicate else ""
    message = (
        f"{c.generic_n} of {c.comments_n} sampled comments ({_pct(c.generic_share, 0)}) are "
        f"generic, emoji-only or duplicated{top}"
    )
    evidence = {
        "comments_n": c.comments_n,
        "generic_n": c.generic_n,
        "emoji_only_n": c.emoji_only_n,
        "duplicate_n": c.duplicate_n,
        "top_duplicate": c.top_duplicate,
        "top_duplicate_n": c.top_duplicate_n,
        "flag_at": p.generic_comment_share,
    }
    return Reason("generic_comments", -POINTS["generic_comments"], message, evidence)


def engagement_pod(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """A pod's comments: creators commenting on each other (reciprocal commenters), or accounts
    pasting stock comments under many creators (ring accounts), writing a real share of the
    creator's sampled comments."""
    pod = ev.pod
    if pod is None or pod.comments_n == 0:
        return _NO_COMMENT_SAMPLE
    if pod.comments_n < p.min_comments:
        return Unavailable(
            "engagement_pod",
            f"only {pod.comments_n} sampled audience comments (at least {p.min_comments})",
        )
    reciprocal = len(pod.partners) >= p.pod_min_partners and pod.share >= p.pod_min_share
    ring = ev.ring
    ringed = (
        ring is not None
        and len(ring.accounts) >= p.pod_min_partners
        and ring.share >= p.ring_min_share
    )
    if not reciprocal and not ringed:
        return None
    parts: list[str] = []
    evidence: dict[str, Any] = {
        "comments_n": pod.comments_n,
        "flag_at": {
            "accounts": p.pod_min_partners,
            "share": p.pod_min_share,
            "ring_creators": p.ring_min_creators,
            "ring_comments": p.ring_min_comments,
            "ring_stock_share": p.ring_min_stock_share,
            "ring_share": p.ring_min_share,
        },
    }
    if reciprocal:
        parts.append(_reciprocal_text(pod))
        evidence.update(
            partners=list(pod.partners),
            partner_comments=pod.partner_comments,
            share=round(pod.share, 4),
            pod_size=pod.pod_size,
        )
    if ring is not None and ringed:
        parts.append(_ring_text(ring))
        evidence.update(
            ring_accounts=[
                {
                    "handle": a.handle,
                    "comments_here": n,
                    "comments": a.comments,
                    "creators": a.creators,
                    "stock_share": round(a.stock_share, 4),
                }
                for a, n in zip(ring.accounts, ring.comments_here, strict=True)
            ],
            ring_comments=ring.ring_comments,
            ring_share=round(ring.share, 4),
        )
    return Reason("engagement_pod", -POINTS["engagement_pod"], "; ".join(parts), evidence)


def _handles(handles: list[str]) -> str:
    shown = ", ".join("@" + h for h in handles[:3])
    return shown + (f" and {len(handles) - 3} more" if len(handles) > 3 else "")


def _reciprocal_text(pod: PodEvidence) -> str:
    return (
        f"{pod.partner_comments} of {pod.comments_n} sampled comments ({_pct(pod.share, 0)}) come "
        f"from {len(pod.partners)} creators whose posts this creator comments on in return "
        f"({_handles(list(pod.partners))}); a group of {pod.pod_size} creators commenting on "
        "each other"
    )


def _ring_text(ring: RingEvidence) -> str:
    top = ring.accounts[0]
    return (
        f"{ring.ring_comments} of {ring.comments_n} sampled comments ({_pct(ring.share, 0)}) come "
        f"from {len(ring.accounts)} accounts that paste short stock comments under many creators "
        f"({_handles([a.handle for a in ring.accounts])}; @{top.handle} wrote {top.comments} "
        f"comments on {top.creators} creators, {_pct(top.stock_share, 0)} of them stock)"
    )


def inactive(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """No post for longer than ``inactive_days``."""
    if ev.days_since_last_post is None:
        return _NO_POSTS
    days = ev.days_since_last_post
    if days <= p.inactive_days:
        return None
    message = f"no post for {days:,.0f} days (more than {p.inactive_days:,.0f})"
    evidence = {"days_since_last_post": round(days, 1), "flag_after_days": p.inactive_days}
    return Reason("inactive", -POINTS["inactive"], message, evidence)


def reach(ev: CreatorEvidence, p: AuthenticityParams) -> Finding:
    """Median reach rate below the gate; far below (``low_reach_rate``) is a stronger flag."""
    if ev.reach_rate is None:
        return _NO_REACH
    rate = ev.reach_rate
    if rate >= p.reach_gate:
        return None
    far = rate < p.low_reach_rate
    code = "low_reach" if far else "below_reach_gate"
    message = (
        f"median reach {_pct(rate)} of followers over {ev.reach_n or 0} posts, "
        f"{'far ' if far else ''}below the {_pct(p.reach_gate, 0)} gate"
    )
    evidence = {
        "reach_rate": round(rate, 5),
        "reach_n": ev.reach_n,
        "gate": p.reach_gate,
        "far_below": p.low_reach_rate,
    }
    return Reason(code, -POINTS[code], message, evidence)


SIGNALS: tuple[Signal, ...] = (
    fake_followers,
    follower_spike,
    following_change,
    engagement_low,
    comment_like_ratio,
    generic_comments,
    engagement_pod,
    inactive,
    reach,
)

__all__ = [
    "FAKE_BACKGROUND",
    "FAKE_POINTS_MAX",
    "POINTS",
    "SIGNALS",
    "AuthenticityParams",
    "CreatorEvidence",
    "Finding",
    "FollowingChange",
    "Norm",
    "Reason",
    "Unavailable",
    "comment_like_ratio",
    "engagement_low",
    "engagement_pod",
    "fake_followers",
    "follower_spike",
    "following_change",
    "generic_comments",
    "inactive",
    "reach",
]
