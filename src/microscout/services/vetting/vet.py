"""Vetting: the audience quality of creators, with reasons — for one creator or every creator.

``vet`` answers for one handle; ``authenticity_stage`` fills the authenticity columns of
``creator_scores`` during ``microscout score``; ``train_authenticity`` fits the fake-follower
model on a labelled file and saves it in the workspace. The formulas live in
``core/authenticity``; this module gathers their inputs from the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.models.follower_model import load_model, read_labelled, save_model
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.authenticity.comments import (
    CommentEvidence,
    PodEvidence,
    comment_evidence,
    pod_evidence,
)
from microscout.core.authenticity.expressions import following_changes, norms
from microscout.core.authenticity.followers import (
    FakeShare,
    FloatArray,
    Profiles,
    grouped_fake_shares,
    rule_probability,
)
from microscout.core.authenticity.model import FollowerModel, train
from microscout.core.authenticity.quality import Assessment, assess
from microscout.core.authenticity.signals import (
    AuthenticityParams,
    CreatorEvidence,
    FollowingChange,
    Norm,
)
from microscout.core.metrics import MetricParams
from microscout.errors import InputError, NotFoundError
from microscout.services.browse.creators import find_creator
from microscout.services.scoring.stage import Stage

Key = tuple[str, str]


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
        following_change_share=settings.auth_following_change_share,
        following_change_min=settings.auth_following_change_min,
        inactive_days=settings.auth_inactive_days,
        low_reach_rate=settings.auth_low_reach_rate,
        reach_gate=reach_gate if reach_gate is not None else settings.reach_gate,
        verdict_ok=settings.auth_verdict_ok,
        verdict_high_risk=settings.auth_verdict_high_risk,
    )


# -- follower level -------------------------------------------------------------------------------
def follower_probabilities(
    profiles: Profiles, model: FollowerModel | None
) -> tuple[FloatArray, str, float]:
    """P(fake) per follower, the method's name and its per-follower cut-off."""
    if model is None:
        return rule_probability(profiles), "rules default", 0.5
    return model.probability(profiles), "trained model", model.threshold


_PROFILE_COLUMNS = ("followers", "following", "posts", "has_picture", "is_private", "bio_length")


def _fake_shares(
    warehouse: Warehouse,
    model: FollowerModel | None,
    confidence: float,
    where: str,
    params: Sequence[Any],
) -> tuple[dict[Key, FakeShare], str]:
    rows = warehouse.fetch_arrow(
        "SELECT platform, creator_id, follower_handle, followers, following, posts, has_picture, "
        f"is_private, bio_length FROM audience_samples {where} ORDER BY platform, creator_id",
        params,
    )
    if rows.num_rows == 0:
        return {}, "rules default" if model is None else "trained model"
    columns = {name: rows.column(name).to_pylist() for name in rows.column_names}
    profiles = Profiles.from_columns(
        {
            "username": columns["follower_handle"],
            **{k: columns[k] for k in _PROFILE_COLUMNS},
        }
    )
    probabilities, method, threshold = follower_probabilities(profiles, model)
    keys = list(zip(columns["platform"], columns["creator_id"], strict=True))
    codes: dict[Key, int] = {}
    group = np.fromiter((codes.setdefault(k, len(codes)) for k in keys), np.int64, len(keys))
    shares = grouped_fake_shares(group, probabilities, confidence, threshold)
    by_code = {code: key for key, code in codes.items()}
    return {by_code[c]: share for c, share in shares.items()}, method


# -- comment level --------------------------------------------------------------------------------
def _comment_evidence(
    warehouse: Warehouse, where: str, params: Sequence[Any]
) -> dict[Key, CommentEvidence]:
    rows = warehouse.fetch_arrow(
        "SELECT platform, creator_id, text FROM comments "
        f"{where} {'AND' if where else 'WHERE'} NOT coalesce(is_reply_by_creator, false) "
        "AND text IS NOT NULL ORDER BY platform, creator_id",
        params,
    )
    platform = rows.column("platform").to_pylist()
    creator = rows.column("creator_id").to_pylist()
    texts = rows.column("text").to_pylist()
    out: dict[Key, CommentEvidence] = {}
    start = 0
    for i in range(1, len(texts) + 1):
        if i == len(texts) or (platform[i], creator[i]) != (platform[start], creator[start]):
            out[(platform[start], creator[start])] = comment_evidence(texts[start:i])
            start = i
    return out


def _pod_evidence(warehouse: Warehouse, key: Key | None) -> dict[Key, PodEvidence]:
    """Reciprocal commenters over the whole comment sample (a pod spans many creators)."""
    where = "" if key is None else "AND c.platform = ? AND c.creator_id = ?"
    totals = warehouse.fetch_arrow(
        "SELECT c.platform, c.creator_id, o.handle, count(*) AS n FROM comments c "
        "JOIN creators o ON o.platform = c.platform AND o.creator_id = c.creator_id "
        f"WHERE NOT coalesce(c.is_reply_by_creator, false) {where} GROUP BY ALL",
        key or (),
    ).to_pylist()
    pairs = warehouse.fetch_arrow(
        "SELECT c.platform, o.handle AS owner, lower(c.author) AS author FROM comments c "
        "JOIN creators o ON o.platform = c.platform AND o.creator_id = c.creator_id "
        "JOIN creators a ON a.platform = c.platform AND lower(a.handle) = lower(c.author) "
        "WHERE NOT coalesce(c.is_reply_by_creator, false)"
    ).to_pylist()
    out: dict[Key, PodEvidence] = {}
    for platform in {r["platform"] for r in totals}:
        mine = [r for r in totals if r["platform"] == platform]
        handles = [str(r["handle"]).lower() for r in mine]
        on = [r for r in pairs if r["platform"] == platform]
        found = pod_evidence(
            [str(r["owner"]).lower() for r in on],
            [r["author"] for r in on],
            handles,
            {h: int(r["n"]) for h, r in zip(handles, mine, strict=True)},
        )
        for handle, row in zip(handles, mine, strict=True):
            out[(platform, row["creator_id"])] = found[handle]
    return out


# -- the creator-level evidence -------------------------------------------------------------------
def _scores(warehouse: Warehouse, key: Key | None) -> list[dict[str, Any]]:
    where = "" if key is None else "WHERE s.platform = ? AND s.creator_id = ?"
    norm = norms(warehouse.table("creator_scores"))
    snapshots = warehouse.table("follower_snapshots")
    if key is not None:
        snapshots = snapshots.filter(
            (snapshots.platform == key[0]) & (snapshots.creator_id == key[1])
        )
    changes = following_changes(snapshots)
    warehouse.duck.register("_auth_norms", norm.to_pyarrow())
    warehouse.duck.register("_auth_following", changes.to_pyarrow())
    try:
        rows: list[dict[str, Any]] = warehouse.fetch_arrow(
            "SELECT s.platform, s.creator_id, s.handle, s.followers, s.tier, s.snapshots_n, "
            "s.spike_flag, s.spike_gain, s.spike_date, s.spike_ratio, s.er_median, s.er_n, "
            "s.comment_like_ratio, s.n_posts_window, s.days_since_last_post, s.reach_rate, "
            "s.reach_n, n.er_norm, n.er_norm_n, n.clr_norm, n.clr_norm_n, "
            "f.following_snapshots_n, f.following_before, f.following_after, "
            "f.following_change_date FROM creator_scores s "
            "LEFT JOIN _auth_norms n ON n.platform = s.platform AND n.tier = s.tier "
            "LEFT JOIN _auth_following f ON f.platform = s.platform "
            f"AND f.creator_id = s.creator_id {where}",
            key or (),
        ).to_pylist()
        return rows
    finally:
        warehouse.duck.unregister("_auth_norms")
        warehouse.duck.unregister("_auth_following")


def _norm(value: Any, n: Any, tier: Any, platform: str) -> Norm | None:
    if value is None or tier is None:
        return None
    return Norm(float(value), int(n or 0), f"{tier} {platform} creators")


def _change(row: dict[str, Any]) -> FollowingChange | None:
    before, after, on = (
        row["following_before"],
        row["following_after"],
        row["following_change_date"],
    )
    if before is None or after is None or not isinstance(on, date):
        return None
    return FollowingChange(int(before), int(after), on)


def gather_evidence(
    warehouse: Warehouse, model: FollowerModel | None, confidence: float, key: Key | None = None
) -> list[tuple[Key, CreatorEvidence]]:
    """Every scored creator's evidence (or one creator's, when ``key`` is given)."""
    where, params = ("", ()) if key is None else ("WHERE platform = ? AND creator_id = ?", key)
    scores = _scores(warehouse, key)
    shares, method = _fake_shares(warehouse, model, confidence, where, params)
    texts = _comment_evidence(warehouse, where, params)
    pods = _pod_evidence(warehouse, key)
    out: list[tuple[Key, CreatorEvidence]] = []
    for row in scores:
        k: Key = (row["platform"], row["creator_id"])
        out.append(
            (
                k,
                CreatorEvidence(
                    handle=str(row["handle"] or row["creator_id"]),
                    platform=row["platform"],
                    followers=row["followers"],
                    fake=shares.get(k),
                    fake_method=method,
                    snapshots_n=row["snapshots_n"],
                    spike_flag=row["spike_flag"],
                    spike_gain=row["spike_gain"],
                    spike_date=row["spike_date"],
                    spike_ratio=row["spike_ratio"],
                    following_change=_change(row),
                    er_median=row["er_median"],
                    er_n=row["er_n"],
                    er_norm=_norm(row["er_norm"], row["er_norm_n"], row["tier"], row["platform"]),
                    comment_like_ratio=row["comment_like_ratio"],
                    comment_like_norm=_norm(
                        row["clr_norm"], row["clr_norm_n"], row["tier"], row["platform"]
                    ),
                    n_posts_window=row["n_posts_window"],
                    comments=texts.get(k),
                    pod=pods.get(k),
                    days_since_last_post=row["days_since_last_post"],
                    reach_rate=row["reach_rate"],
                    reach_n=row["reach_n"],
                ),
            )
        )
    return out


# -- one creator ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """The vetting result for one creator."""

    platform: str
    creator_id: str
    handle: str
    followers: int | None
    assessment: Assessment
    fake: FakeShare | None
    method: str

    @property
    def score(self) -> float:
        return self.assessment.score

    @property
    def verdict(self) -> str:
        return self.assessment.verdict

    def as_dict(self) -> dict[str, Any]:
        a = self.assessment
        fake = None
        if self.fake is not None and self.fake.n:
            fake = {"share": self.fake.share, "ci_low": self.fake.ci_low,
                    "ci_high": self.fake.ci_high, "sample_n": self.fake.n,
                    "flagged_followers": self.fake.flagged, "method": self.method}  # fmt: skip
        return {
            "platform": self.platform,
            "creator_id": self.creator_id,
            "handle": self.handle,
            "followers": self.followers,
            "audience_quality": a.score,
            "verdict": a.verdict,
            "reasons": [r.as_dict() for r in a.reasons],
            "unavailable": [str(u) for u in a.unavailable],
            "signals_checked": a.checked,
            "fake_followers": fake,
        }


def vet(
    warehouse: Warehouse, settings: Settings, handle: str, platform: str | None = None
) -> Verdict:
    """Vet one creator by handle: score, verdict, reasons with evidence, unavailable signals."""
    creator = find_creator(warehouse, handle, platform)
    key: Key = (creator["platform"], creator["creator_id"])
    model = load_model(settings.home)
    found = gather_evidence(warehouse, model, settings.ci_confidence, key)
    if not found:
        raise NotFoundError(
            f"@{creator['handle']} on {key[0]} is not scored yet: run `microscout score`"
        )
    evidence = found[0][1]
    assessment = assess(evidence, authenticity_params(settings))
    return Verdict(
        key[0], key[1], evidence.handle, evidence.followers, assessment, evidence.fake,
        evidence.fake_method,
    )  # fmt: skip


def stored_verdict(scores: dict[str, Any]) -> dict[str, Any] | None:
    """The verdict the scoring run stored in a creator_scores row, shaped like
    ``Verdict.as_dict`` (without re-reading the evidence); None when the row has none."""
    if scores.get("authenticity_verdict") is None or scores.get("audience_quality") is None:
        return None
    fake = None
    if scores.get("fake_follower_share") is not None:
        fake = {"share": scores["fake_follower_share"], "ci_low": scores["fake_follower_ci_low"],
                "ci_high": scores["fake_follower_ci_high"],
                "sample_n": scores.get("audience_sample_n") or 0}  # fmt: skip
    unavailable = str(scores.get("authenticity_unavailable") or "")
    return {
        "handle": scores.get("handle"),
        "audience_quality": scores["audience_quality"],
        "verdict": scores["authenticity_verdict"],
        "reasons": json.loads(scores.get("audience_quality_reasons") or "[]"),
        "unavailable": [u for u in unavailable.split("; ") if u],
        "fake_followers": fake,
    }


# -- every creator: the scoring stage --------------------------------------------------------
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
    warehouse: Warehouse, settings: Settings, reach_gate: float, confidence: float
) -> pa.Table:
    """The authenticity columns of creator_scores for every scored creator."""
    model = load_model(settings.home)
    params = authenticity_params(settings, reach_gate, confidence)
    rows: dict[str, list[Any]] = {name: [] for name in STAGE_SCHEMA.names}
    for (platform, creator_id), evidence in gather_evidence(warehouse, model, confidence):
        a = assess(evidence, params)
        fake = evidence.fake if evidence.fake is not None and evidence.fake.n else None
        rows["platform"].append(platform)
        rows["creator_id"].append(creator_id)
        rows["audience_quality"].append(a.score)
        rows["audience_quality_reasons"].append(a.reasons_json())
        rows["fake_follower_share"].append(fake.share if fake else None)
        rows["fake_follower_ci_low"].append(fake.ci_low if fake else None)
        rows["fake_follower_ci_high"].append(fake.ci_high if fake else None)
        rows["audience_sample_n"].append(fake.n if fake else 0)
        rows["authenticity_verdict"].append(a.verdict)
        rows["authenticity_unavailable"].append(a.unavailable_text())
    return pa.table(rows, schema=STAGE_SCHEMA)


def authenticity_stage(settings: Settings) -> Stage:
    """The scoring stage that fills the authenticity columns (a ``services.score.Stage``)."""

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        return assess_all(warehouse, settings, params.reach_gate, params.ci_confidence)

    return stage


# -- training -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainReport:
    path: Path
    rows: int
    fake_rows: int
    threshold: float
    cv_accuracy: float
    cv_mcc: float


def train_authenticity(
    settings: Settings,
    labelled_file: Path,
    fmt: str = "instafake",
    mapping: dict[str, str] | None = None,
) -> TrainReport:
    """Fit the fake-follower model on a labelled file and save it in the workspace."""
    data = read_labelled(labelled_file, fmt, mapping)
    try:
        model = train(data.profiles, data.labels)
    except ValueError as exc:
        raise InputError(f"{labelled_file}: {exc}") from None
    path = save_model(model, settings.home, data.source)
    info = model.info
    return TrainReport(
        path, info["rows"], info["fake_rows"], model.threshold, info["cv_accuracy"], info["cv_mcc"]
    )


__all__ = [
    "TrainReport",
    "Verdict",
    "assess_all",
    "authenticity_params",
    "authenticity_stage",
    "follower_probabilities",
    "gather_evidence",
    "train_authenticity",
    "vet",
]
