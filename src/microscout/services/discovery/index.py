"""The creator vector index: one document per creator, embedded, kept in line with the warehouse.

A creator's document is its bio, top hashtags and latest captions. Scoring refreshes the index
(:func:`update_index`, re-embedding only the documents that changed); search and lookalikes only
read it (:func:`searchable_index`), saying so when the warehouse has changed since it was built.

Embedding is nearly all of a first score's time, so only the searchable band is embedded: the
creators of the tiers in ``index_tiers`` (micro by default: ``"any"`` for every tier) whose
document is not empty. Every creator's document is still stored in ``creator_documents``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pyarrow as pa

from microscout.adapters.text.embedder import DIM, Vectors
from microscout.adapters.text.index import IndexStore, UpdateCounts, VectorIndex, document_hash
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.errors import NotFoundError

log = logging.getLogger(__name__)
RECENT_POSTS = 30  # posts per creator behind niches and the document
DOC_HASHTAGS = 12
DOC_CAPTIONS = 3


class DocumentModel(Protocol):
    """What embeds creator documents: ``adapters.text.embedder.Embedder``, or vectors another
    engine made in front of it (``services/scoring/load.py``)."""

    model_id: str

    def embed(
        self, texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None
    ) -> Vectors: ...


@dataclass(frozen=True)
class IndexStatus:
    index: VectorIndex
    counts: UpdateCounts | None  # None when the index was already current
    reason: str | None  # why it had to be updated


def fingerprint(warehouse: Warehouse, tiers: str) -> dict[str, Any]:
    """What the index depends on: creators and posts (counts, newest fetch), and its tiers."""
    return {**queries.index_fingerprint(warehouse), "index_tiers": tiers}


def tier_list(tiers: str) -> tuple[str, ...] | None:
    """The tiers of an ``index_tiers`` setting ("micro,mid"), or None for "any"."""
    names = tuple(t.strip() for t in tiers.split(",") if t.strip())
    return None if "any" in names else names


def creator_documents(warehouse: Warehouse) -> pa.Table:
    """platform, creator_id, document: bio + top hashtags + latest captions of recent posts."""
    return queries.creator_documents(warehouse, RECENT_POSTS, DOC_HASHTAGS, DOC_CAPTIONS)


def update_index(
    warehouse: Warehouse,
    store: IndexStore,
    embedder: DocumentModel,
    *,
    tiers: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> IndexStatus:
    """Bring the index in line with the warehouse, re-embedding only changed documents.

    The index holds the creators of ``tiers`` (the ``index_tiers`` setting) with a document;
    it reads their tier from ``creator_scores``, so scoring calls it after the SQL metrics.
    Writes the index folder and ``creator_documents``: scoring calls it, searches never do.
    """
    index = store.current()
    current = fingerprint(warehouse, tiers)
    reason = "no index yet" if index is None else index.staleness(embedder.model_id, current)
    if index is not None and reason is None:
        return IndexStatus(index, None, None)
    index = store.editable()  # a private copy: the shared one is never changed
    if index is None or index.manifest.get("model_id") != embedder.model_id:
        index = VectorIndex.empty(store.folder, embedder.model_id, DIM)
    docs = creator_documents(warehouse)
    documents = [d or "" for d in docs["document"].to_pylist()]
    keys = list(zip(docs["platform"].to_pylist(), docs["creator_id"].to_pylist(), strict=True))
    hashes = [document_hash(d) for d in documents]
    band = queries.creators_in_tiers(warehouse, tier_list(tiers))
    chosen = [i for i, key in enumerate(keys) if documents[i] and key in band]

    def embed(texts: list[str]) -> Vectors:
        report = None
        if progress is not None:
            report = lambda done, total: progress("embedding creators", done, total)  # noqa: E731
        return embedder.embed(texts, progress=report)

    counts = index.update(
        [keys[i] for i in chosen],
        [hashes[i] for i in chosen],
        [documents[i] for i in chosen],
        embed,
    )
    index.save(current)
    now = datetime.now(UTC).replace(tzinfo=None)
    queries.replace_creator_documents(
        warehouse,
        docs.append_column("doc_hash", pa.array(hashes, pa.string()))
        .append_column("model_id", pa.array([embedder.model_id] * len(keys), pa.string()))
        .append_column("embedded_at", pa.array([now] * len(keys), pa.timestamp("us"))),
    )
    log.info("vector index updated (%s): %s", reason, counts)
    return IndexStatus(index, counts, reason)


def searchable_index(
    warehouse: Warehouse,
    store: IndexStore,
    model_id: str,
    tiers: str,
    *,
    unchanged: bool = False,
) -> tuple[VectorIndex, list[str]]:
    """The saved index to search, read-only, with a note when the warehouse has changed since.

    Raises NotFoundError when there is no index or no scores yet, or when the index was built
    with another text model (its vectors cannot be compared with the query's). ``unchanged``:
    the caller knows the warehouse has not changed since the latest run built the index (its
    creator views are current), so the fingerprint is not read again.
    """
    if not unchanged and warehouse.count("creator_scores") == 0:
        raise NotFoundError("no creator scores yet: run `microscout score` first")
    index = store.current()
    if index is None:
        raise NotFoundError("no vector index yet: run `microscout score`, which builds it")
    if index.manifest.get("model_id") != model_id:
        raise NotFoundError(
            f"the vector index was built with the text model {index.manifest.get('model_id')}, "
            f"not {model_id}: run `microscout score` to rebuild it"
        )
    notes: list[str] = []
    if unchanged:
        return index, notes
    reason = index.staleness(model_id, fingerprint(warehouse, tiers))
    if reason is not None:
        notes.append(
            f"the index is stale ({reason}): results reflect the data as of "
            f"{index.manifest.get('updated_at')}; run `microscout score` to refresh it"
        )
    return index, notes


__all__ = [
    "DOC_CAPTIONS",
    "DOC_HASHTAGS",
    "RECENT_POSTS",
    "DocumentModel",
    "IndexStatus",
    "creator_documents",
    "fingerprint",
    "searchable_index",
    "tier_list",
    "update_index",
]
