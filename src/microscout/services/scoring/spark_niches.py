"""The niche stage on Spark (zero-shot): the same lexicon, mixes and ranking as
``services/discovery/niche_stage.py``, with the posts' terms and mixes computed by the cluster.

The driver builds the lexicon (a few thousand frequent terms, embedded with the text model as on
one machine); the executors split the posts into terms and join them to it with the same
queries, then rank each creator's niches with the same functions (:class:`NicheRanking`).
A trained niche model is not run on Spark yet: with one, ``load-scores`` runs the niche stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from microscout.adapters.text.embedder import TextModel, Vectors
from microscout.adapters.text.remembered import RememberedVectors
from microscout.adapters.warehouse import discovery as queries
from microscout.adapters.warehouse.lake import write_parquet_folder
from microscout.config import Settings
from microscout.core.niche.meaning import meaning_scores
from microscout.services.discovery.index import RECENT_POSTS
from microscout.services.discovery.niche_stage import (
    GENERIC_SHARE,
    creator_rows,
    lexicon_of,
    niche_rows,
    niche_vectors,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from microscout.adapters.spark.lake import SparkLake

# What :class:`NicheRanking` returns for each creator: its creator_niches rows, each beside the
# creator's niche columns of creator_scores (its rank-1 row carries them for load-scores).
NICHE_ROWS_SCHEMA = (
    "platform string, creator_id string, niche_id string, share double, posts_n bigint, "
    "niche_name string, rank bigint, method string, run_id string, niche_primary string, "
    "niche_focus double, niche_posts_n bigint"
)
NICHE_ROWS = "niche_rows"
NICHE_TERMS = "niche_terms"


@dataclass(frozen=True)
class NicheRanking:
    """Ranks one creator's mix rows (with its document vector, NULL without one) as the niche
    stage ranks every creator's: by share and meaning, then named and counted."""

    niche_ids: tuple[str, ...]
    vectors: Vectors  # each niche's, in niche_ids' order
    weight: float
    vocabulary: int
    run_id: str

    def __call__(self, mix: pa.Table) -> pa.Table:
        shares = np.asarray(mix["share"].to_numpy(zero_copy_only=False), np.float64)
        order = None
        vector = mix["vector"][0]
        if self.weight and vector.is_valid:
            cosines = self.vectors @ np.asarray(vector.values.to_numpy(), np.float32)
            at = {niche: i for i, niche in enumerate(self.niche_ids)}
            similarity = np.array(
                [cosines[at[n]] if n in at else np.nan for n in mix["niche_id"].to_pylist()]
            )
            best = np.full(len(shares), cosines.max(), np.float64)
            order = meaning_scores(shares, similarity.astype(np.float64), best, self.weight)
        columns = creator_rows(mix, self.vocabulary, order)
        rows = niche_rows(mix, columns.pop("_ranks"), "zero-shot", self.run_id)
        # Every mix row has a positive share (its terms' similarities are), so the rank-1 row
        # is among those kept and carries the creator's columns.
        for name, kind in _CREATOR_COLUMNS:
            rows = rows.append_column(name, pa.array(columns[name] * rows.num_rows, kind))
        return rows


_CREATOR_COLUMNS = (
    ("niche_primary", pa.string()),
    ("niche_focus", pa.float64()),
    ("niche_posts_n", pa.int64()),
)


def niches_on_spark(
    source: SparkLake,
    settings: Settings,
    model: TextModel,
    vectors: DataFrame,
    run_id: str,
    folder: Path,
) -> int:
    """Compute the niche stage's outputs from the lake into ``folder``; how many niche rows."""
    remembered = RememberedVectors(settings.home / "index" / "term_vectors.parquet", model)
    niches = niche_vectors(settings, remembered)
    terms = source.saved(source.sql(queries.post_terms_sql(RECENT_POSTS)), folder / "post_terms")
    source.view("post_terms", terms)
    frequent = source.sql(queries.frequent_terms_sql(GENERIC_SHARE, settings.niche_lexicon_terms))
    lexicon = lexicon_of(source.to_arrow(frequent), remembered, settings, niches)
    remembered.save()
    write_parquet_folder(lexicon.terms, folder / NICHE_TERMS)
    source.view_of_arrow("_lexicon", lexicon.terms)
    ranking = NicheRanking(
        tuple(lexicon.niches.ids),
        lexicon.niches.vectors,
        settings.niche_meaning_weight,
        lexicon.vocabulary_size,
        run_id,
    )
    mix = source.sql(queries.ZERO_SHOT_MIX_SQL)
    document = vectors.select("platform", "creator_id", "vector")
    ranked = source.per_creator(mix, document, ranking, NICHE_ROWS_SCHEMA)
    return int(source.saved(ranked, folder / NICHE_ROWS).count())


__all__ = ["NICHE_ROWS", "NICHE_ROWS_SCHEMA", "NICHE_TERMS", "NicheRanking", "niches_on_spark"]
