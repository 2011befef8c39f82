"""Authenticity and fees on Spark: the evidence, judgement and fee functions ``score`` runs on
DuckDB (``services/vetting``, ``services/planning/pricing.py``), on Arrow batches of the lake.

Per creator, on the executors: the fake-follower share of its audience sample and the evidence
of its comments (each creator's rows together), then its judgement and its fee (batch by batch,
from the evidence beside its scores). Across creators, on the driver: engagement pods and
comment rings, which read the whole comment sample at once; Spark first narrows it to the
comments creators wrote on each other and those of accounts that commented under many creators.
The pieces travel between the two as pickled values of the core evidence classes, so the
executors' judgement reads exactly what the driver found.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from microscout.adapters.warehouse import vetting as reads
from microscout.config import Settings
from microscout.core.authenticity.model import FollowerModel
from microscout.core.metrics import MetricParams
from microscout.services.planning.data import tier_bounds
from microscout.services.planning.pricing import PRICED_SCHEMA, priced
from microscout.services.vetting.evidence import (
    Key,
    comment_evidence_of,
    creator_evidence,
    fake_method,
    fake_shares_of,
    pods_of,
    rings_of,
    tier_norm,
)
from microscout.services.vetting.stage import STAGE_SCHEMA, judged
from microscout.services.vetting.vet import authenticity_params

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from microscout.adapters.spark.lake import SparkLake

KEY = ("platform", "creator_id")


def _pieces_schema() -> pa.Schema:
    """One creator's piece of evidence, pickled: a core dataclass that Arrow has no type for."""
    return pa.schema(
        [("platform", pa.string()), ("creator_id", pa.string()), ("piece", pa.binary())]
    )


def _pieces(found: Mapping[Key, object]) -> pa.Table:
    return pa.table(
        {
            "platform": [k[0] for k in found],
            "creator_id": [k[1] for k in found],
            "piece": [pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in found.values()],
        },
        schema=_pieces_schema(),
    )


def _unpickled(blob: bytes | None) -> Any:
    # Only this run's own executors and driver wrote these bytes (``_pieces``).
    return None if blob is None else pickle.loads(blob)  # noqa: S301


def authenticity_on_spark(
    source: SparkLake,
    scores: DataFrame,
    settings: Settings,
    model: FollowerModel | None,
    params: MetricParams,
) -> DataFrame:
    """The authenticity columns (``vetting.stage.STAGE_SCHEMA``) of every creator of ``scores``
    (the run's metrics), as ``microscout score`` computes them on DuckDB."""
    from microscout.core.authenticity.expressions import following_changes, norms

    judging = authenticity_params(settings, params.reach_gate, params.ci_confidence)
    source.view("creator_scores", scores)
    tables = source.ibis
    source.view(reads.NORMS_VIEW, source.of_ibis(norms(tables.table("creator_scores"))))
    changes = following_changes(tables.table("follower_snapshots"))
    source.view(reads.FOLLOWING_VIEW, source.of_ibis(changes))
    rows = source.sql(*reads.score_evidence_query())

    confidence = judging.confidence
    fakes = source.per_creator(
        source.sql(*reads.audience_profiles_query()),
        None,
        lambda group: _pieces(fake_shares_of(group, model, confidence)),
        _pieces_schema(),
    )
    comments = source.per_creator(
        source.sql(*reads.audience_comment_texts_query()),
        None,
        lambda group: _pieces(comment_evidence_of(group.sort_by("comment_id"))),
        _pieces_schema(),
    )
    totals = source.to_arrow(source.sql(*reads.audience_comment_counts_query())).to_pylist()
    pods = pods_of(source.to_arrow(source.sql(reads.CREATOR_COMMENTER_PAIRS)), totals)
    ring = judging.ring
    broad = reads.broad_commenter_comments_query(ring.min_creators, ring.min_comments)
    rings = rings_of(source.to_arrow(source.sql(*broad)), totals, ring)

    keys = list(KEY)
    evidence = (
        rows.join(fakes.withColumnRenamed("piece", "fake"), keys, "left")
        .join(comments.withColumnRenamed("piece", "comments"), keys, "left")
        .join(source.of_arrow(_pieces(pods)).withColumnRenamed("piece", "pod"), keys, "left")
        .join(source.of_arrow(_pieces(rings)).withColumnRenamed("piece", "ring"), keys, "left")
    )
    method = fake_method(model)

    def judge(batch: pa.Table) -> pa.Table:
        norm = functools.lru_cache(maxsize=None)(tier_norm)
        found = [
            (
                (row["platform"], row["creator_id"]),
                creator_evidence(
                    row,
                    _unpickled(row["fake"]),
                    method,
                    _unpickled(row["comments"]),
                    _unpickled(row["pod"]),
                    _unpickled(row["ring"]),
                    norm,
                ),
            )
            for row in batch.to_pylist()
        ]
        return judged(found, judging)

    return source.per_batch(evidence, judge, STAGE_SCHEMA)


def fees_on_spark(
    source: SparkLake, scores: DataFrame, judged_rows: DataFrame, settings: Settings
) -> DataFrame:
    """fee_per_post, fee_basis, cpe and cpm of every creator with followers, as ``score``'s
    pricing stage computes them, from the metrics and the audience's judged fake share."""
    bounds = tier_bounds(settings)
    inputs = (
        scores.where("followers > 0")
        .select(*KEY, "followers", "er_median", "reach_rate")
        .join(judged_rows.select(*KEY, "fake_follower_share"), list(KEY), "left")
    )
    return source.per_batch(inputs, lambda batch: priced(batch, bounds), PRICED_SCHEMA)


__all__ = ["authenticity_on_spark", "fees_on_spark"]
