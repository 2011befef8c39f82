"""The audience quality score: 100 minus the points each finding takes, with its reasons.

``score = clamp(100 + Σ reason.points, 0, 100)``; each reason's points are in
``signals.POINTS`` (the fake-follower reason takes 100 × the estimated share, at most
``FAKE_POINTS_MAX``). The verdict: ``ok`` at or above ``verdict_ok``, ``high risk`` below
``verdict_high_risk``, ``caution`` between. Signals that could not be computed are listed, never
scored as clean in silence, and a creator with fewer than ``MIN_CHECKED_FOR_OK`` signals checked
is at best ``caution``: too little was seen to call the audience fine.

A creator on whom no signal could be checked has no score at all (None, never 100) and the
verdict ``not vetted``, with one information reason (``NOT_VETTED``) naming the evidence that
is missing: 100 there would only mean that nothing was looked at.
"""

from __future__ import annotations

import functools
import json
import types
from dataclasses import dataclass

from microscout.core.authenticity.signals import (
    SIGNALS,
    AuthenticityParams,
    CreatorEvidence,
    Reason,
    Unavailable,
)

NOT_VETTED = "not vetted"
VERDICTS = ("ok", "caution", "high risk", NOT_VETTED)
MIN_CHECKED_FOR_OK = 5
# The evidence each signal reads, named as a reader would look for it, in the order a missing
# piece is named ("not enough evidence: no audience sample, no comments, no snapshots, no posts").
EVIDENCE = ("audience sample", "comments", "snapshots", "posts")
EVIDENCE_OF = types.MappingProxyType(
    {
        "fake_followers": "audience sample",
        "generic_comments": "comments",
        "engagement_pod": "comments",
        "follower_spike": "snapshots",
        "following_change": "snapshots",
        "engagement_low": "posts",
        "comment_like_ratio": "posts",
        "inactive": "posts",
        "low_reach": "posts",
    }
)


@dataclass(frozen=True)
class Assessment:
    """One creator's audience quality: score, verdict, reasons and what could not be checked.

    ``score`` is None when nothing could be checked (verdict ``not vetted``).
    """

    score: float | None
    verdict: str
    reasons: tuple[Reason, ...]
    unavailable: tuple[Unavailable, ...]
    checked: int  # signals computed (fired or not)

    @property
    def flags(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.flag)

    @property
    def vetted(self) -> bool:
        return self.verdict != NOT_VETTED

    def reasons_json(self) -> str:
        return json.dumps([r.as_dict() for r in self.reasons], ensure_ascii=False)

    def unavailable_text(self) -> str | None:
        return "; ".join(str(u) for u in self.unavailable) or None


def verdict_for(
    score: float | None, params: AuthenticityParams, checked: int = len(SIGNALS)
) -> str:
    if score is None or checked == 0:
        return NOT_VETTED
    if score < params.verdict_high_risk:
        return "high risk"
    if score < params.verdict_ok or checked < MIN_CHECKED_FOR_OK:
        return "caution"
    return "ok"


def missing_evidence(unavailable: tuple[Unavailable, ...]) -> tuple[str, ...]:
    """What is missing, per kind of evidence none of whose signals could be checked: "no
    comments" when there are none, else why the kind fell short ("only 12 followers sampled
    (at least 20 needed)")."""
    whys: dict[str, list[str]] = {}
    for u in unavailable:
        whys.setdefault(EVIDENCE_OF.get(u.signal, u.signal), []).append(u.why)
    out = []
    for kind in (*EVIDENCE, *(k for k in whys if k not in EVIDENCE)):
        found = whys.get(kind)
        if found:
            short = [w for w in found if not w.startswith("no ")]
            out.append(short[0] if short else f"no {kind}")
    return tuple(out)


def not_vetted_reason(unavailable: tuple[Unavailable, ...]) -> Reason:
    """The information reason of a creator nothing could be checked on."""
    missing = missing_evidence(unavailable)
    return Reason(
        "not_vetted",
        0,
        "not enough evidence: " + ", ".join(missing),
        {"signals_checked": 0, "missing": list(missing)},
        flag=False,
    )


# Bounded: the combinations of missing evidence are few (23 among Kim's 33,935 creators).
@functools.lru_cache(maxsize=256)
def not_vetted(unavailable: tuple[Unavailable, ...]) -> Assessment:
    """The assessment of a creator none of whose signals could be checked.

    Made once per combination of missing evidence and shared by every creator short of the
    same (a third of a real store: 10,882 of Kim's 33,935 creators), so it must not be changed.
    """
    return Assessment(None, NOT_VETTED, (not_vetted_reason(unavailable),), unavailable, 0)


def assess(evidence: CreatorEvidence, params: AuthenticityParams) -> Assessment:
    """Run every signal on one creator and combine what they found."""
    reasons: list[Reason] = []
    unavailable: list[Unavailable] = []
    for signal in SIGNALS:
        found = signal(evidence, params)
        if isinstance(found, Reason):
            reasons.append(found)
        elif isinstance(found, Unavailable):
            unavailable.append(found)
    checked = len(SIGNALS) - len(unavailable)
    if checked == 0:
        return not_vetted(tuple(unavailable))
    score = float(min(100, max(0, 100 + sum(r.points for r in reasons))))
    # Red flags first, the largest first: the order a reader should act on them.
    reasons.sort(key=lambda r: (not r.flag, r.points))
    verdict = verdict_for(score, params, checked)
    return Assessment(score, verdict, tuple(reasons), tuple(unavailable), checked)


__all__ = [
    "EVIDENCE",
    "EVIDENCE_OF",
    "MIN_CHECKED_FOR_OK",
    "NOT_VETTED",
    "VERDICTS",
    "Assessment",
    "assess",
    "missing_evidence",
    "not_vetted",
    "not_vetted_reason",
    "verdict_for",
]
