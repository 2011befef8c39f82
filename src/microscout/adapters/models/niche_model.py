"""The supervised niche model: its features, its predictions, its file, and its labelled input.

A logistic regression over hashed word 1–2-grams and character 3–5-grams of the captions and
hashtags, beside the creator's account votes (the niches of labelled creators sharing its
commenters, tagged accounts and sponsors; see ``core/niche/neighbours.py``). Training lives in
``services/discovery/niches.py``; this module holds what a trained model is and how it is kept:
``<home>/models/niche_linear.npz`` (coefficients and account counts as plain arrays, no pickle),
and the CSV of labelled handles it is trained from.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from microscout.core.handles import normalise_handle
from microscout.core.niche.neighbours import AccountCounts, distinct_pairs, vote_shares
from microscout.errors import FileFormatError

# Hashed feature buckets: word 1-2-grams, then character 3-5-grams within words (these catch
# spelling variants, inflections and languages the word features see too rarely).
WORD_FEATURES = 2**20
CHAR_FEATURES = 2**18
MODEL_KIND = "linear-hashed-word-char-votes"
MODEL_FILE = "niche_linear.npz"


def niche_model_file(home: Path) -> Path:
    """Where the home's trained niche model is saved."""
    return home / "models" / MODEL_FILE


def features(texts: Sequence[str], votes: npt.NDArray[np.float64]) -> Any:
    """Sparse features: words and characters (each block L2-normalised), then the votes."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import HashingVectorizer

    words = HashingVectorizer(
        n_features=WORD_FEATURES,
        ngram_range=(1, 2),
        alternate_sign=False,
        norm="l2",
        token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106 (a word regex, not a password)
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
        logits = np.asarray(features(texts, votes) @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return result


def save_niche_model(model: LinearNicheModel, path: Path) -> None:
    """Write the model as plain arrays (``np.load`` reads it back without pickle)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        classes=np.array(model.classes),
        coef=model.coef,
        intercept=model.intercept,
        model_id=np.array(model.model_id),
        vote_accounts=np.array(model.account_counts.accounts, dtype=str),
        vote_counts=model.account_counts.counts,
    )


def load_niche_model(path: Path) -> LinearNicheModel | None:
    """The model saved at ``path``, or None when none was trained."""
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
    return LinearNicheModel(
        tuple(str(c) for c in data["classes"]),
        data["coef"].astype(np.float32),
        data["intercept"].astype(np.float32),
        model_id,
        counts,
    )


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
                platform = clean.get("platform") or None
                rows.append((platform, normalise_handle(clean[handle_col]), clean[label_col]))
    return rows


__all__ = [
    "CHAR_FEATURES",
    "MODEL_FILE",
    "MODEL_KIND",
    "NO_ACCOUNTS",
    "WORD_FEATURES",
    "AccountPairs",
    "LinearNicheModel",
    "features",
    "load_niche_model",
    "niche_model_file",
    "read_labels",
    "save_niche_model",
]
