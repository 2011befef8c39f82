"""Niche models: the zero-shot term lexicon and the supervised per-post classifier.

Zero-shot (default): the most frequent hashtags and caption words are embedded together with the
IAB category paths ("Style & Fashion > Beauty > Skin Care"); each term maps to its most similar
category when the cosine reaches ``niche_min_similarity``. A post's niche distribution is then the
normalised sum of its terms' similarities per niche (cheap: one SQL join, no per-post embedding).

Supervised (``microscout niche train LABELLED``): a logistic regression over hashed word 1–2-grams
and character 3–5-grams of the captions and hashtags, beside the creator's account votes (the
niches of labelled creators sharing its commenters, tagged accounts and sponsors; see
``core/niche/neighbours.py``), fitted on one document per labelled creator. Its coefficients and
the account counts are stored as ``<home>/models/niche_linear.npz``, no pickle.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from microscout.adapters.text.embedder import Embedder
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.handles import normalise_handle
from microscout.core.niche.neighbours import (
    AccountCounts,
    count_accounts,
    distinct_pairs,
    vote_shares,
)
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
MODEL_KIND = "linear-hashed-word-char-votes"
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


# Every account seen around a creator: its commenters (not its own replies), the accounts its
# posts tag or mention, and its sponsors; one row per mention, distinct pairs are taken later.
CREATOR_ACCOUNTS_SQL = """
    SELECT platform, creator_id, author AS account FROM comments
    WHERE author IS NOT NULL AND NOT coalesce(is_reply_by_creator, false)
    UNION ALL
    SELECT platform, creator_id, unnest(string_split(mentions, '|')) FROM posts
    WHERE mentions IS NOT NULL
    UNION ALL
    SELECT platform, creator_id, unnest(string_split(sponsors, '|')) FROM posts
    WHERE sponsors IS NOT NULL
"""


def model_file(settings: Settings) -> Path:
    return settings.home / "models" / "niche_linear.npz"


def post_text(caption: str | None, hashtags: str | None) -> str:
    return f"{caption or ''} {(hashtags or '').replace('|', ' ')}".strip()


def _features(texts: Sequence[str], votes: npt.NDArray[np.float64]) -> Any:
    """Sparse features: words and characters (each block L2-normalised), then the votes."""
    from scipy.sparse import csr_matrix, hstack
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
    blocks = [words.transform(listed), chars.transform(listed), csr_matrix(votes)]
    return hstack(blocks).tocsr()


Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class AccountPairs:
    """(creator, account) pairs: ``creator[i]`` indexes the creators being fitted or scored."""

    creator: npt.NDArray[np.int64]
    accounts: list[str]

    @classmethod
    def matching(
        cls, position: Mapping[Key, int], keys: Iterable[Key], accounts: Iterable[str]
    ) -> AccountPairs:
        """Pairs of the creators in ``position`` (key -> index); other creators' are dropped."""
        known = [(position[k], a) for k, a in zip(keys, accounts, strict=True) if k in position]
        index, names = distinct_pairs(
            np.array([i for i, _ in known], np.int64), [a for _, a in known]
        )
        return cls(index, names)


NO_ACCOUNTS = AccountPairs(np.zeros(0, np.int64), [])


@dataclass(frozen=True)
class LinearNicheModel:
    """Softmax over hashed n-gram features and the creator's votes: ``p = softmax(W·x + b)``."""

    classes: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    model_id: str
    account_counts: AccountCounts

    def votes(self, pairs: AccountPairs, n_creators: int) -> npt.NDArray[np.float64]:
        """Each creator's votes (shares per class, in ``classes`` order)."""
        return vote_shares(pairs.creator, pairs.accounts, n_creators, self.account_counts)

    def predict_proba(
        self, texts: Sequence[str], votes: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.float64]:
        """Class probabilities per text; ``votes[i]`` are the votes of text i's creator."""
        if votes is None:
            votes = np.zeros((len(texts), len(self.classes)))
        features = _features(texts, votes)
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
            vote_accounts=np.array(self.account_counts.accounts, dtype=str),
            vote_counts=self.account_counts.counts,
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
        counts = AccountCounts(
            tuple(str(a) for a in data["vote_accounts"]), data["vote_counts"].astype(np.int32)
        )
        return cls(
            tuple(str(c) for c in data["classes"]),
            data["coef"].astype(np.float32),
            data["intercept"].astype(np.float32),
            model_id,
            counts,
        )


def creator_documents(
    creators: Sequence[str], texts: Sequence[str], labels: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """One training document per creator (its posts' texts joined) and the creator's label.

    Returns the creators (in first-seen order), their documents and their labels. Fitting on
    creators rather than posts weighs each creator once, however many posts it has, and gives
    the model several posts' worth of words per example (docs/discovery.md).
    """
    joined: dict[str, list[str]] = {}
    label_of: dict[str, str] = {}
    for creator, text, label in zip(creators, texts, labels, strict=True):
        joined.setdefault(creator, []).append(text)
        label_of.setdefault(creator, label)
    return (
        list(joined),
        [" \n ".join(parts) for parts in joined.values()],
        [label_of[c] for c in joined],
    )


def fit_linear(
    texts: Sequence[str],
    labels: Sequence[str],
    pairs: AccountPairs = NO_ACCOUNTS,
    *,
    c: float = 8.0,
    seed: int = 0,
) -> LinearNicheModel:
    """Fit the supervised model on creator documents, their IAB labels and their accounts.

    ``pairs.creator`` indexes ``texts``. Each creator's votes leave its own label out, so the
    model learns what the votes of other creators are worth. Classes are weighted inversely to
    their frequency, so a rare niche counts as much as a common one in the fit, as it does in
    the macro-F1 the model is judged by.
    """
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ParameterError("labelled", "needs creators of at least two different niches")
    label_index = np.array([classes.index(label) for label in labels], np.int64)
    counts = count_accounts(pairs.creator, pairs.accounts, label_index, len(classes))
    votes = vote_shares(pairs.creator, pairs.accounts, len(texts), counts, own_label=label_index)
    model = LogisticRegression(C=c, max_iter=300, random_state=seed, class_weight="balanced")
    model.fit(_features(texts, votes), label_index)
    coef = np.asarray(model.coef_, np.float32)
    intercept = np.asarray(model.intercept_, np.float32)
    if coef.shape[0] == 1:
        # Two classes: scikit-learn keeps one row, P(second) = sigmoid(w.x + b). A softmax over
        # the logits (0, w.x + b) is the same probability and keeps one row per class.
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    digest = hashlib.sha256(coef.tobytes()).hexdigest()[:12]
    return LinearNicheModel(tuple(classes), coef, intercept, f"{MODEL_KIND}:{digest}", counts)


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
    accounts: int  # accounts seen around labelled creators: what the votes can use


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
                    (clean.get("platform") or None, normalise_handle(clean[handle_col]),
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
        labelled_creators = (
            "SELECT DISTINCT l.handle, l.niche, c.platform, c.creator_id FROM _labels l "
            "JOIN creators c ON c.handle = l.handle AND (l.platform IS NULL OR l.platform = "
            "c.platform)"
        )
        posts = warehouse.fetch_arrow(
            f"SELECT l.handle, l.niche, p.caption, p.hashtags FROM ({labelled_creators}) l "
            "JOIN posts p USING (platform, creator_id)"
        )
        accounts = warehouse.fetch_arrow(
            f"SELECT DISTINCT l.handle, a.account FROM ({labelled_creators}) l "
            f"JOIN ({CREATOR_ACCOUNTS_SQL}) a USING (platform, creator_id)"
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
    handles, docs, labels = creator_documents(
        posts["handle"].to_pylist(), texts, posts["niche"].to_pylist()
    )
    # a labelled creator whose posts are all missing has accounts but no document: left out
    pairs = AccountPairs.matching(
        {handle: i for i, handle in enumerate(handles)},
        accounts["handle"].to_pylist(),
        accounts["account"].to_pylist(),
    )
    model = fit_linear(docs, labels, pairs)
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
        accounts=len(model.account_counts.accounts),
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
    "CREATOR_ACCOUNTS_SQL",
    "KIM_TO_IAB",
    "NO_ACCOUNTS",
    "AccountPairs",
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
