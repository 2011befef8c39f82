"""Scoring: compute every creator's metrics in the warehouse and store them in creator_scores."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.compiled import CompiledSql
from microscout.config import Settings
from microscout.core.metrics import MetricParams
from microscout.core.schema import CREATOR_SCORES, SCORE_RUNS
from microscout.services.scoring.stage import Progress, Stage

if TYPE_CHECKING:
    from microscout.core.metrics import CanonicalTables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComputedMetrics:
    """creator_scores rows whose SQL metrics another engine computed (the later stages' columns
    empty), all of run ``run_id``."""

    run_id: str
    rows: pa.Table


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
    from microscout.core.metrics import CanonicalTables  # Ibis: only when compiling

    return CanonicalTables(
        creators=warehouse.table("creators"),
        posts=warehouse.table("posts"),
        comments=warehouse.table("comments"),
        follower_snapshots=warehouse.table("follower_snapshots"),
    )


# Stands for the run id in the metrics' kept SQL: the one part that differs between runs.
_RUN_ID_SLOT = "00000000T000000-runidslot"


def metrics_sql(
    warehouse: Warehouse, params: MetricParams, run_id: str, compiled: CompiledSql | None = None
) -> str:
    """The SQL of the creator_scores metrics (``core/metrics``) for ``run_id``, compiled by Ibis,
    or kept in ``compiled`` from an earlier run under the same parameters and code."""

    def compile_sql() -> str:
        from microscout.core.metrics import creator_scores  # Ibis: only when compiling

        expr = creator_scores(canonical_tables(warehouse), params, _RUN_ID_SLOT)
        return str(warehouse.ibis.compile(expr))

    kept = (compiled or CompiledSql(None)).sql(
        "creator_scores", json.dumps(params.as_dict(), sort_keys=True), compile_sql
    )
    slot = f"'{_RUN_ID_SLOT}'"
    if slot not in kept:  # a kept file that is not what this code wrote: compile it again
        kept = compile_sql()
    return kept.replace(slot, f"'{run_id}'")


def new_run_id(started: datetime) -> str:
    """A scoring run's id: its start time (UTC) and a random suffix."""
    return started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def silent(step: str, done: int, total: int) -> None:
    del step, done, total


@contextlib.contextmanager
def timed_step(
    report: Progress, name: str, creators: int, seconds: dict[str, float] | None = None
) -> Iterator[None]:
    """Report one scoring step's start (0 of ``creators``) and end (all), and log its seconds
    (also kept in ``seconds`` under ``name`` when given)."""
    clock = time.perf_counter()
    report(name, 0, creators)
    yield
    report(name, creators, creators)
    took = time.perf_counter() - clock
    if seconds is not None:
        seconds[name] = took
    log.info("scoring step %s took %.1f s", name, took)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the stages run, and collect once at the end.

    The stages hold hundreds of thousands of long-lived objects (evidence, rows) and make
    millions of short-lived, acyclic ones; every full collection walks all the long-lived ones,
    which cost the authenticity stage 0.4 s of its 2.2 s on Kim's 33,935 creators."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def score(
    warehouse: Warehouse,
    params: MetricParams,
    stages: Sequence[Stage] = (),
    progress: Progress | None = None,
    recorded: Mapping[str, str] | None = None,
    compiled: CompiledSql | None = None,
    computed: ComputedMetrics | None = None,
) -> ScoreRun:
    """Recompute creator_scores in one transaction and log the run with its parameters.

    The SQL metrics come first; each later stage then fills its own columns. ``progress`` hears
    each step begin (0 of its creators) and end (all of them); the seconds of each are logged.
    ``recorded``: what else shaped the stages' results (how audiences were judged), kept with
    the metric parameters in the run's ``settings``. ``compiled``: where the metrics' SQL is
    kept between runs (compiled every time without it). ``computed``: the metrics another
    engine computed for these parameters (``microscout load-scores``), stored as they are.
    """
    report = progress or silent
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = computed.run_id if computed is not None else new_run_id(started)
    with warehouse.transaction(), _collector_paused():
        with timed_step(report, "metrics", warehouse.count("creators")):
            if computed is None:
                sql = metrics_sql(warehouse, params, run_id, compiled)
                count = warehouse.replace_from_sql(CREATOR_SCORES, sql)
            else:
                count = warehouse.replace(CREATOR_SCORES, computed.rows)
        for number, stage in enumerate(stages, start=1):
            with timed_step(report, getattr(stage, "name", f"stage {number}"), count):
                warehouse.update_columns(CREATOR_SCORES, stage(warehouse, params))
        seconds = time.perf_counter() - clock
        run = pa.table(
            {
                "run_id": [run_id],
                "started_at": [started.replace(tzinfo=None)],
                "seconds": [seconds],
                "as_of": pa.array([params.as_of], pa.timestamp("us")),
                "settings": [json.dumps({**params.as_dict(), **(recorded or {})}, sort_keys=True)],
                "creators": [count],
            }
        )
        warehouse.append(SCORE_RUNS, run)
    return ScoreRun(run_id, count, seconds, params)
