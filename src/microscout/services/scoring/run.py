"""Scoring: compute every creator's metrics in the warehouse and store them in creator_scores."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.metrics import CanonicalTables, MetricParams, creator_scores
from microscout.core.schema import CREATOR_SCORES, SCORE_RUNS
from microscout.services.scoring.stage import Stage


@dataclass(frozen=True)
class ScoreRun:
    run_id: str
    creators: int
    seconds: float
    params: MetricParams


def metric_params(settings: Settings, as_of: datetime | None = None) -> MetricParams:
    """The metric parameters the settings ask for; ``as_of`` is stored naive UTC."""
    if as_of is not None and as_of.tzinfo is not None:
        as_of = as_of.astimezone(UTC).replace(tzinfo=None)
    return MetricParams(
        tier_nano_max=settings.tier_nano_max,
        tier_micro_max=settings.tier_micro_max,
        tier_mid_max=settings.tier_mid_max,
        tier_macro_max=settings.tier_macro_max,
        window_days=settings.window_days,
        window_max_posts=settings.window_max_posts,
        reach_gate=settings.reach_gate,
        ci_confidence=settings.ci_confidence,
        spike_ratio=settings.spike_ratio,
        spike_min_share=settings.spike_min_share,
        as_of=as_of,
    )


def canonical_tables(warehouse: Warehouse) -> CanonicalTables:
    return CanonicalTables(
        creators=warehouse.table("creators"),
        posts=warehouse.table("posts"),
        comments=warehouse.table("comments"),
        follower_snapshots=warehouse.table("follower_snapshots"),
    )


def score(warehouse: Warehouse, params: MetricParams, stages: Sequence[Stage] = ()) -> ScoreRun:
    """Recompute creator_scores in one transaction and log the run with its parameters.

    The SQL metrics come first; each later stage then fills its own columns.
    """
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tables = canonical_tables(warehouse)
    with warehouse.transaction():
        sql = str(warehouse.ibis.compile(creator_scores(tables, params, run_id)))
        count = warehouse.replace_from_sql(CREATOR_SCORES, sql)
        for stage in stages:
            warehouse.update_columns(CREATOR_SCORES, stage(warehouse, params))
        seconds = time.perf_counter() - clock
        run = pa.table(
            {
                "run_id": [run_id],
                "started_at": [started.replace(tzinfo=None)],
                "seconds": [seconds],
                "as_of": pa.array([params.as_of], pa.timestamp("us")),
                "settings": [json.dumps(params.as_dict(), sort_keys=True)],
                "creators": [count],
            }
        )
        warehouse.append(SCORE_RUNS, run)
    return ScoreRun(run_id, count, seconds, params)
