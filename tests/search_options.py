"""The search and lookalike options as cases that every door (API, page, command) is tested
with: what to ask, and what every creator in the answer must then be.

Each case runs on the scored demo of tests/conftest.py. Its check is made against ``WIDE``, the
same request with every tier and a long list, so a case also proves that the option changed the
answer: the wide list has creators the option must drop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

BRIEF = "healthy treats for dogs and cats and their owners"
WIDE: Mapping[str, Any] = {"tier": "any", "limit": 100}
Key = tuple[str, str]
Facts = Callable[[Key], Mapping[str, Any]]


@dataclass(frozen=True)
class Case:
    """Options to add to ``WIDE``, and what each creator found must then satisfy."""

    options: Mapping[str, Any]
    holds: Callable[[Mapping[str, Any]], bool]


CASES: Mapping[str, Case] = {
    "platform": Case({"platform": "tiktok"}, lambda c: c["platform"] == "tiktok"),
    "country": Case({"country": "fr"}, lambda c: c["country"] == "FR"),
    "language": Case({"language": "de"}, lambda c: c["language"] == "de"),
    "tier": Case({"tier": "nano"}, lambda c: c["tier"] == "nano"),
    "followers": Case(
        {"min_followers": 30_000, "max_followers": 60_000},
        lambda c: 30_000 <= c["followers"] <= 60_000,
    ),
    "min_engagement": Case({"min_engagement": 0.03}, lambda c: c["er_median"] >= 0.03),
    "reach_gate": Case({"reach_gate": True}, lambda c: c["passes_reach_gate"] is True),
    "min_audience_quality": Case(
        {"min_audience_quality": 90},
        # a creator not vetted (no audience quality) fails it: unknown is never good enough
        lambda c: c["audience_quality"] is not None and c["audience_quality"] >= 90,
    ),
    "max_fee": Case({"max_fee": 100}, lambda c: c["fee_per_post"] <= 100),
}


def lookalike_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The same options for a lookalike search, whose platform filter is ``only_platform``."""
    renamed = {"platform": "only_platform"}
    return {renamed.get(name, name): value for name, value in options.items()}


def check_case(case: Case, wide: list[Key], found: list[Key], facts: Facts) -> None:
    """The wide answer has creators the option must drop, and the answer has none of them."""
    dropped = [key for key in wide if not case.holds(facts(key))]
    assert dropped, "the option would change nothing: pick a stricter value"
    assert found, "nothing passes: pick a looser value"
    assert [key for key in found if not case.holds(facts(key))] == []


__all__ = ["BRIEF", "CASES", "WIDE", "Case", "Facts", "Key", "check_case", "lookalike_options"]
