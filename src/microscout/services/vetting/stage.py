"""The authenticity scoring stage: every scored creator's audience quality, verdict and reasons.

It runs during ``microscout score`` after the SQL metrics (it reads their tier norms) and before
pricing (fees read the audience's real share from it), filling the authenticity columns of
``creator_scores`` with the same judgement ``vet`` gives one creator.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.compiled import CompiledSql
from microscout.config import Settings
from microscout.core.authenticity.model import FollowerModel
from microscout.core.authenticity.quality import assess
from microscout.core.authenticity.signals import AuthenticityParams, CreatorEvidence, Unavailable
from microscout.core.metrics import MetricParams
from microscout.services.scoring.stage import NamedStage, Stage
from microscout.services.vetting.evidence import Key, gather_evidence
from microscout.services.vetting.vet import authenticity_params

STAGE_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("creator_id", pa.string()),
        ("audience_quality", pa.float64()),
        ("audience_quality_reasons", pa.string()),
        ("fake_follower_share", pa.float64()),
        ("fake_follower_ci_low", pa.float64()),
        ("fake_follower_ci_high", pa.float64()),
        ("audience_sample_n", pa.int64()),
        ("authenticity_verdict", pa.string()),
        ("authenticity_unavailable", pa.string()),
    ]
)


def assess_all(
    warehouse: Warehouse,
    settings: Settings,
    model: FollowerModel | None,
    reach_gate: float,
    confidence: float,
    compiled: CompiledSql | None = None,
) -> pa.Table:
    """The authenticity columns of creator_scores for every scored creator."""
    params = authenticity_params(settings, reach_gate, confidence)
    return judged(gather_evidence(warehouse, model, params, compiled=compiled), params)


def judged(found: Iterable[tuple[Key, CreatorEvidence]], params: AuthenticityParams) -> pa.Table:
    """The authenticity columns (``STAGE_SCHEMA``) of each creator's assessed evidence."""
    rows: dict[str, list[Any]] = {name: [] for name in STAGE_SCHEMA.names}
    # Creators short of the same evidence share its text: Kim's 33,935 creators have 23
    # combinations of unavailable signals, and its 10,882 not vetted creators one judgement.
    unavailable_texts: dict[tuple[Unavailable, ...], str | None] = {}
    not_vetted_reasons: dict[tuple[Unavailable, ...], str] = {}
    for (platform, creator_id), evidence in found:
        a = assess(evidence, params)
        if a.unavailable not in unavailable_texts:
            unavailable_texts[a.unavailable] = a.unavailable_text()
        if a.vetted:
            reasons = a.reasons_json()
        elif a.unavailable in not_vetted_reasons:
            reasons = not_vetted_reasons[a.unavailable]
        else:
            reasons = not_vetted_reasons[a.unavailable] = a.reasons_json()
        fake = evidence.fake if evidence.fake is not None and evidence.fake.n else None
        rows["platform"].append(platform)
        rows["creator_id"].append(creator_id)
        rows["audience_quality"].append(a.score)
        rows["audience_quality_reasons"].append(reasons)
        rows["fake_follower_share"].append(fake.share if fake else None)
        rows["fake_follower_ci_low"].append(fake.ci_low if fake else None)
        rows["fake_follower_ci_high"].append(fake.ci_high if fake else None)
        rows["audience_sample_n"].append(fake.n if fake else 0)
        rows["authenticity_verdict"].append(a.verdict)
        rows["authenticity_unavailable"].append(unavailable_texts[a.unavailable])
    return pa.table(rows, schema=STAGE_SCHEMA)


def authenticity_stage(
    settings: Settings, model: FollowerModel | None, compiled: CompiledSql | None = None
) -> Stage:
    """The scoring stage that fills the authenticity columns (a ``services.scoring.stage.Stage``).

    ``model`` is the trained fake-follower model (``bootstrap.Adapters.follower_model``), or None
    to judge audience samples by the documented rules. ``compiled`` keeps the SQL of the
    expressions it reads between runs.
    """

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        return assess_all(
            warehouse, settings, model, params.reach_gate, params.ci_confidence, compiled
        )

    return NamedStage("authenticity", stage)


__all__ = ["STAGE_SCHEMA", "assess_all", "authenticity_stage", "judged"]
