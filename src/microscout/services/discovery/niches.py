"""Training the supervised niche model, and resolving labels to IAB categories.

``microscout niche train LABELLED`` fits a logistic regression over hashed word 1–2-grams and
character 3–5-grams of the captions and hashtags, beside the creator's account votes (the
niches of labelled creators sharing its commenters, tagged accounts and sponsors; see
``core/niche/neighbours.py``), on one document per labelled creator. The model, its file and
the labels file reader are ``adapters/models/niche_model.py``; the next ``microscout score``
applies it (``services/discovery/niche_stage.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pyarrow as pa

from microscout.adapters.models.niche_model import (
    MODEL_KIND,
    NO_ACCOUNTS,
    AccountPairs,
    LinearNicheModel,
    features,
    niche_model_file,
    read_labels,
    save_niche_model,
)
from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.config import Settings
from microscout.core.niche.neighbours import count_accounts, vote_shares
from microscout.core.niche.taxonomy import Taxonomy
from microscout.core.text import post_text
from microscout.errors import FileFormatError, NotFoundError, ParameterError

# The Kim et al. categories, mapped once to their IAB Content Taxonomy 3.1 ids.
KIM_TO_IAB = MappingProxyType(
    {
        "beauty": "553",  # Style & Fashion > Beauty
        "family": "186",  # Family and Relationships
        "fashion": "552",  # Style & Fashion
        "fitness": "225",  # Healthy Living > Fitness and Exercise
        "food": "210",  # Food & Drink
        "interior": "283",  # Home & Garden > Interior Decorating
        "pet": "422",  # Pets
        "travel": "653",  # Travel
    }
)


def load_taxonomy() -> Taxonomy:
    """The packaged IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0)."""
    return packaged_taxonomy()


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
    model.fit(features(texts, votes), label_index)
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


def train(warehouse: Warehouse, settings: Settings, labelled: Path) -> TrainReport:
    """Fit the supervised niche model on the labelled creators' posts in the warehouse."""
    taxonomy = packaged_taxonomy()
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
    posts, accounts = queries.labelled_posts_and_accounts(warehouse, table)
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
    path = niche_model_file(settings.home)
    save_niche_model(model, path)
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


__all__ = [
    "KIM_TO_IAB",
    "TrainReport",
    "creator_documents",
    "fit_linear",
    "load_taxonomy",
    "resolve_label",
    "train",
]
