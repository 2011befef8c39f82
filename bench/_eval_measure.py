"""How ``bench/eval_world.py`` turns what the product answered into figures (pure functions).

Every figure is defined here once, so the unit test can check it on hand-worked cases:

- a planted problem counts as **found** when the creator's stored audience-quality reasons hold a
  red flag of one of its codes (:data:`KIND_CODES`); precision = found among flagged, recall =
  found among planted. Precision is ``None`` when nothing was flagged (undefined, not perfect);
- **precision@k** divides the relevant results by ``k`` even when fewer came back, so a short or
  refused answer costs what it misses;
- niche accuracy counts a missing label ("unsure", NULL, or an id the taxonomy lacks) as wrong.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# The reason codes (docs/authenticity.md) that say the product saw each planted problem.
KIND_CODES: dict[str, tuple[str, ...]] = {
    "bought": ("fake_followers",),
    "pod": ("engagement_pod", "generic_comments"),
    "inactive": ("inactive",),
    "low_reach": ("low_reach", "below_reach_gate"),
}
UNSURE = frozenset({"", "unsure"})


def reasons(reasons_json: str | None) -> list[dict[str, Any]]:
    """The stored JSON list of reasons; an empty list when there is none."""
    if not reasons_json:
        return []
    parsed = json.loads(reasons_json)
    return [r for r in parsed if isinstance(r, dict)] if isinstance(parsed, list) else []


def is_red_flag(reason: dict[str, Any]) -> bool:
    """The reason's own ``flag``; a reason that does not say is a flag when it takes points."""
    if "flag" in reason:
        return bool(reason["flag"])
    return float(reason.get("points") or 0) < 0


def flagged_kinds(reasons_json: str | None) -> set[str]:
    """The planted-problem kinds whose codes appear as red flags in ``reasons_json``."""
    codes = {r.get("code") for r in reasons(reasons_json) if is_red_flag(r)}
    return {kind for kind, kind_codes in KIND_CODES.items() if codes & set(kind_codes)}


def fake_reason_attached(reasons_json: str | None) -> bool:
    """A fake-followers reason that flags the creator or takes points off its score."""
    return any(
        r.get("code") == "fake_followers" and (is_red_flag(r) or float(r.get("points") or 0) < 0)
        for r in reasons(reasons_json)
    )


def precision_recall(
    planted: Iterable[Hashable], flagged: Iterable[Hashable]
) -> dict[str, float | int | None]:
    """Precision and recall of ``flagged`` against ``planted``, with the counts behind them."""
    truth, found = set(planted), set(flagged)
    hits = len(truth & found)
    return {
        "precision": hits / len(found) if found else None,
        "recall": hits / len(truth) if truth else None,
        "planted": len(truth),
        "flagged": len(found),
        "found": hits,
    }


def precision_at_k(ranked: Sequence[T], relevant: Callable[[T], bool], k: int = 10) -> float:
    """Relevant results among the first ``k``, divided by ``k`` (missing ranks count as misses)."""
    return sum(1 for item in ranked[:k] if relevant(item)) / k


def accuracy(pairs: Sequence[tuple[str, str | None]]) -> float:
    """Share of (true, predicted) pairs that agree; a missing prediction is wrong."""
    if not pairs:
        return 0.0
    return sum(1 for true, predicted in pairs if predicted is not None and true == predicted) / len(
        pairs
    )


def majority_accuracy(labels: Sequence[str]) -> float:
    """What always answering the most frequent true label scores: the baseline to beat."""
    if not labels:
        return 0.0
    return Counter(labels).most_common(1)[0][1] / len(labels)


def known_label(label: str | None, known: Callable[[str], bool]) -> str | None:
    """``label`` when it names a node the taxonomy holds; None for unsure, NULL or unknown ids."""
    if label is None or label.strip().lower() in UNSURE or not known(label):
        return None
    return label


def mean(values: Iterable[float]) -> float | None:
    seen = list(values)
    return sum(seen) / len(seen) if seen else None


__all__ = [
    "KIND_CODES",
    "accuracy",
    "fake_reason_attached",
    "flagged_kinds",
    "is_red_flag",
    "known_label",
    "majority_accuracy",
    "mean",
    "precision_at_k",
    "precision_recall",
    "reasons",
]
