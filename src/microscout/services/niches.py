"""Niche models: the zero-shot term lexicon and the supervised per-post classifier.

Zero-shot (default): the most frequent hashtags and caption words are embedded together with the
IAB category paths ("Style & Fashion > Beauty > Skin Care"); each term maps to its most similar
category when the cosine reaches ``niche_min_similarity``. A post's niche distribution is then the
normalised sum of its terms' similarities per niche (cheap: one SQL join, no per-post embedding).

Supervised (``microscout niche train LABELLED``): a logistic regression over hashed word 1–2-grams
of each post's caption and hashtags, fitted on the posts of labelled creators (each post takes its
creator's label). Its coefficients are stored as ``<home>/models/niche_linear.npz``, no pickle.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.niche.taxonomy import Taxonomy, parse_taxonomy
from microscout.errors import FileFormatError, NotFoundError, ParameterError

# The Kim et al. categories, mapped once to their IAB Content Taxonomy 3.1 ids.
KIM_TO_IAB = {
    "beauty": "553",  # Style & Fashion > Beauty
    "family": "186",  # Family and Relationships
    "fashion": "552",  # Style & Fashion
    "fitness": "225",  # Healthy Living > Fitness and Exercise
    "food": "210",  # Food & Drink
    "interior": "283",  # Home & Garden > Interior Decorating
    "pet": "422",  # Pets
    "travel": "653",  # Travel
}
# Hashed feature buckets: word 1-2-grams, then character 3-5-grams within words (these catch
# spelling variants, inflections and languages the word features see too rarely).
WORD_FEATURES = 2**20
CHAR_FEATURES = 2**18
MODEL_KIND = "linear-hashed-word-char"
WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)


@cache
def load_taxonomy() -> Taxonomy:
    """The packaged IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0)."""
    text = (
        resources.files("microscout.resources")
        .joinpath("iab_content_taxonomy_3.1.tsv")
        .read_text(encoding="utf-8")
    )
    return parse_taxonomy(text)


def model_file(settings: Settings) -> Path:
    return settings.home / "models" / "niche_linear.npz"


def post_text(caption: str | None, hashtags: str | None) -> str:
    return f"{caption or ''} {(hashtags or '').replace('|', ' ')}".strip()


def _features(texts: Sequence[str]) -> Any:
    """Sparse features of ``texts``: each block (words, characters) L2-normalised, side by side."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer

    words = HashingVectorizer(
        n_features=WORD_FEATURES,
        ngram_range=(1, 2),
        alternate_sign=False,
        norm="l2",
        token_pattern=r"(?u)\b\w\w+\b",
    )
    chars = HashingVectorizer(
        n_features=CHAR_FEATURES,
        analyzer="char_wb",
        ngram_range=(3, 5),
        alternate_sign=False,
        norm="l2",
    )
    listed = list(texts)
    return hstack([words.transform(listed), chars.transform(listed)]).tocsr()


@dataclass(frozen=True)
class LinearNicheModel:
    """Softmax over hashed n-gram features: ``p = softmax(W·x + b)``."""

    classes: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    model_id: str

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        features = _features(texts)
        logits = np.asarray(features @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return result

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            coef=self.coef,
            intercept=self.intercept,
            model_id=np.array(self.model_id),
        )

    @classmethod
    def load(cls, path: Path) -> LinearNicheModel | None:
        if not path.exists():
            return None
        data = np.load(path, allow_pickle=False)
        model_id = str(data["model_id"])
        if not model_id.startswith(MODEL_KIND + ":"):
            raise FileFormatError(
                path,
                f"holds a niche model of another kind ({model_id}); train it again with "
                "`microscout niche train LABELLED.csv`",
            )
        return cls(
            tuple(str(c) for c in data["classes"]),
            data["coef"].astype(np.float32),
            data["intercept"].astype(np.float32),
            model_id,
        )


def creator_documents(
    creators: Sequence[str], texts: Sequence[str], labels: Sequence[str]
) -> tuple[list[str], list[str]]:
    """One training document per creator (its posts' texts joined) and the creator's label.

    Fitting on creators rather than posts weighs each creator once, however many posts it has,
    and gives the model several posts' worth of words per example (docs/discovery.md).
    """
    joined: dict[str, list[str]] = {}
    label_of: dict[str, str] = {}
    for creator, text, label in zip(creators, texts, labels, strict=True):
        joined.setdefault(creator, []).append(text)
        label_of.setdefault(creator, label)
    return [" \n ".join(parts) for parts in joined.values()], [label_of[c] for c in joined]


def fit_linear(
    texts: Sequence[str], labels: Sequence[str], *, c: float = 8.0, seed: int = 0
) -> LinearNicheModel:
    """Fit the supervised model on texts (creator documents) and their IAB labels.

    Classes are weighted inversely to their frequency, so a rare niche counts as much as a common
    one in the fit, as it does in the macro-F1 the model is judged by.
    """
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ParameterError("labelled", "needs creators of at least two different niches")
    features = _features(texts)
    model = LogisticRegression(C=c, max_iter=300, random_state=seed, class_weight="balanced")
    model.fit(features, list(labels))
    coef = np.asarray(model.coef_, np.float32)
    intercept = np.asarray(model.intercept_, np.float32)
    if coef.shape[0] == 1:
        # Two classes: scikit-learn keeps one row, P(second) = sigmoid(w.x + b). A softmax over
        # the logits (0, w.x + b) is the same probability and keeps one row per class.
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    digest = hashlib.sha256(coef.tobytes()).hexdigest()[:12]
    return LinearNicheModel(
        tuple(str(x) for x in model.classes_), coef, intercept, f"{MODEL_KIND}:{digest}"
    )


def resolve_label(label: str, taxonomy: Taxonomy) -> str | None:
    """An IAB id from an id, an IAB name, or a Kim category."""
    label = label.strip()
    if label.casefold() in KIM_TO_IAB:
        return KIM_TO_IAB[label.casefold()]
    found = taxonomy.find(label)
    return found.id if found else None


@dataclass(frozen=True)
class TrainReport:
    creators: int
    posts: int
    classes: tuple[str, ...]
    skipped_labels: tuple[str, ...]
    unknown_handles: int
    model_id: str
    path: Path


def read_labels(path: Path) -> list[tuple[str | None, str, str]]:
    """(platform or None, handle, label) rows of a CSV with columns handle, label[, platform]."""
    if not path.exists():
        raise FileFormatError(path, "no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = {f.strip().lower() for f in reader.fieldnames or []}
        handle_col = "handle" if "handle" in fields else "username" if "username" in fields else ""
        label_col = "label" if "label" in fields else "category" if "category" in fields else ""
        if not handle_col or not label_col:
            raise FileFormatError(
                path, "needs a 'handle' (or 'username') column and a 'label' (or 'category') one"
            )
        rows = []
        for row in reader:
            clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if clean.get(handle_col) and clean.get(label_col):
                rows.append(
                    (clean.get("platform") or None, clean[handle_col].lstrip("@").lower(),
                     clean[label_col])
                )  # fmt: skip
    return rows


def train(warehouse: Warehouse, settings: Settings, labelled: Path) -> TrainReport:
    """Fit the supervised niche model on the labelled creators' posts in the warehouse."""
    taxonomy = load_taxonomy()
    rows = read_labels(labelled)
    if not rows:
        raise FileFormatError(labelled, "has no labelled rows")
    resolved = [(p, h, resolve_label(label, taxonomy), label) for p, h, label in rows]
    skipped = sorted({label for *_, iab, label in resolved if iab is None})
    keep = [(p, h, iab) for p, h, iab, _ in resolved if iab is not None]
    table = pa.table(
        {
            "platform": pa.array([p for p, _, _ in keep], pa.string()),
            "handle": pa.array([h for _, h, _ in keep], pa.string()),
            "niche": pa.array([n for _, _, n in keep], pa.string()),
        }
    )
    warehouse.duck.register("_labels", table)
    try:
        posts = warehouse.fetch_arrow(
            "SELECT l.handle, l.niche, p.caption, p.hashtags FROM _labels l "
            "JOIN creators c ON c.handle = l.handle AND (l.platform IS NULL OR l.platform = "
            "c.platform) JOIN posts p ON p.platform = c.platform AND p.creator_id = c.creator_id"
        )
    finally:
        warehouse.duck.unregister("_labels")
    if posts.num_rows == 0:
        raise NotFoundError(
            f"none of the {len(keep)} labelled handles in {labelled} has posts in the warehouse; "
            "import their posts first (`microscout import`)"
        )
    texts = [
        post_text(c, h)
        for c, h in zip(posts["caption"].to_pylist(), posts["hashtags"].to_pylist(), strict=True)
    ]
    docs, labels = creator_documents(posts["handle"].to_pylist(), texts, posts["niche"].to_pylist())
    model = fit_linear(docs, labels)
    path = model_file(settings)
    model.save(path)
    found = set(posts["handle"].to_pylist())
    return TrainReport(
        creators=len(found),
        posts=posts.num_rows,
        classes=model.classes,
        skipped_labels=tuple(skipped),
        unknown_handles=len({h for _, h, _ in keep} - found),
        model_id=model.model_id,
        path=path,
    )


@dataclass(frozen=True)
class Lexicon:
    terms: pa.Table  # term, niche_id, similarity, creators_n, model_id
    vocabulary_size: int


def build_lexicon(
    terms: Sequence[str], creators_n: Sequence[int], embedder: Embedder, settings: Settings
) -> Lexicon:
    """Map each term to its most similar IAB category (zero-shot, from the category paths)."""
    taxonomy = load_taxonomy()
    categories = taxonomy.up_to_depth(settings.niche_max_depth)
    labels = embedder.embed([c.path for c in categories])
    vectors = embedder.embed([t.replace("_", " ") for t in terms])
    sims = vectors @ labels.T if len(terms) else np.zeros((0, len(categories)), np.float32)
    best = sims.argmax(axis=1) if len(terms) else np.zeros(0, np.int64)
    top = sims[np.arange(len(terms)), best] if len(terms) else np.zeros(0, np.float32)
    keep = top >= settings.niche_min_similarity
    table = pa.table(
        {
            "term": pa.array([t for t, k in zip(terms, keep, strict=True) if k], pa.string()),
            "niche_id": pa.array([categories[int(b)].id for b in best[keep]], pa.string()),
            "similarity": pa.array(top[keep].astype(np.float64)),
            "creators_n": pa.array(np.asarray(creators_n, np.int64)[keep]),
            "model_id": pa.array([embedder.model_id] * int(keep.sum()), pa.string()),
        }
    )
    return Lexicon(table, len(categories))


def labels_json(report: TrainReport) -> str:
    return json.dumps({"classes": list(report.classes), "model_id": report.model_id})


__all__ = [
    "KIM_TO_IAB",
    "Lexicon",
    "LinearNicheModel",
    "TrainReport",
    "build_lexicon",
    "fit_linear",
    "load_taxonomy",
    "model_file",
    "post_text",
    "resolve_label",
    "train",
]
