"""``microscout score --engine spark``: score the lake on Spark and write the results beside it.

The run reads the canonical tables a ``microscout export --lake`` wrote and computes, on Spark:

- the SQL metrics of ``creator_scores``, from the same Ibis expressions DuckDB runs;
- every creator's document, from the same query (DuckDB's SQL translated to Spark's);
- the vectors of the searchable band's documents, with the same ONNX model on the executors;
- the niches (zero-shot): terms, lexicon, mixes and ranks (``spark_niches.py``);
- every creator's authenticity judgement and fee (``spark_authenticity.py``).

It writes them to ``<lake>/_scores/`` (Parquet, with ``_run.json`` describing the run), replaced
whole when the run succeeds. ``microscout load-scores`` brings them into the warehouse for serving.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from microscout.adapters.warehouse import discovery as queries
from microscout.adapters.warehouse.lake import (
    RESULTS,
    RUN_FILE,
    LakePath,
    publish,
    require_lake,
    write_json,
)
from microscout.config import Settings
from microscout.core.schema import CREATOR_SCORES
from microscout.services.discovery.index import DOC_CAPTIONS, DOC_HASHTAGS, RECENT_POSTS, tier_list
from microscout.services.scoring.run import metric_params, new_run_id, silent, timed_step
from microscout.services.scoring.spark_authenticity import (
    KEY,
    authenticity_on_spark,
    fees_on_spark,
)
from microscout.services.scoring.spark_niches import niches_on_spark, supervised_niches_on_spark
from microscout.services.scoring.stage import Progress
from microscout.services.vetting.vet import JUDGEMENT

if TYPE_CHECKING:
    from microscout.adapters.models.niche_model import LinearNicheModel
    from microscout.core.authenticity.model import FollowerModel

# The settings beside the metric parameters that shape a Spark run's documents, vectors and
# niches: load-scores refuses a run made under other values than its own.
STAGE_SETTINGS = (
    "index_tiers",
    "embedding_quantized",
    "embedding_max_tokens",
    "niche_lexicon_terms",
    "niche_min_similarity",
    "niche_meaning_weight",
    "niche_max_depth",
)


def run_settings(
    settings: Settings, as_of: datetime | None, judgement: str, niche_model: str | None
) -> dict[str, Any]:
    """What a Spark run records of its settings, and load-scores compares with its own;
    ``judgement`` is how audiences are judged (``vetting.vet.judgement_fingerprint``),
    ``niche_model`` the trained niche model's id (None: zero-shot niches)."""
    chosen = {name: getattr(settings, name) for name in STAGE_SETTINGS}
    made = {JUDGEMENT: judgement, "niche_model": niche_model}
    return {**metric_params(settings, as_of).as_dict(), **chosen, **made}


@dataclass(frozen=True)
class SparkModels:
    """The home's trained models a Spark run uses (``bootstrap.Adapters``)."""

    niche: LinearNicheModel | None  # None: zero-shot niches
    follower: FollowerModel | None  # None: audience samples judged by the documented rules
    judgement: str  # the fingerprint of how audiences are judged, recorded with the run


@dataclass(frozen=True)
class SparkRun:
    run_id: str
    creators: int
    embedded: int  # documents embedded (the searchable band's)
    seconds: float
    steps: dict[str, float]  # seconds per step
    folder: LakePath  # where the results are


def score_on_spark(
    settings: Settings,
    lake: LakePath,
    models: SparkModels,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> SparkRun:
    """Score the lake at ``lake`` on the Spark master the settings name (see module doc).

    ``models``: the home's trained models."""
    from microscout.adapters.spark.embedding import ModelSpec, embedded
    from microscout.adapters.spark.lake import SparkLake
    from microscout.adapters.spark.session import spark_session
    from microscout.adapters.text.embedder import Embedder

    require_lake(lake)  # before Spark takes seconds to start
    started = datetime.now(UTC)
    clock = time.perf_counter()
    params = metric_params(settings, as_of)
    run_id = new_run_id(started)
    model = ModelSpec(
        settings.embedding_model_dir, settings.embedding_quantized, settings.embedding_max_tokens
    )
    # Loaded here once: a missing export fails before Spark starts, and the id names the vectors.
    here = Embedder(model.folder, quantized=model.quantized, max_tokens=model.max_tokens)
    model_id = here.model_id
    draft = lake / f".{RESULTS}.writing"
    draft.remove()
    steps: dict[str, float] = {}
    report = progress or silent
    with spark_session(settings.spark_master, settings.home / "cache" / "spark") as spark:
        source = SparkLake(spark, lake)
        creators = int(spark.table("creators").count())
        with timed_step(report, "metrics", creators, steps):
            scores = source.saved(source.metrics(params, run_id), draft / _METRICS)
        with timed_step(report, "authenticity", creators, steps):
            judged = authenticity_on_spark(source, scores, settings, models.follower, params)
            judged = source.saved(judged, draft / "authenticity")
        with timed_step(report, "fees", creators, steps):
            fees = source.saved(fees_on_spark(source, scores, judged, settings), draft / "fees")
            later = [*judged.columns[2:], *fees.columns[2:]]
            keys = list(KEY)
            whole = scores.drop(*later).join(judged, keys, "left").join(fees, keys, "left")
            source.saved(whole.select(*CREATOR_SCORES.names), draft / "creator_scores")
        with timed_step(report, "creator documents", creators, steps):
            sql = queries.creator_documents_sql(RECENT_POSTS, DOC_HASHTAGS, DOC_CAPTIONS)
            documents = source.saved(source.sql(sql), draft / "creator_documents")
        chosen = source.searchable(documents, scores, tier_list(settings.index_tiers))
        wanted = int(chosen.count())
        with timed_step(report, "embedding creators", wanted, steps):
            tasks = 2 * spark.sparkContext.defaultParallelism
            vectors = source.saved(embedded(chosen, model, tasks), draft / "embeddings")
            done = int(vectors.count())
        with timed_step(report, "niches", creators, steps):
            if models.niche is None:
                niches_on_spark(source, settings, here, vectors, run_id, draft)
            else:
                supervised_niches_on_spark(source, models.niche, run_id, draft)
    for scratch in (_METRICS, "authenticity", "fees"):
        (draft / scratch).remove()
    seconds = time.perf_counter() - clock
    write_json(
        draft / RUN_FILE,
        {
            "run_id": run_id,
            "engine": "spark",
            "spark_master": settings.spark_master,
            "started_at": started.isoformat(),
            "seconds": seconds,
            "steps": steps,
            "params": run_settings(
                settings, as_of, models.judgement, models.niche.model_id if models.niche else None
            ),
            "stages": list(steps),
            "model_id": model_id,
            "rows": {"creator_scores": creators, "embeddings": done},
        },
    )
    publish(draft, lake / RESULTS)
    return SparkRun(run_id, creators, done, seconds, steps, lake / RESULTS)


# The run's metrics before authenticity and fees join them (removed when the run ends).
_METRICS = "_metrics"


__all__ = ["STAGE_SETTINGS", "SparkModels", "SparkRun", "run_settings", "score_on_spark"]
