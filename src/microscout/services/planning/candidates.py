"""Where the planner's candidates come from: a brief and filters -> creator keys with a relevance.

:class:`CandidateSource` is the interface; semantic search implements it
(services/discovery/candidates.py, the default when the text model is exported), and
:func:`keyword_candidates` is the fallback, documented in docs/planning.md:

    relevance = 0.5 x niche match + 0.25 x bio match + 0.25 x hashtag match, each in [0, 1]

- niche match: the share of the brief's words found in the vocabulary of the creator's niche (the
  words of its IAB Content Taxonomy path and of its sub-categories' names), full weight for the
  first niche listed and half for the others; the creator's own category label from its source
  equal to a brief word counts as a full match;
- bio match: the share of the brief's words found in the bio;
- hashtag match: the share of the creator's posts carrying a hashtag equal to a brief word.

Creators with relevance 0 are not candidates. The default pool is the micro tier, with the reach
gate not failed (unknown passes), ranked by relevance, then audience quality, then engagement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import keyword_matches
from microscout.core.niche.taxonomy import Taxonomy
from microscout.core.text import ASCII_WORD, BRIEF_STOP_WORDS, brief_terms, word_stem

_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("creator_id", pa.string()),
        ("relevance", pa.float64()),
        ("relevance_reasons", pa.string()),
    ]
)


@dataclass(frozen=True)
class CandidateFilter:
    """Hard filters applied before relevance; empty tuples mean "any"."""

    tiers: tuple[str, ...] = ("micro",)
    platforms: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    require_reach_gate: bool = True
    limit: int = 2000


class CandidateSource(Protocol):
    """Returns a table of ``platform, creator_id, relevance, relevance_reasons``, best first."""

    def __call__(self, warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table: ...


def _name_words(name: str) -> set[str]:
    """A category name's content words, and them run together ("Skin Care" -> skincare)."""
    found = [w for w in ASCII_WORD.findall(name.lower()) if w not in BRIEF_STOP_WORDS]
    return {*found, "".join(found)} if len(found) > 1 else set(found)


def vocabulary(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Words of each IAB category, keyed by id: the names on its path from the top tier, and the
    names of the categories right below it (a "Pets" creator is found for "dogs"; deeper names
    are left out, or "Personal Finance" would match "travel" through "Travel Insurance")."""
    words: dict[str, set[str]] = {c.id: set() for c in taxonomy.categories}
    for category in taxonomy.categories:
        words[category.id].update(*(_name_words(tier) for tier in category.tiers))
        if category.parent is not None and category.parent in words:
            words[category.parent].update(_name_words(category.name))
    return {key: frozenset(value) for key, value in words.items()}


def _matches(term: str, word: str) -> bool:
    """A brief word in a vocabulary word: equal, or (the brief word being four letters or more)
    the vocabulary word starts with its stem (core/text.word_stem), so "travellers" finds
    "travel" and "skincare" finds "skincare" but "backpacks" does not find "back"."""
    return term == word or (len(term) >= 4 and word.startswith(word_stem(term)))


def niche_scores(terms: list[str], vocab: dict[str, frozenset[str]]) -> dict[str, float]:
    """Share of the brief's words in each niche's vocabulary (niches with a match only)."""
    if not terms:
        return {}
    out: dict[str, float] = {}
    for iab, words in vocab.items():
        hit = sum(1 for t in terms if any(_matches(t, w) for w in words))
        if hit:
            out[iab] = hit / len(terms)
    return out


def _scores_table(scores: dict[str, float]) -> pa.Table:
    return pa.table(
        {
            "iab": pa.array(list(scores), pa.string()),
            "score": pa.array(list(scores.values()), pa.float64()),
        }
    )


def keyword_candidates(warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table:
    """The keyword matcher (see the module docstring)."""
    terms = brief_terms(brief)
    if not terms:
        return _SCHEMA.empty_table()
    scores = niche_scores(terms, vocabulary(packaged_taxonomy()))
    return keyword_matches(
        warehouse,
        _scores_table(scores),
        terms,
        tiers=flt.tiers,
        platforms=flt.platforms,
        countries=flt.countries,
        require_reach_gate=flt.require_reach_gate,
        limit=flt.limit,
    )


__all__ = [
    "CandidateFilter",
    "CandidateSource",
    "brief_terms",
    "keyword_candidates",
    "niche_scores",
    "vocabulary",
]
