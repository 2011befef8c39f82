"""``microscout load-scores``: bring a Spark run's results into the warehouse for serving.

The run's rows become ``creator_scores`` as they are (metrics, authenticity and fees), and its
document vectors go into the vector index through :class:`LakeVectors`, so no document Spark
embedded is embedded again; its niches are stored as the niche stage's results. The creator views
are then published. A run from before authenticity and fees ran on Spark has only the metrics:
those two stages then run here, as in ``microscout score``.

A lake is only loaded into the warehouse it was exported from (the same row counts), and only
when this machine's settings would compute the same metrics, documents, niches and judgements
with the same text, niche and follower models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.text.embedder import DIM, Vectors
from microscout.adapters.text.index import document_hash
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.lake import (
    MANIFEST,
    RESULTS,
    RUN_FILE,
    LakePath,
    read_json,
    read_parquet_folder,
)
from microscout.config import Settings
from microscout.core.schema import CANONICAL, CREATOR_NICHES, CREATOR_SCORES, arrow_schema
from microscout.errors import NotFoundError, ParameterError
from microscout.services.discovery.index import DocumentModel
from microscout.services.discovery.niche_stage import ComputedNiches
from microscout.services.scoring.run import ComputedMetrics
from microscout.services.scoring.spark import run_settings
from microscout.services.scoring.spark_niches import NICHE_ROWS, NICHE_TERMS


@dataclass(frozen=True)
class LakeScores:
    """A Spark run's results, checked against this warehouse and these settings."""

    run: dict[str, Any]  # its _run.json
    computed: ComputedMetrics
    as_of: datetime | None
    model_id: str
    hashes: list[str]  # the embedded documents' hashes, one per row of ``vectors``
    vectors: Vectors
    niches: ComputedNiches | None  # None for runs that left the niches to this machine
    judged: bool  # whether the rows hold Spark's authenticity and fees (runs since 2026-12-07)


def lake_scores(
    warehouse: Warehouse,
    settings: Settings,
    lake: LakePath,
    judgement: str,
    niche_model: str | None,
) -> LakeScores:
    """Read the latest Spark run of ``lake``; ParameterError when it does not fit here
    (``judgement``: how audiences are judged here, ``bootstrap.Adapters.judgement``;
    ``niche_model``: the id of the niche model trained here, None without one)."""
    folder = lake / RESULTS
    if not (folder / RUN_FILE).is_file():
        raise NotFoundError(
            f"no Spark scores in {lake}: run `microscout score --engine spark --lake {lake}` first"
        )
    run = read_json(folder / RUN_FILE)
    exported = read_json(lake / MANIFEST).get("tables", {})
    for spec in CANONICAL:
        here, there = warehouse.count(spec.name), int(exported.get(spec.name, -1))
        if here != there:
            raise ParameterError(
                "--lake",
                f"{lake} holds other data than this warehouse ({spec.name}: {there:,} rows there, "
                f"{here:,} here); export it again and score it, or load it where it came from",
            )
    as_of = datetime.fromisoformat(run["params"]["as_of"]) if run["params"]["as_of"] else None
    params = run_settings(settings, as_of, judgement, niche_model)
    differ = sorted(k for k in params if params[k] != run["params"].get(k))
    if differ:
        shown = ", ".join(f"{k} {run['params'].get(k)!r} there, {params[k]!r} here" for k in differ)
        raise ParameterError(
            "--lake", f"the Spark run used other settings ({shown}): score it again"
        )
    rows = read_parquet_folder(folder / "creator_scores")
    rows = rows.select(CREATOR_SCORES.names).cast(arrow_schema(CREATOR_SCORES))
    embedded = read_parquet_folder(folder / "embeddings")
    flat = (
        pa.concat_arrays([chunk.flatten() for chunk in embedded["vector"].chunks])
        if embedded.num_rows
        else pa.array([], pa.float32())
    )
    vectors = np.asarray(flat.to_numpy(zero_copy_only=False), np.float32).reshape(-1, DIM)
    return LakeScores(
        run,
        ComputedMetrics(str(run["run_id"]), rows),
        as_of,
        str(run["model_id"]),
        embedded["doc_hash"].to_pylist(),
        vectors,
        _niches(folder) if (folder / NICHE_ROWS).is_dir() else None,
        "authenticity" in run.get("stages", ()),
    )


def _niches(folder: LakePath) -> ComputedNiches:
    rows = read_parquet_folder(folder / NICHE_ROWS)
    firsts = rows.filter(pc.equal(rows["rank"], 1))
    lexicon = folder / NICHE_TERMS
    return ComputedNiches(
        niches=rows.select(CREATOR_NICHES.names).cast(arrow_schema(CREATOR_NICHES)),
        # a trained model's run has no lexicon: niche_terms stays as it is, as on one machine
        terms=read_parquet_folder(lexicon) if lexicon.is_dir() else None,
        columns=firsts.select(["platform", "creator_id", *_NICHE_COLUMNS]),
    )


_NICHE_COLUMNS = ("niche_primary", "niche_focus", "niche_posts_n")


class LakeVectors:
    """Embeds creator documents with the vectors a Spark run made for them, and only the
    documents it has none for with the model here (``embedded_here`` counts those)."""

    def __init__(self, scores: LakeScores, model: Callable[[], DocumentModel]) -> None:
        self.model_id = scores.model_id
        self._rows = {h: i for i, h in enumerate(scores.hashes)}
        self._vectors = scores.vectors
        self._model = model
        self.embedded_here = 0

    def embed(
        self, texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None
    ) -> Vectors:
        found = np.array([self._rows.get(document_hash(t or ""), -1) for t in texts], np.int64)
        out = np.zeros((len(texts), DIM), np.float32)
        known = np.flatnonzero(found >= 0)
        out[known] = self._vectors[found[known]]
        missing = np.flatnonzero(found < 0).tolist()
        if missing:
            out[missing] = self._model().embed([texts[i] for i in missing])
            self.embedded_here += len(missing)
        if progress is not None:
            progress(len(texts), len(texts))
        return out


def check_model(scores: LakeScores, model: DocumentModel) -> None:
    """The vectors were made by the text model the settings choose here, or ParameterError."""
    if model.model_id != scores.model_id:
        raise ParameterError(
            "--lake",
            f"the Spark run embedded with {scores.model_id}, this machine's settings choose "
            f"{model.model_id}: score it again with the same embedding settings",
        )


__all__ = ["LakeScores", "LakeVectors", "check_model", "lake_scores"]
