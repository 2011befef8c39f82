"""The niche scoring stage: each creator's niche mix, primary niche and focus, then the index.

Per-post niches come from one of two models, and no post is embedded:

- zero-shot (default): the most frequent hashtags and caption words are embedded together with
  the IAB categories (name and keywords, :func:`category_vectors`); each term maps to its most
  similar category when the cosine reaches ``niche_min_similarity``. A post's niche
  distribution is the normalised sum of its terms' similarities per niche (one SQL join). The
  creator's niches are then ranked by meaning as well (``core/niche/meaning.py``): its embedded
  document beside each niche's vector, weighted by ``niche_meaning_weight``;
- supervised (after ``microscout niche train``): the trained model's probabilities per post,
  with the creator's account votes (``adapters/models/niche_model.py``).

A creator's mix is the mean of its posts' distributions; focus is ``core/niche/focus.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.models.niche_model import AccountPairs, LinearNicheModel
from microscout.adapters.text.embedder import TextModel, Vectors
from microscout.adapters.text.index import (
    IndexStore,
    NicheVectors,
    VectorIndex,
    save_niche_vectors,
)
from microscout.adapters.text.remembered import RememberedVectors
from microscout.adapters.text.taxonomy import packaged_keywords, packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.core.groups import group_starts
from microscout.core.metrics import MetricParams
from microscout.core.niche.focus import grouped_niche_focus
from microscout.core.niche.meaning import meaning_scores
from microscout.core.niche.taxonomy import Category
from microscout.core.text import STOP_WORDS, post_text
from microscout.services.discovery.index import (
    RECENT_POSTS,
    DocumentModel,
    IndexStatus,
    update_index,
)
from microscout.services.scoring.stage import NamedStage, Progress, Stage

# Terms used by more than this share of creators say nothing about a niche ("love", "reels").
# A niche's own hashtags can reach a tenth of all creators when there are ten niches, so the
# bar sits well above that: at 0.05 the demo's lexicon kept 6 terms and 80% of creators got no
# niche; at 0.15-0.40 every creator got one, right for 81% (docs/discovery.md).
GENERIC_SHARE = 0.25


@dataclass(frozen=True)
class Lexicon:
    terms: pa.Table  # term, niche_id, similarity, creators_n, model_id
    niches: NicheVectors  # the categories terms were mapped to, with their vectors

    @property
    def vocabulary_size(self) -> int:
        return len(self.niches.ids)


def category_vectors(categories: Sequence[Category], embedder: TextModel) -> Vectors:
    """Each category's meaning: its name and its keywords, embedded apart, averaged, unit length.

    Names, not paths: in a path ("Hobbies & Interests > Games and Puzzles > Board Games and
    Puzzles") the branch's words weigh on every child, which pulled terms to a sibling. A name
    alone is a word or two, so a term that merely sounds alike wins ("stars" for Astrology over
    Space and Astronomy): the keywords (``resources/iab_category_keywords.tsv``, microscout's own)
    say what posts in the category talk about. Embedded apart and averaged, the name keeps its
    weight whatever the keywords' length; a category without keywords (tier 4) keeps its name.
    On a 3,000-creator demo (seed 42) names gave the generator's niche to 88.5% of creators,
    names with keywords 89.7% (docs/discovery.md).
    """
    keywords = packaged_keywords()
    names = embedder.embed([c.name for c in categories])
    words = embedder.embed([keywords.get(c.id, c.name) for c in categories])
    mean: Vectors = names + words
    mean /= np.linalg.norm(mean, axis=1, keepdims=True)
    return mean


def niche_vectors(settings: Settings, embedder: TextModel) -> NicheVectors:
    """The vectors of the categories creators can be labelled with (up to
    ``niche_max_depth``), which search compares with a brief (docs/discovery.md)."""
    categories = packaged_taxonomy().up_to_depth(settings.niche_max_depth)
    return NicheVectors(
        tuple(c.id for c in categories), category_vectors(categories, embedder), embedder.model_id
    )


def build_lexicon(
    terms: Sequence[str],
    creators_n: Sequence[int],
    embedder: TextModel,
    settings: Settings,
    niches: NicheVectors | None = None,
) -> Lexicon:
    """Map each term to its most similar IAB category (zero-shot, :func:`category_vectors`);
    ``niches``: those categories' vectors when already made (:func:`niche_vectors`)."""
    if niches is None:
        niches = niche_vectors(settings, embedder)
    labels = niches.vectors
    vectors = embedder.embed([t.replace("_", " ") for t in terms])
    sims = vectors @ labels.T if len(terms) else np.zeros((0, len(niches.ids)), np.float32)
    best = sims.argmax(axis=1) if len(terms) else np.zeros(0, np.int64)
    top = sims[np.arange(len(terms)), best] if len(terms) else np.zeros(0, np.float32)
    keep = top >= settings.niche_min_similarity
    table = pa.table(
        {
            "term": pa.array([t for t, k in zip(terms, keep, strict=True) if k], pa.string()),
            "niche_id": pa.array([niches.ids[int(b)] for b in best[keep]], pa.string()),
            "similarity": pa.array(top[keep].astype(np.float64)),
            "creators_n": pa.array(np.asarray(creators_n, np.int64)[keep]),
            "model_id": pa.array([embedder.model_id] * int(keep.sum()), pa.string()),
        }
    )
    return Lexicon(table, niches)


def _lexicon(
    warehouse: Warehouse, embedder: TextModel, settings: Settings, niches: NicheVectors
) -> Lexicon:
    """The zero-shot lexicon of the warehouse's frequent terms, stored in ``niche_terms``."""
    frequent = queries.frequent_terms(warehouse, GENERIC_SHARE, settings.niche_lexicon_terms)
    lexicon = lexicon_of(frequent, embedder, settings, niches)
    queries.replace_niche_terms(warehouse, lexicon.terms)
    return lexicon


def lexicon_of(
    frequent: pa.Table, embedder: TextModel, settings: Settings, niches: NicheVectors
) -> Lexicon:
    """The lexicon of the frequent terms (term, creators_n) but stop words."""
    kept = [
        (term, n)
        for term, n in zip(
            frequent["term"].to_pylist(), frequent["creators_n"].to_pylist(), strict=True
        )
        if term not in STOP_WORDS
    ]
    return build_lexicon([t for t, _ in kept], [n for _, n in kept], embedder, settings, niches)


def supervised_mix(warehouse: Warehouse, model: LinearNicheModel) -> pa.Table:
    """Each creator's mean class probabilities over its latest posts, with its account votes."""
    posts = queries.recent_post_texts(warehouse, RECENT_POSTS)
    texts = [
        post_text(c, h)
        for c, h in zip(posts["caption"].to_pylist(), posts["hashtags"].to_pylist(), strict=True)
    ]
    keys = list(zip(posts["platform"].to_pylist(), posts["creator_id"].to_pylist(), strict=True))
    creator_of = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    accounts = queries.creator_accounts(warehouse)
    pairs = AccountPairs.matching(
        creator_of,
        zip(accounts["platform"].to_pylist(), accounts["creator_id"].to_pylist(), strict=True),
        accounts["account"].to_pylist(),
    )
    votes = model.votes(pairs, len(creator_of))
    rows = np.array([creator_of[key] for key in keys], np.int64)
    proba = model.predict_proba(texts, votes[rows]) if texts else np.zeros((0, len(model.classes)))
    frame = pa.table(
        {
            "platform": posts["platform"],
            "creator_id": posts["creator_id"],
            **{f"p{i}": pa.array(proba[:, i]) for i in range(len(model.classes))},
        }
    )
    return queries.mean_class_shares(warehouse, frame, model.classes)


def niche_stage(
    settings: Settings,
    embedder: DocumentModel,
    index: IndexStore,
    model: LinearNicheModel | None,
    progress: Progress | None = None,
) -> Stage:
    """Scoring stage: creator niche mixes, niche_primary, niche_focus, niche_posts_n.

    ``model`` is the trained niche model (``bootstrap.Adapters.niche_model``), or None for the
    zero-shot lexicon. The stage also refreshes the vector index in ``index`` (documents change
    when posts or bios do): the one place the index is written.
    """

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        remembered, niches, status = _niches_and_index(
            warehouse, settings, embedder, index, progress
        )
        if model is not None:
            mix = supervised_mix(warehouse, model)
            vocabulary, method = len(model.classes), model.model_id
            order = None
        else:
            queries.refresh_post_terms(warehouse, RECENT_POSTS)
            lexicon = _lexicon(warehouse, remembered, settings, niches)
            mix = queries.zero_shot_mix(warehouse, lexicon.terms)
            vocabulary, method = lexicon.vocabulary_size, "zero-shot"
            order = _by_meaning(mix, lexicon, status.index, settings.niche_meaning_weight)
        remembered.save()
        rows = creator_rows(mix, vocabulary, order)
        niches_table = niche_rows(
            mix, rows.pop("_ranks"), method, queries.scoring_run_id(warehouse)
        )
        queries.replace_creator_niches(warehouse, niches_table)
        return pa.table(rows)

    return NamedStage("niches and search index", stage)


def loaded_niche_stage(
    settings: Settings,
    embedder: DocumentModel,
    index: IndexStore,
    computed: ComputedNiches,
    progress: Progress | None = None,
) -> Stage:
    """The niche stage when another engine computed the niches (``services/scoring/load.py``):
    the niche vectors and the vector index as :func:`niche_stage` makes them, and the niche
    rows, lexicon and creator columns as they were computed."""

    def stage(warehouse: Warehouse, params: MetricParams) -> pa.Table:
        del params
        remembered, _, _ = _niches_and_index(warehouse, settings, embedder, index, progress)
        remembered.save()
        if computed.terms is not None:
            queries.replace_niche_terms(warehouse, computed.terms)
        queries.replace_creator_niches(warehouse, computed.niches)
        return computed.columns

    return NamedStage("niches and search index", stage)


@dataclass(frozen=True)
class ComputedNiches:
    """What the niche stage writes, computed elsewhere: ``creator_niches`` rows, the
    ``niche_terms`` lexicon (None: a trained model's niches, which leave it as it is), and the
    creator_scores niche columns."""

    niches: pa.Table
    terms: pa.Table | None
    columns: pa.Table


def _niches_and_index(
    warehouse: Warehouse,
    settings: Settings,
    embedder: DocumentModel,
    index: IndexStore,
    progress: Progress | None,
) -> tuple[RememberedVectors, NicheVectors, IndexStatus]:
    """The niche vectors (saved for search) and the vector index, brought up to date."""
    # Terms and categories barely change between runs: their vectors are kept.
    remembered = RememberedVectors(index.folder / "term_vectors.parquet", embedder)
    # Before the index, whose manifest tells a running web app to load both again.
    niches = niche_vectors(settings, remembered)
    save_niche_vectors(index.folder, niches)
    # The index first: the zero-shot ranking reads the creators' embedded documents.
    status = update_index(warehouse, index, embedder, tiers=settings.index_tiers, progress=progress)
    return remembered, niches, status


def niche_rows(mix: pa.Table, ranks: Sequence[int], method: str, run_id: str) -> pa.Table:
    """The ``creator_niches`` rows of a mix: each niche with a share, named and ranked."""
    taxonomy = packaged_taxonomy()
    names = pa.array([taxonomy.name(n) for n in mix["niche_id"].to_pylist()], pa.string())
    rows = mix.select(["platform", "creator_id", "niche_id", "share", "posts_n"])
    rows = rows.append_column("niche_name", names)
    rows = rows.append_column("rank", pa.array(ranks, pa.int64()))
    rows = rows.append_column("method", pa.array([method] * rows.num_rows, pa.string()))
    rows = rows.append_column("run_id", pa.array([run_id] * rows.num_rows, pa.string()))
    return rows.filter(pc.greater(rows["share"], 0.0))


# Creators whose cosines with every niche are computed at once (bounds memory on big stores).
_MEANING_CHUNK = 8192


def _by_meaning(
    mix: pa.Table, lexicon: Lexicon, index: VectorIndex, weight: float
) -> npt.NDArray[np.float64]:
    """Each mix row's score by words and meaning (core/niche/meaning.py)."""
    shares = np.asarray(mix["share"].to_numpy(zero_copy_only=False), np.float64)
    if weight == 0 or mix.num_rows == 0:
        return shares
    doc = _index_rows(mix, index)
    col = pc.fill_null(pc.index_in(mix["niche_id"], pa.array(lexicon.niches.ids, pa.string())), -1)
    col = np.asarray(col.to_numpy(zero_copy_only=False), np.int64)
    similarity = np.full(mix.num_rows, np.nan)
    best = np.full(mix.num_rows, np.nan)
    found = np.flatnonzero((doc >= 0) & (col >= 0))
    # One row of cosines per creator (a mix holds several rows per creator), in chunks; each
    # mix row reads its cosine there rather than multiplying its own copy of the vector.
    docs, row_doc = np.unique(doc[found], return_inverse=True)
    for start in range(0, docs.shape[0], _MEANING_CHUNK):
        cosines = index.vectors[docs[start : start + _MEANING_CHUNK]] @ lexicon.niches.vectors.T
        rows = np.flatnonzero((row_doc >= start) & (row_doc < start + cosines.shape[0]))
        at = row_doc[rows] - start
        similarity[found[rows]] = cosines[at, col[found[rows]]]
        best[found[rows]] = cosines.max(axis=1)[at]
    return meaning_scores(shares, similarity, best, weight)


def _index_rows(mix: pa.Table, index: VectorIndex) -> npt.NDArray[np.int64]:
    """Each mix row's creator's row in the index, -1 for a creator it does not hold (a join,
    not a lookup per row: a mix holds several rows for each of hundreds of thousands)."""
    keys = ["platform", "creator_id"]
    left = mix.select(keys).append_column("_row", pa.array(np.arange(mix.num_rows)))
    right = index.keys.select(keys).append_column(
        "_doc", pa.array(np.arange(index.keys.num_rows, dtype=np.int64))
    )
    joined = left.join(right, keys=keys, join_type="inner")
    doc = np.full(mix.num_rows, -1, np.int64)
    doc[joined["_row"].to_numpy()] = joined["_doc"].to_numpy()
    return doc


def creator_rows(
    mix: pa.Table, vocabulary: int, order: npt.NDArray[np.float64] | None = None
) -> dict[str, Any]:
    """Per creator: primary niche and focus; also each mix row's rank within its creator.

    Rows are ranked by ``order`` (a score per mix row, higher first) when given, else by share;
    the first is the primary niche. Focus always reads the shares (``core/niche/focus.py``,
    computed here for every creator at once: a mix holds several rows for each of hundreds of
    thousands of creators)."""
    share = np.asarray(mix["share"].to_numpy(zero_copy_only=False), np.float64)
    rank_by = share if order is None else np.asarray(order, np.float64)
    ranked = mix.select(["platform", "creator_id", "niche_id"]).append_column(
        "_by", pa.array(rank_by)
    )
    rows = pc.sort_indices(
        ranked,
        sort_keys=[
            ("platform", "ascending"),
            ("creator_id", "ascending"),
            ("_by", "descending"),
            ("niche_id", "ascending"),
        ],
    ).to_numpy()
    if rows.size == 0:
        empty: dict[str, Any] = {k: [] for k in (*_CREATOR_COLUMNS, "_ranks")}
        return empty
    keys = mix.select(["platform", "creator_id"]).take(rows)
    first = np.flatnonzero(group_starts(keys))
    sizes = np.diff(np.append(first, rows.size))
    ranks = np.empty(rows.size, np.int64)
    ranks[rows] = np.arange(rows.size) - np.repeat(first, sizes) + 1
    posts = np.asarray(mix["posts_n"].to_numpy(zero_copy_only=False), np.int64)[rows[first]]
    return {
        "platform": keys["platform"].take(first).to_pylist(),
        "creator_id": keys["creator_id"].take(first).to_pylist(),
        "niche_primary": mix["niche_id"].take(rows[first]).to_pylist(),
        "niche_focus": grouped_niche_focus(share[rows], first, posts, vocabulary),
        "niche_posts_n": posts.tolist(),
        "_ranks": ranks.tolist(),
    }


_CREATOR_COLUMNS = ("platform", "creator_id", "niche_primary", "niche_focus", "niche_posts_n")


__all__ = [
    "GENERIC_SHARE",
    "ComputedNiches",
    "Lexicon",
    "build_lexicon",
    "category_vectors",
    "creator_rows",
    "lexicon_of",
    "loaded_niche_stage",
    "niche_rows",
    "niche_stage",
    "niche_vectors",
    "supervised_mix",
]
