"""Where the planner's candidates come from: a brief and filters -> creator keys with a relevance.

:class:`CandidateSource` is the interface; semantic search implements it
(services/discover_candidates.py, the default when the text model is exported), and
:func:`keyword_candidates` is the fallback, documented in docs/planning.md:

    relevance = 0.5 x niche match + 0.25 x bio match + 0.25 x hashtag match, each in [0, 1]

- niche match: the share of the brief's words found in the vocabulary of the creator's niche
  (IAB name, the demo niches' topics, hashtags and handle words, and the source's own category
  label), full weight for the first niche listed and half for the others;
- bio match: the share of the brief's words found in the bio;
- hashtag match: the share of the creator's posts carrying a hashtag equal to a brief word.

Creators with relevance 0 are not candidates. The default pool is the micro tier, with the reach
gate not failed (unknown passes), ranked by relevance, then audience quality, then engagement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.demo.niches import NICHES

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "for",
        "of",
        "to",
        "in",
        "on",
        "with",
        "our",
        "my",
        "your",
        "we",
        "is",
        "are",
        "at",
        "by",
        "from",
        "or",
        "new",
        "brand",
        "launch",
        "campaign",
        "who",
        "that",
        "this",
        "people",
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


def brief_terms(brief: str) -> list[str]:
    """The brief's distinct content words, lower-case, in order."""
    seen: list[str] = []
    for word in _WORD.findall(brief.lower()):
        if len(word) >= 3 and word not in _STOP and word not in seen:
            seen.append(word)
    return seen


def _vocabulary() -> dict[str, set[str]]:
    """Words of each IAB niche the demo knows, keyed by IAB id."""
    vocab: dict[str, set[str]] = {}
    for niche in NICHES:
        text = " ".join(
            (niche.key, niche.iab_name, *niche.topics, *niche.hashtags, *niche.handle_words)
        )
        vocab[niche.iab_id] = set(_WORD.findall(text.lower())) | {niche.key}
    return vocab


def niche_scores(terms: list[str]) -> dict[str, float]:
    """Share of the brief's words in each niche's vocabulary (niches with a match only)."""
    if not terms:
        return {}
    out: dict[str, float] = {}
    for iab, words in _vocabulary().items():
        hit = sum(1 for t in terms if t in words)
        if hit:
            out[iab] = hit / len(terms)
    return out


def keyword_candidates(warehouse: Warehouse, brief: str, flt: CandidateFilter) -> pa.Table:
    """The interim keyword matcher (see the module docstring)."""
    terms = brief_terms(brief)
    if not terms:
        return pa.table(
            {
                "platform": pa.array([], pa.string()),
                "creator_id": pa.array([], pa.string()),
                "relevance": pa.array([], pa.float64()),
                "relevance_reasons": pa.array([], pa.string()),
            }
        )
    scores = niche_scores(terms)
    niche_rows = pa.table(
        {
            "iab": pa.array(list(scores), pa.string()),
            "score": pa.array(list(scores.values()), pa.float64()),
        }
    )
    term_list = pa.table({"term": pa.array(terms, pa.string())})
    where = ["TRUE"]
    params: list[object] = []
    if flt.tiers:
        where.append(f"s.tier IN ({', '.join('?' for _ in flt.tiers)})")
        params += list(flt.tiers)
    if flt.platforms:
        where.append(f"c.platform IN ({', '.join('?' for _ in flt.platforms)})")
        params += list(flt.platforms)
    if flt.countries:
        where.append(f"c.country IN ({', '.join('?' for _ in flt.countries)})")
        params += list(flt.countries)
    if flt.require_reach_gate:
        where.append("s.passes_reach_gate IS NOT FALSE")
    n_terms = float(len(terms))
    duck = warehouse.duck
    duck.register("_plan_niches", niche_rows)
    duck.register("_plan_terms", term_list)
    try:
        sql = f"""
        WITH base AS (
            SELECT c.platform, c.creator_id, lower(coalesce(c.bio, '')) AS bio,
                   lower(coalesce(c.source_category, '')) AS category,
                   string_split(coalesce(c.niches, ''), '|') AS niche_list,
                   s.audience_quality, s.er_median
            FROM creators c JOIN creator_scores s USING (platform, creator_id)
            WHERE {" AND ".join(where)}
        ),
        niche AS (
            SELECT b.platform, b.creator_id,
                   max(n.score * CASE WHEN u.pos = 1 THEN 1.0 ELSE 0.5 END) AS niche_match
            FROM base b,
                 unnest(b.niche_list) WITH ORDINALITY AS u(iab, pos)
                 JOIN _plan_niches n ON n.iab = u.iab
            GROUP BY ALL
        ),
        words AS (
            SELECT b.platform, b.creator_id,
                   count(*) FILTER (WHERE regexp_matches(b.bio, '\\b' || t.term || '\\b'))
                     / {n_terms} AS bio_match,
                   max(CASE WHEN b.category = t.term THEN 1.0 ELSE 0.0 END) AS category_match
            FROM base b CROSS JOIN _plan_terms t GROUP BY ALL
        ),
        tags AS (
            SELECT p.platform, p.creator_id,
                   avg(CASE WHEN list_has_any(string_split(coalesce(p.hashtags, ''), '|'),
                                              (SELECT list(term) FROM _plan_terms))
                       THEN 1.0 ELSE 0.0 END) AS tag_match
            FROM posts p SEMI JOIN base b USING (platform, creator_id)
            GROUP BY ALL
        )
        SELECT b.platform, b.creator_id,
               greatest(coalesce(n.niche_match, 0), coalesce(w.category_match, 0)) AS niche_match,
               coalesce(w.bio_match, 0) AS bio_match, coalesce(t.tag_match, 0) AS tag_match,
               b.audience_quality, b.er_median
        FROM base b
        LEFT JOIN niche n USING (platform, creator_id)
        LEFT JOIN words w USING (platform, creator_id)
        LEFT JOIN tags t USING (platform, creator_id)
        """
        rows = warehouse.fetch_arrow(
            f"""SELECT platform, creator_id,
                   0.5 * niche_match + 0.25 * bio_match + 0.25 * tag_match AS relevance,
                   printf('niche %.2f, bio %.2f, hashtags %.2f', niche_match, bio_match,
                          tag_match) AS relevance_reasons
                FROM ({sql})
                WHERE niche_match + bio_match + tag_match > 0
                ORDER BY relevance DESC, audience_quality DESC NULLS LAST,
                         er_median DESC NULLS LAST, platform, creator_id
                LIMIT {int(flt.limit)}""",
            params,
        )
    finally:
        duck.unregister("_plan_niches")
        duck.unregister("_plan_terms")
    return rows


__all__ = [
    "CandidateFilter",
    "CandidateSource",
    "brief_terms",
    "keyword_candidates",
    "niche_scores",
]
