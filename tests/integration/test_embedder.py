"""The exported text model: batching by token budget must not change any vector."""

from __future__ import annotations

import numpy as np
import pytest

from microscout.adapters.text.embedder import DIM, Embedder, default_model_dir

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / "model.onnx").exists(),
    reason="text model not exported: run make models",
)

TEXTS = [
    "",
    "vegan",
    "#skincare #sensitiveskin gentle serum",
    "Morning run by the lake, then overnight oats with berries. " * 12,  # truncated to 128
    "Nos meilleures adresses à Lisbonne : pastéis, miradouros et tram 28.",
    "cast iron skillet cornbread",
]


def test_texts_embedded_together_get_the_vectors_they_get_alone() -> None:
    embedder = Embedder()
    together = embedder.embed(TEXTS, tokens_per_batch=64)
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    assert together.shape == (len(TEXTS), DIM)
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_texts_tokenized_in_several_chunks_keep_their_rows() -> None:
    embedder = Embedder()
    chunked = embedder.embed(TEXTS, tokens_per_batch=64, texts_per_chunk=2)
    np.testing.assert_allclose(chunked, embedder.embed(TEXTS), atol=1e-5)


def test_vectors_are_unit_length_and_keep_the_input_order() -> None:
    embedder = Embedder()
    vectors = embedder.embed(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the skincare text is closest to itself, wherever length sorting put it in a batch
    query = embedder.embed(["sensitive skin serum"])[0]
    assert int(np.argmax(vectors @ query)) == 2


def test_progress_reports_every_text_once_done() -> None:
    seen: list[tuple[int, int]] = []
    Embedder().embed(TEXTS, tokens_per_batch=32, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(TEXTS), len(TEXTS))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) > 1


@pytest.mark.parametrize("quantized", [False, True])
def test_batches_run_side_by_side_give_the_vectors_of_one_thread(quantized: bool) -> None:
    many = [f"{text} {i}" for i in range(40) for text in TEXTS]
    everywhere = Embedder(quantized=quantized)  # several batches at once on this machine's cores
    one = Embedder(quantized=quantized, threads=1)
    side_by_side = everywhere.embed(many, tokens_per_batch=128)
    in_turn = one.embed(many, tokens_per_batch=128)
    assert len({len(t) for t in many}) > 10  # batches of several lengths, in many batches
    # the same batches either way: int8 too (it quantises each batch with its own range)
    np.testing.assert_allclose(side_by_side, in_turn, atol=1e-6)
