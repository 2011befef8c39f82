"""Term and category vectors kept between scoring runs: reused only for the same model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from microscout.adapters.text.embedder import Embedder, Vectors, default_model_dir
from microscout.adapters.text.remembered import RememberedVectors

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / "model.onnx").exists(),
    reason="text model not exported: run make models",
)


class CountingEmbedder(Embedder):
    """The real model, noting which texts it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str], **options: object) -> Vectors:
        self.embedded += list(texts)
        return super().embed(texts)


@pytest.fixture(scope="module")
def model() -> CountingEmbedder:
    return CountingEmbedder()


def test_a_second_run_embeds_only_new_texts_and_gets_the_same_vectors(
    model: CountingEmbedder, tmp_path: Path
) -> None:
    path = tmp_path / "term_vectors.parquet"
    first = RememberedVectors(path, model)
    vectors = first.embed(["skincare", "sourdough", "skincare"])
    first.save()
    np.testing.assert_allclose(
        vectors, model.embed(["skincare", "sourdough", "skincare"]), atol=1e-5
    )
    model.embedded.clear()
    second = RememberedVectors(path, model)
    again = second.embed(["sourdough", "telescope"])
    assert model.embedded == ["telescope"]
    np.testing.assert_allclose(again[0], vectors[1], atol=1e-6)
    second.save()
    assert sorted(pq.read_table(path)["text"].to_pylist()) == ["sourdough", "telescope"]


def test_vectors_of_another_model_are_not_reused(model: CountingEmbedder, tmp_path: Path) -> None:
    path = tmp_path / "term_vectors.parquet"
    old = RememberedVectors(path, model)
    old.embed(["skincare"])
    old.model_id = "another model"
    old.save()
    model.embedded.clear()
    RememberedVectors(path, model).embed(["skincare"])
    assert model.embedded == ["skincare"]
