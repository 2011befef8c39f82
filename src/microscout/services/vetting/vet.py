"""Vetting one creator: the audience quality verdict, its reasons and the signals unavailable.

``vet`` gathers one creator's evidence (``services.vetting.evidence``), judges it with the core
formulas (``core/authenticity``) and answers a typed ``VetReport`` (``services.vetting.report``).
While the latest scoring run is current (no import since) and judged under the same thresholds and
follower model (``judgement_fingerprint``, recorded with the run), the judgement that run stored is
the answer: the same function made it from the same evidence, and reading it back skips gathering
the evidence again; ``stored_verdict`` reads back the verdict the scoring stage
(``services.vetting.stage``) stored for every creator, so a profile page need not judge again.
``authenticity_params`` turns the settings into the thresholds both use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.vetting import Key, stored_judgement
from microscout.config import Settings
from microscout.core.authenticity.model import FollowerModel
from microscout.core.authenticity.quality import assess
from microscout.core.authenticity.signals import SIGNALS, AuthenticityParams
from microscout.errors import NotFoundError
from microscout.services.browse.creators import find_creator
from microscout.services.vetting.report import FakeFollowers, Reason, VetReport, vet_report

# The key of a scoring run's recorded settings that names how it judged audiences.
JUDGEMENT = "authenticity"


def authenticity_params(
    settings: Settings, reach_gate: float | None = None, confidence: float | None = None
) -> AuthenticityParams:
    """The signal thresholds the settings ask for."""
    return AuthenticityParams(
        fake_share_flag=settings.auth_fake_share_flag,
        min_audience_sample=settings.auth_min_audience_sample,
        confidence=confidence if confidence is not None else settings.ci_confidence,
        engagement_norm_ratio=settings.auth_engagement_norm_ratio,
        min_norm_creators=settings.auth_min_norm_creators,
        comment_like_factor=settings.auth_comment_like_factor,
        generic_comment_share=settings.auth_generic_comment_share,
        min_comments=settings.auth_min_comments,
        pod_min_partners=settings.auth_pod_min_partners,
        pod_min_share=settings.auth_pod_min_share,
        ring_min_creators=settings.auth_ring_min_creators,
        ring_min_comments=settings.auth_ring_min_comments,
        ring_min_stock_share=settings.auth_ring_min_stock_share,
        ring_min_share=settings.auth_ring_min_share,
        following_change_share=settings.auth_following_change_share,
        following_change_min=settings.auth_following_change_min,
        inactive_days=settings.auth_inactive_days,
        low_reach_rate=settings.auth_low_reach_rate,
        reach_gate=reach_gate if reach_gate is not None else settings.reach_gate,
        verdict_ok=settings.auth_verdict_ok,
        verdict_high_risk=settings.auth_verdict_high_risk,
    )


def judgement_fingerprint(params: AuthenticityParams, model_identity: str) -> str:
    """What decides a verdict besides the evidence: the thresholds and the follower model
    (``FollowerModelStore.identity``), as one short hash a scoring run records."""
    text = json.dumps([dataclasses.asdict(params), model_identity], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def vet(
    warehouse: Warehouse,
    settings: Settings,
    handle: str,
    platform: str | None = None,
    *,
    model: FollowerModel | None,
    model_identity: str | None = None,
) -> VetReport:
    """Vet one creator by handle: score, verdict, reasons with evidence, unavailable signals.

    ``model`` is the trained fake-follower model (``bootstrap.Adapters.follower_model``), or None
    to judge the audience sample by the documented rules. With ``model_identity`` (the model
    store's ``identity``), a current scoring run's stored judgement is answered when it was made
    the same way (module docstring); without it the evidence is always judged again.
    """
    creator = find_creator(warehouse, handle, platform)
    key: Key = (creator["platform"], creator["creator_id"])
    params = authenticity_params(settings)
    if model_identity is not None:
        stored = stored_report(warehouse, key, judgement_fingerprint(params, model_identity))
        if stored is not None:
            return stored
    # here: the evidence reads Ibis expressions, which a stored judgement does not need
    from microscout.services.vetting.evidence import gather_evidence

    found = gather_evidence(warehouse, model, params, key)
    if not found:
        raise NotFoundError(
            f"@{creator['handle']} on {key[0]} is not scored yet: run `microscout score`"
        )
    evidence = found[0][1]
    assessment = assess(evidence, params)
    return vet_report(key[0], key[1], evidence, assessment)


def stored_report(warehouse: Warehouse, key: Key, fingerprint: str) -> VetReport | None:
    """The report the current scoring run stored for ``key`` when it judged as ``fingerprint``
    says, else None (stale, judged otherwise, or a figure the columns do not hold)."""
    row = stored_judgement(warehouse, key)
    if row is None or not row["current"]:
        return None
    if json.loads(row["run_settings"] or "{}").get(JUDGEMENT) != fingerprint:
        return None
    verdict = stored_verdict(row)
    if verdict is None:
        return None
    reasons = [Reason.model_validate(r) for r in verdict["reasons"]]
    fake = None
    if verdict["fake_followers"] is not None:
        # How many sampled followers look fake, and by which method, are in the reason only.
        found = next((r.evidence for r in reasons if r.code == "fake_followers"), {})
        flagged, method = found.get("flagged_followers"), found.get("method")
        if not isinstance(flagged, int) or not isinstance(method, str):
            return None
        fake = FakeFollowers(**verdict["fake_followers"], flagged_followers=flagged, method=method)
    return VetReport(
        platform=key[0],
        creator_id=key[1],
        handle=str(verdict["handle"] or key[1]),
        followers=row["followers"],
        audience_quality=verdict["audience_quality"],
        verdict=verdict["verdict"],
        reasons=reasons,
        unavailable=verdict["unavailable"],
        signals_checked=len(SIGNALS) - len(verdict["unavailable"]),
        fake_followers=fake,
    )


def stored_verdict(scores: dict[str, Any]) -> dict[str, Any] | None:
    """The verdict the scoring run stored in a creator_scores row, shaped like a part of
    ``VetReport`` (without re-reading the evidence); None when the row has none. A creator
    ``not vetted`` has a verdict and no audience quality (None)."""
    if scores.get("authenticity_verdict") is None:
        return None
    fake = None
    if scores.get("fake_follower_share") is not None:
        fake = {
            "share": scores["fake_follower_share"],
            "ci_low": scores["fake_follower_ci_low"],
            "ci_high": scores["fake_follower_ci_high"],
            "sample_n": scores.get("audience_sample_n") or 0,
        }
    unavailable = str(scores.get("authenticity_unavailable") or "")
    return {
        "handle": scores.get("handle"),
        "audience_quality": scores.get("audience_quality"),
        "verdict": scores["authenticity_verdict"],
        "reasons": json.loads(scores.get("audience_quality_reasons") or "[]"),
        "unavailable": [u for u in unavailable.split("; ") if u],
        "fake_followers": fake,
    }


__all__ = [
    "JUDGEMENT",
    "VetReport",
    "authenticity_params",
    "judgement_fingerprint",
    "stored_report",
    "stored_verdict",
    "vet",
]
