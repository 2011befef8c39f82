"""The audience quality score: 100 minus the points each finding takes, with its reasons.

``score = clamp(100 + Σ reason.points, 0, 100)``; each reason's points are in
``signals.POINTS`` (the fake-follower reason takes 100 × the estimated share, at most
``FAKE_POINTS_MAX``). The verdict: ``ok`` at or above ``verdict_ok``, ``high risk`` below
``verdict_high_risk``, ``caution`` between. Signals that could not be computed are listed, never
scored as clean in silence, and a creator with fewer than ``MIN_CHECKED_FOR_OK`` signals checked
is at best ``caution``: too little was seen to call the audience fine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from microscout.core.authenticity.signals import (
    SIGNALS,
    AuthenticityParams,
    CreatorEvidence,
    Reason,
    Unavailable,
)

VERDICTS = ("ok", "caution", "high risk")
MIN_CHECKED_FOR_OK = 5


@dataclass(frozen=True)
class Assessment:
    """One creator's audience quality: score, verdict, reasons and what could not be checked."""

    score: float
    verdict: str
    reasons: tuple[Reason, ...]
    unavailable: tuple[Unavailable, ...]
    checked: int  # signals computed (fired or not)

    @property
    def flags(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.flag)

    def reasons_json(self) -> str:
        return json.dumps([r.as_dict() for r in self.reasons], ensure_ascii=False)

    def unavailable_text(self) -> str | None:
        return "; ".join(str(u) for u in self.unavailable) or None


def verdict_for(score: float, params: AuthenticityParams, checked: int = len(SIGNALS)) -> str:
    if score < params.verdict_high_risk:
        return "high risk"
    if score < params.verdict_ok or checked < MIN_CHECKED_FOR_OK:
        return "caution"
    return "ok"


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
    score = float(min(100, max(0, 100 + sum(r.points for r in reasons))))
    # Red flags first, the largest first: the order a reader should act on them.
    reasons.sort(key=lambda r: (not r.flag, r.points))
    checked = len(SIGNALS) - len(unavailable)
    verdict = verdict_for(score, params, checked)
    return Assessment(score, verdict, tuple(reasons), tuple(unavailable), checked)


__all__ = ["MIN_CHECKED_FOR_OK", "VERDICTS", "Assessment", "assess", "verdict_for"]
