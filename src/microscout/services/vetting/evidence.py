"""The evidence behind an authenticity verdict, gathered from the warehouse for the core formulas.

Follower level: P(fake) per sampled follower (the trained model, else the documented rules),
summed per creator with a confidence interval. Comment level: generic and duplicated texts,
reciprocal commenters (engagement pods) and accounts pasting stock comments under many creators
(comment rings). Creator level: the stored scores beside their tier's
norm and the largest change in accounts followed. The formulas live in ``core/authenticity``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.compiled import CompiledSql
from microscout.adapters.warehouse.vetting import (
    Key,
    audience_comment_counts,
    audience_comment_texts,
    audience_profiles,
    broad_commenter_comments,
    creator_commenter_pairs,
    score_evidence,
)
from microscout.core.authenticity.comments import (
    CommentEvidence,
    PodEvidence,
    RingEvidence,
    RingParams,
    comment_evidence,
    pod_evidence,
    ring_accounts,
    ring_evidence,
)
from microscout.core.authenticity.followers import (
    RULES_CALIBRATION,
    Calibration,
    FakeShare,
    FloatArray,
    Profiles,
    grouped_fake_shares,
    rule_probability,
    username_stats,
)
from microscout.core.authenticity.model import FollowerModel
from microscout.core.authenticity.signals import (
    AuthenticityParams,
    CreatorEvidence,
    FollowingChange,
    Norm,
)
from microscout.core.groups import group_codes


# -- follower level -------------------------------------------------------------------------------
def follower_probabilities(
    profiles: Profiles, model: FollowerModel | None
) -> tuple[FloatArray, str, float]:
    """P(fake) per follower, the method's name and its per-follower cut-off."""
    if model is None:
        return rule_probability(profiles), fake_method(model), 0.5
    return model.probability(profiles), fake_method(model), model.threshold


def calibration_of(model: FollowerModel | None) -> Calibration | None:
    """What the estimator's mean probabilities are adjusted with (core Calibration)."""
    return RULES_CALIBRATION if model is None else model.calibration


_PROFILE_COLUMNS = ("followers", "following", "posts", "has_picture", "is_private", "bio_length")


def fake_method(model: FollowerModel | None) -> str:
    """How followers were judged, as the evidence names it."""
    return "rules default" if model is None else "trained model"


def fake_shares_of(
    rows: pa.Table, model: FollowerModel | None, confidence: float
) -> dict[Key, FakeShare]:
    """The fake-follower share of each creator in ``rows`` (``audience_profiles``' columns)."""
    if rows.num_rows == 0:
        return {}
    # Arrow to numpy column by column (NULL as NaN): a million sampled followers never pass
    # through Python one by one.
    length, digits = username_stats(rows.column("follower_handle"))
    profiles = Profiles.from_columns(
        {
            "username_length": length,
            "username_digits": digits,
            **{k: _numbers(rows.column(k)) for k in _PROFILE_COLUMNS},
        }
    )
    probabilities, _, threshold = follower_probabilities(profiles, model)
    group, first = group_codes(rows.select(["platform", "creator_id"]))
    shares = grouped_fake_shares(group, probabilities, confidence, threshold, calibration_of(model))
    keys = _keys(rows, first)
    return {keys[c]: share for c, share in shares.items()}


def _keys(rows: pa.Table, first: Any) -> list[Key]:
    """The (platform, creator_id) of the rows at ``first``."""
    return list(
        zip(
            rows.column("platform").take(first).to_pylist(),
            rows.column("creator_id").take(first).to_pylist(),
            strict=True,
        )
    )


def _numbers(column: pa.ChunkedArray) -> FloatArray:
    """A numeric or boolean column as floats, NULL as NaN."""
    floats: FloatArray = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
    return floats


# -- comment level --------------------------------------------------------------------------------
def comment_evidence_of(rows: pa.Table) -> dict[Key, CommentEvidence]:
    """Each creator's comment evidence from ``audience_comment_texts``' rows (ordered by
    creator, then comment id)."""
    if rows.num_rows == 0:
        return {}
    texts = rows.column("text").to_pylist()
    _, first = group_codes(rows.select(["platform", "creator_id"]))
    ends = [*first.tolist()[1:], len(texts)]
    return {
        key: comment_evidence(texts[start:end])
        for key, start, end in zip(_keys(rows, first), first.tolist(), ends, strict=True)
    }


def pods_of(pairs: pa.Table, totals: list[dict[str, Any]]) -> dict[Key, PodEvidence]:
    """Reciprocal commenters over the whole comment sample (a pod spans many creators), from
    ``creator_commenter_pairs`` and ``audience_comment_counts``' rows."""
    pair_platform = pairs.column("platform").to_pylist()
    owners = [str(o).lower() for o in pairs.column("owner").to_pylist()]
    authors = pairs.column("author").to_pylist()
    out: dict[Key, PodEvidence] = {}
    for platform in {r["platform"] for r in totals}:
        mine = [r for r in totals if r["platform"] == platform]
        handles = [str(r["handle"]).lower() for r in mine]
        on = [i for i, p in enumerate(pair_platform) if p == platform]
        found = pod_evidence(
            [owners[i] for i in on],
            [authors[i] for i in on],
            handles,
            {h: int(r["n"]) for h, r in zip(handles, mine, strict=True)},
        )
        for handle, row in zip(handles, mine, strict=True):
            out[(platform, row["creator_id"])] = found[handle]
    return out


def rings_of(
    rows: pa.Table, totals: list[dict[str, Any]], params: RingParams, key: Key | None = None
) -> dict[Key, RingEvidence]:
    """Ring accounts over the whole comment sample, and which of them each creator drew, from
    ``broad_commenter_comments``' rows (of ``key``'s commenters alone, when given).

    A handle is one account across platforms: people keep their handle, and rings work the
    same members everywhere; a chance match of handles would still have to paste stock
    comments under ``min_creators`` creators to count."""
    creators: list[Key] = list(
        zip(rows.column("platform").to_pylist(), rows.column("creator_id").to_pylist(), strict=True)
    )
    authors: list[str] = rows.column("author").to_pylist()
    rings = ring_accounts(creators, authors, rows.column("text").to_pylist(), params)
    counted = {(r["platform"], r["creator_id"]): int(r["n"]) for r in totals}
    found = ring_evidence(creators, authors, rings, counted)
    return found if key is None else {key: found[key]} if key in found else {}


# -- the creator-level evidence -------------------------------------------------------------------
def _scores(
    warehouse: Warehouse, key: Key | None, compiled: CompiledSql | None
) -> list[dict[str, Any]]:
    """The score rows the signals read, beside their tier norms and following changes; for
    every creator, their SQL is kept in ``compiled`` between runs."""

    # Ibis is imported only to compile: a kept statement needs none of it.
    def norms_sql() -> str:
        from microscout.core.authenticity.expressions import norms

        return str(warehouse.ibis.compile(norms(warehouse.table("creator_scores"))))

    def changes_sql() -> str:
        from microscout.core.authenticity.expressions import following_changes

        snapshots = warehouse.table("follower_snapshots")
        if key is not None:
            snapshots = snapshots.filter(
                (snapshots.platform == key[0]) & (snapshots.creator_id == key[1])
            )
        return str(warehouse.ibis.compile(following_changes(snapshots)))

    kept = compiled if key is None and compiled is not None else CompiledSql(None)
    norm = warehouse.fetch_arrow(kept.sql("authenticity_norms", "", norms_sql))
    changes = warehouse.fetch_arrow(kept.sql("following_changes", "", changes_sql))
    rows: list[dict[str, Any]] = score_evidence(warehouse, norm, changes, key).to_pylist()
    return rows


def tier_norm(value: Any, n: Any, tier: Any, platform: str) -> Norm | None:
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


def creator_evidence(
    row: dict[str, Any],
    fake: FakeShare | None,
    method: str,
    comments: CommentEvidence | None,
    pod: PodEvidence | None,
    ring: RingEvidence | None,
    norm: Callable[[Any, Any, Any, str], Norm | None] = tier_norm,
) -> CreatorEvidence:
    """One creator's evidence from its ``score_evidence`` row and the pieces found for it;
    ``norm`` makes its tier norms (a cached ``tier_norm`` shares one per tier and metric)."""
    return CreatorEvidence(
        handle=str(row["handle"] or row["creator_id"]),
        platform=row["platform"],
        followers=row["followers"],
        fake=fake,
        fake_method=method,
        snapshots_n=row["snapshots_n"],
        spike_flag=row["spike_flag"],
        spike_gain=row["spike_gain"],
        spike_date=row["spike_date"],
        spike_ratio=row["spike_ratio"],
        following_change=_change(row),
        er_median=row["er_median"],
        er_n=row["er_n"],
        er_norm=norm(row["er_norm"], row["er_norm_n"], row["tier"], row["platform"]),
        comment_like_ratio=row["comment_like_ratio"],
        comment_like_norm=norm(row["clr_norm"], row["clr_norm_n"], row["tier"], row["platform"]),
        n_posts_window=row["n_posts_window"],
        comments=comments,
        pod=pod,
        ring=ring,
        days_since_last_post=row["days_since_last_post"],
        reach_rate=row["reach_rate"],
        reach_n=row["reach_n"],
    )


def gather_evidence(
    warehouse: Warehouse,
    model: FollowerModel | None,
    params: AuthenticityParams,
    key: Key | None = None,
    compiled: CompiledSql | None = None,
) -> list[tuple[Key, CreatorEvidence]]:
    """Every scored creator's evidence (or one creator's, when ``key`` is given); ``compiled``
    keeps the SQL of the expressions read for every creator between runs."""
    scores = _scores(warehouse, key, compiled)
    shares = fake_shares_of(audience_profiles(warehouse, key), model, params.confidence)
    method = fake_method(model)
    texts = comment_evidence_of(audience_comment_texts(warehouse, key))
    totals = audience_comment_counts(warehouse, key).to_pylist()
    pods = pods_of(creator_commenter_pairs(warehouse), totals)
    broad = broad_commenter_comments(
        warehouse, params.ring.min_creators, params.ring.min_comments, key
    )
    rings = rings_of(broad, totals, params.ring, key)
    # One Norm per tier and metric, however many creators share it.
    norm = functools.lru_cache(maxsize=None)(tier_norm)
    out: list[tuple[Key, CreatorEvidence]] = []
    for row in scores:
        k: Key = (row["platform"], row["creator_id"])
        found = creator_evidence(
            row, shares.get(k), method, texts.get(k), pods.get(k), rings.get(k), norm
        )
        out.append((k, found))
    return out


__all__ = [
    "Key",
    "comment_evidence_of",
    "creator_evidence",
    "fake_method",
    "fake_shares_of",
    "follower_probabilities",
    "gather_evidence",
    "pods_of",
    "rings_of",
    "tier_norm",
]
