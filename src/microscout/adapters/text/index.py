"""The persistent vector index of creator documents, under ``<home>/index``.

Files: ``vectors.npy`` (float32, one unit vector per creator), ``keys.parquet`` (platform,
creator_id, doc_hash in the same order), ``manifest.json`` (model id, dimension, the warehouse
fingerprint it was built from, update time) and ``niches.parquet`` (each niche's vector, which
search compares with the brief: :class:`NicheVectors`). Updates are incremental: only documents
whose hash changed are re-embedded. A manifest whose model or fingerprint differs from the
current ones makes the index *stale*: scoring updates it, and a search of a stale index must say
so, never search it silently. :class:`IndexStore` keeps one loaded index per folder for a
long-running owner.

Search is exact (one matrix-vector product) over the candidates that pass the filters when they
are few, and an IVF index (faiss, inner product) restricted to the candidates by a bitmap selector
when they are many.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from microscout.adapters.text.vector_table import read_vector_table, write_vector_table
from microscout.errors import StoreError

Vectors = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class UpdateCounts:
    added: int
    changed: int
    removed: int
    kept: int


NICHES_FILE = "niches.parquet"


def document_hash(document: str) -> str:
    """What the index keeps to tell whether a creator's document changed since it was embedded."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class NicheVectors:
    """The niches creators are labelled with (IAB ids) and their unit vectors, row by row."""

    ids: tuple[str, ...]
    vectors: Vectors
    model_id: str

    @functools.cached_property
    def rows(self) -> dict[str, int]:
        """Each niche's row in ``vectors``."""
        return {niche: row for row, niche in enumerate(self.ids)}


def save_niche_vectors(folder: Path, niches: NicheVectors) -> None:
    """Write ``niches.parquet`` (``vector_table.py``: whole, or not at all)."""
    write_vector_table(
        folder / NICHES_FILE, "niche_id", niches.ids, niches.vectors, niches.model_id
    )


def load_niche_vectors(folder: Path, model_id: str) -> NicheVectors | None:
    """The niche vectors saved in ``folder`` with ``model_id``; None when there are none (an
    index from before they were kept, or another model's: search then leaves niches out)."""
    found = read_vector_table(folder / NICHES_FILE, "niche_id", model_id)
    return None if found is None else NicheVectors(tuple(found[0]), found[1], model_id)


class AnnIndex:
    """Inner-product IVF over unit vectors with filtered search (faiss)."""

    def __init__(self, vectors: Vectors, *, nlist: int | None = None, seed: int = 7) -> None:
        import faiss

        n, dim = vectors.shape
        self.nlist = nlist or max(1, min(4096, int(4 * np.sqrt(n))))
        quantizer = faiss.IndexFlatIP(dim)
        self._index = faiss.IndexIVFFlat(quantizer, dim, self.nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(seed)
        train = vectors[rng.choice(n, size=min(n, 40 * self.nlist), replace=False)]
        self._index.train(np.ascontiguousarray(train))
        self._index.add(np.ascontiguousarray(vectors))
        self._faiss = faiss

    def search(
        self, query: Vectors, k: int, mask: Mask | None, nprobe: int
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        faiss = self._faiss
        selector = None
        bits = np.packbits(mask, bitorder="little") if mask is not None else None
        if mask is not None:
            # faiss reads the bitmap through a raw pointer: ``bits`` must outlive the search.
            selector = faiss.IDSelectorBitmap(mask.shape[0], faiss.swig_ptr(bits))
        params = faiss.SearchParametersIVF(nprobe=nprobe, sel=selector)
        scores, ids = self._index.search(query.reshape(1, -1), k, params=params)
        del bits
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]


def knn(
    vectors: Vectors,
    query: Vectors,
    k: int,
    mask: Mask | None = None,
    *,
    ann: AnnIndex | None = None,
    exact_max: int = 100_000,
    nprobe: int = 32,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """The ``k`` rows of ``vectors`` most similar to ``query`` among those ``mask`` allows.

    Exact when the allowed rows are at most ``exact_max`` or no ANN index is given.
    """
    allowed = np.flatnonzero(mask) if mask is not None else None
    candidates = vectors.shape[0] if allowed is None else allowed.shape[0]
    if candidates == 0 or k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    if ann is None or candidates <= exact_max:
        if allowed is not None and allowed.shape[0] * 4 < vectors.shape[0]:
            scores = vectors[allowed] @ query
        else:  # a large subset: one product over all rows beats copying the subset out
            scores = vectors @ query
            if allowed is not None:
                scores = scores[allowed]
        top = min(k, scores.shape[0])
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        rows = best if allowed is None else allowed[best]
        return scores[best].astype(np.float32), rows.astype(np.int64)
    return ann.search(query, k, mask, nprobe)


def joined_keys(keys: pa.Table) -> pa.Array:
    """platform and creator_id as one string per row, for set operations in Arrow."""
    joined: pa.Array = pc.binary_join_element_wise(
        keys["platform"], keys["creator_id"], "\x1f"
    ).combine_chunks()
    return joined


class VectorIndex:
    """Creator vectors with their keys, persisted in one folder."""

    def __init__(
        self, folder: Path, keys: pa.Table, vectors: Vectors, manifest: dict[str, Any]
    ) -> None:
        self.folder = folder
        self.keys = keys
        self.vectors = vectors
        self.manifest = manifest
        self._positions: dict[tuple[str, str], int] | None = None
        self._ann: AnnIndex | None = None
        self._joined: pa.Array | None = None
        self._niches: NicheVectors | None = None

    @classmethod
    def empty(cls, folder: Path, model_id: str, dim: int) -> VectorIndex:
        keys = pa.table(
            {
                "platform": pa.array([], pa.string()),
                "creator_id": pa.array([], pa.string()),
                "doc_hash": pa.array([], pa.string()),
            }
        )
        manifest = {"model_id": model_id, "dim": dim, "fingerprint": None}
        return cls(folder, keys, np.zeros((0, dim), np.float32), manifest)

    @classmethod
    def load(cls, folder: Path) -> VectorIndex | None:
        """The index stored in ``folder``, or None when there is none yet."""
        manifest_file = folder / "manifest.json"
        if not manifest_file.exists():
            return None
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
            keys = pq.read_table(folder / "keys.parquet")
            vectors = np.load(folder / "vectors.npy", mmap_mode=None)
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"the vector index in {folder} cannot be read ({exc}); delete the folder and "
                "run `microscout score` to rebuild it"
            ) from None
        if vectors.shape[0] != keys.num_rows:
            raise StoreError(
                f"the vector index in {folder} is inconsistent ({vectors.shape[0]} vectors, "
                f"{keys.num_rows} keys); delete the folder and run `microscout score`"
            )
        return cls(folder, keys, vectors.astype(np.float32, copy=False), manifest)

    def save(self, fingerprint: dict[str, Any]) -> None:
        """Write the files (the manifest last, so a crash leaves an index that reads as stale)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "manifest.json").unlink(missing_ok=True)
        np.save(self.folder / "vectors.npy", self.vectors)
        pq.write_table(self.keys, self.folder / "keys.parquet")
        self.manifest = {
            **self.manifest,
            "fingerprint": fingerprint,
            "count": int(self.keys.num_rows),
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (self.folder / "manifest.json").write_text(
            json.dumps(self.manifest, indent=2, default=str), encoding="utf-8"
        )

    def staleness(self, model_id: str, fingerprint: dict[str, Any]) -> str | None:
        """Why the index does not match the warehouse and model, or None when it is current."""
        if self.manifest.get("model_id") != model_id:
            return f"built with model {self.manifest.get('model_id')}, now {model_id}"
        stored = self.manifest.get("fingerprint") or {}
        changed = [k for k in sorted(fingerprint) if str(stored.get(k)) != str(fingerprint[k])]
        if changed:
            return "what it was built from changed since (" + ", ".join(changed) + ")"
        return None

    def position(self, platform: str, creator_id: str) -> int | None:
        if self._positions is None:
            self._positions = {
                (p, c): i
                for i, (p, c) in enumerate(
                    zip(
                        self.keys.column("platform").to_pylist(),
                        self.keys.column("creator_id").to_pylist(),
                        strict=True,
                    )
                )
            }
        return self._positions.get((platform, creator_id))

    def niches(self) -> NicheVectors | None:
        """The niche vectors saved beside this index with its model, read once found (a score
        that runs while a web app holds this index may write them after it was loaded)."""
        if self._niches is None:
            self._niches = load_niche_vectors(self.folder, str(self.manifest.get("model_id")))
        return self._niches

    def joined_keys(self) -> pa.Array:
        """Each row's platform and creator_id as one string (:func:`joined_keys`), made once:
        every search matches its filters' creators against them."""
        if self._joined is None:
            self._joined = joined_keys(self.keys)
        return self._joined

    def update(
        self,
        keys: Sequence[tuple[str, str]],
        hashes: Sequence[str],
        documents: Sequence[str],
        embed: Callable[[list[str]], Vectors],
    ) -> UpdateCounts:
        """Make the index hold exactly ``keys``; embed only new or changed documents."""
        old = {
            (p, c): (i, h)
            for i, (p, c, h) in enumerate(
                zip(
                    self.keys.column("platform").to_pylist(),
                    self.keys.column("creator_id").to_pylist(),
                    self.keys.column("doc_hash").to_pylist(),
                    strict=True,
                )
            )
        }
        todo = [i for i, key in enumerate(keys) if old.get(key, (-1, None))[1] != hashes[i]]
        fresh = embed([documents[i] for i in todo]) if todo else np.zeros((0, 0), np.float32)
        vectors = np.zeros((len(keys), self.vectors.shape[1]), np.float32)
        reuse = [(i, old[key][0]) for i, key in enumerate(keys) if key in old]
        if reuse:
            new_rows, old_rows = (np.array(x, np.int64) for x in zip(*reuse, strict=True))
            vectors[new_rows] = self.vectors[old_rows]
        if todo:
            vectors[np.array(todo, np.int64)] = fresh
        added = sum(1 for i in todo if keys[i] not in old)
        wanted = set(keys)
        removed = sum(1 for key in old if key not in wanted)
        self.vectors = vectors
        self.keys = pa.table(
            {
                "platform": pa.array([k[0] for k in keys], pa.string()),
                "creator_id": pa.array([k[1] for k in keys], pa.string()),
                "doc_hash": pa.array(list(hashes), pa.string()),
            }
        )
        self._positions = None
        self._ann = None
        self._joined = None
        return UpdateCounts(added, len(todo) - added, removed, len(keys) - len(todo))

    def ann(self, min_rows: int) -> AnnIndex | None:
        """The IVF index over all vectors, built on first use when there are enough of them."""
        if self.vectors.shape[0] < min_rows:
            return None
        if self._ann is None:
            self._ann = AnnIndex(self.vectors)
        return self._ann


# (mtime in ns, size) of an index folder's manifest, which every save writes last.
Stamp = tuple[int, int]


class IndexStore:
    """The vector index saved in one folder, loaded once and kept while its manifest is unchanged.

    A long-running owner (the web app) keeps one store for its lifetime: a ``microscout score``
    run meanwhile rewrites the files, the manifest last, and the next :meth:`current` sees the
    new stamp and loads the new index, so no request pays for a reload it does not need. The
    index :meth:`current` returns is shared and never changed; updates work on
    :meth:`editable`, a private copy, and :meth:`VectorIndex.save` it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._index: VectorIndex | None = None

    def _manifest_stamp(self) -> Stamp | None:
        try:
            stat = (self.folder / "manifest.json").stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def current(self) -> VectorIndex | None:
        """The saved index as its files are now (None when none was built); shared, read-only."""
        stamp = self._manifest_stamp()
        if stamp is None:
            return None
        with self._lock:
            if self._index is None or stamp != self._stamp:
                self._index = VectorIndex.load(self.folder)
                self._stamp = stamp
            return self._index

    def editable(self) -> VectorIndex | None:
        """A private copy of the saved index to update and save (None when none was built)."""
        return VectorIndex.load(self.folder)


__all__ = [
    "AnnIndex",
    "IndexStore",
    "NicheVectors",
    "UpdateCounts",
    "VectorIndex",
    "document_hash",
    "knn",
    "load_niche_vectors",
    "save_niche_vectors",
]
