"""Zero-shot niches read each category's keywords beside its name, so terms map by meaning."""

from __future__ import annotations

import numpy as np
import pytest

from microscout.adapters.text.embedder import Embedder, default_model_dir
from microscout.adapters.text.taxonomy import packaged_keywords, packaged_taxonomy
from microscout.config import Settings
from microscout.services.discovery.niche_stage import build_lexicon, category_vectors

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / "model.onnx").exists(),
    reason="text model not exported: run make models",
)

# Everyday words whose category a bare name does not say: "smoothie" is nearest to the name
# "Food & Drink", "sudoku" to "Computing" and "warbler" to the pet "Birds".
EXPECTED = {
    "smoothie": "Non-Alcoholic Beverages",
    "latte": "Non-Alcoholic Beverages",
    "sudoku": "Board Games and Puzzles",
    "warbler": "Birdwatching",
    "telescope": "Space and Astronomy",
    "zodiac": "Astrology",
}


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_terms_map_to_the_category_their_posts_talk_about(embedder: Embedder) -> None:
    terms = list(EXPECTED)
    lexicon = build_lexicon(terms, [10] * len(terms), embedder, Settings())
    taxonomy = packaged_taxonomy()
    mapped = {row["term"]: taxonomy.name(row["niche_id"]) for row in lexicon.terms.to_pylist()}
    assert mapped == EXPECTED


def test_names_alone_would_map_some_of_them_elsewhere(embedder: Embedder) -> None:
    categories = packaged_taxonomy().up_to_depth(3)
    names = embedder.embed([c.name for c in categories])
    terms = embedder.embed(list(EXPECTED))
    by_name = [categories[int(i)].name for i in (terms @ names.T).argmax(axis=1)]
    assert sum(a != b for a, b in zip(by_name, EXPECTED.values(), strict=True)) >= 3


def test_a_category_without_keywords_keeps_its_name(embedder: Embedder) -> None:
    taxonomy = packaged_taxonomy()
    keywords = packaged_keywords()
    deep = next(c for c in taxonomy.categories if c.depth == 4)
    assert deep.id not in keywords
    shallow = taxonomy.find("Skin Care")
    assert shallow is not None
    vectors = category_vectors([deep, shallow], embedder)
    names = embedder.embed([deep.name, shallow.name])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], names[0], atol=1e-5)
    assert float(vectors[1] @ names[1]) < 0.99
