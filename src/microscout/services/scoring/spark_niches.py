"""The niche stage on Spark: the same mixes and ranking as ``services/discovery/niche_stage.py``,
computed by the cluster.

Zero-shot (no trained model): the driver builds the lexicon (a few thousand frequent terms,
embedded with the text model as on one machine); the executors split the posts into terms and
join them to it with the same queries, then rank each creator's niches with the same functions
(:class:`NicheRanking`). Supervised (after ``microscout niche train``): the executors run the
trained model on each creator's latest posts with its account votes (:class:`SupervisedNiches`),
the model shipped to them with the function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from microscout.adapters.models.niche_model import AccountPairs, LinearNicheModel
from microscout.adapters.text.embedder import TextModel, Vectors
from microscout.adapters.text.remembered import RememberedVectors
from microscout.adapters.warehouse import discovery as queries
from microscout.adapters.warehouse.lake import LakePath, write_parquet_folder
from microscout.config import Settings
from microscout.core.niche.meaning import meaning_scores
from microscout.core.text import post_text
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
        return _ranked(mix, self.vocabulary, order, "zero-shot", self.run_id)


@dataclass(frozen=True)
class SupervisedNiches:
    """One creator's niche rows from the trained model: the mean of its latest posts' class
    probabilities, each post read beside the creator's account votes (``accounts``, a list
    column beside its posts), as ``niche_stage`` computes them for every creator at once."""

    model: LinearNicheModel
    run_id: str

    def __call__(self, posts: pa.Table) -> pa.Table:
        key = (posts["platform"][0].as_py(), posts["creator_id"][0].as_py())
        texts = [
            post_text(c, h)
            for c, h in zip(
                posts["caption"].to_pylist(), posts["hashtags"].to_pylist(), strict=True
            )
        ]
        accounts = posts["accounts"][0].as_py() or []
        pairs = AccountPairs.matching({key: 0}, [key] * len(accounts), accounts)
        votes = self.model.votes(pairs, 1)
        proba = self.model.predict_proba(texts, np.repeat(votes, len(texts), axis=0))
        classes = len(self.model.classes)
        mix = pa.table(
            {
                "platform": [key[0]] * classes,
                "creator_id": [key[1]] * classes,
                "niche_id": list(self.model.classes),
                "share": proba.mean(axis=0),
                "posts_n": pa.array([len(texts)] * classes, pa.int64()),
            }
        )
        return _ranked(mix, classes, None, self.model.model_id, self.run_id)


def _ranked(
    mix: pa.Table, vocabulary: int, order: npt.NDArray[np.float64] | None, method: str, run_id: str
) -> pa.Table:
    """One creator's creator_niches rows, each beside the creator's niche columns."""
    columns = creator_rows(mix, vocabulary, order)
    rows = niche_rows(mix, columns.pop("_ranks"), method, run_id)
    # Every mix row has a positive share (its terms' similarities are, and so are a softmax's
    # probabilities), so the rank-1 row is among those kept and carries the creator's columns.
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
    folder: LakePath,
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


def supervised_niches_on_spark(
    source: SparkLake, model: LinearNicheModel, run_id: str, folder: LakePath
) -> int:
    """The trained model's niche rows of every creator with posts, into ``folder``; how many.
    The lexicon is not the model's: ``niche_terms`` is left as it is, as on one machine."""
    from pyspark.sql import functions as f

    posts = source.sql(queries.recent_post_texts_sql(RECENT_POSTS))
    accounts = source.sql(queries.CREATOR_ACCOUNTS_SQL).groupBy("platform", "creator_id")
    listed = accounts.agg(f.collect_list("account").alias("accounts"))
    ranked = source.per_creator(posts, listed, SupervisedNiches(model, run_id), NICHE_ROWS_SCHEMA)
    return int(source.saved(ranked, folder / NICHE_ROWS).count())


__all__ = [
    "NICHE_ROWS",
    "NICHE_ROWS_SCHEMA",
    "NICHE_TERMS",
    "NicheRanking",
    "SupervisedNiches",
    "niches_on_spark",
    "supervised_niches_on_spark",
]
