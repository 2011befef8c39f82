"""The search ranking: a documented blend of relevance and quality, with the reason for each part.

Every component is scaled to [0, 1] where 0.5 is "neutral" (the tier norm, the reach gate, or an
unknown value), and the score is the weighted mean ``Σ wᵢ·cᵢ / Σ wᵢ``. A component *raised* a
creator's rank when cᵢ > 0.5 and *lowered* it when cᵢ < 0.5; its effect on the score is
``wᵢ·(cᵢ − 0.5) / Σ wᵢ``. Components (docs/discovery.md):

- relevance: cosine similarity of the brief and the creator's document, clipped to [0, 1];
- engagement: r / (1 + r) with r = er_median / the median er_median of the creator's tier;
- reach: min(reach_rate / reach_gate, 2) / 2, so passing the gate exactly gives 0.5;
- audience_quality: audience_quality / 100 (from the authenticity stage); a creator not vetted
  (no signal could be checked, so no audience quality) is neutral here, and search ranks it
  after every vetted creator unless asked to include unvetted ones;
- niche_focus: niche_focus as stored;
- niche (search, and plan candidates' relevance): how close the creator's primary niche is to
  the brief, beside the closest niche among the candidates: 1 + gap / NICHE_SPAN clipped to
  [0, 1], gap = cos(brief, its niche) − cos(brief, the closest candidate niche) ≤ 0. The
  creators of the closest niche get 1, a niche NICHE_SPAN less close or more gets 0; no niche
  is neutral;
- terms (search only): 0.5 + 0.5 × the share of the brief's words found in the creator's
  content. Word overlap only adds: a creator found by meaning alone, in other words than the
  brief's, is neutral, never lowered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from microscout.core.authenticity.quality import NOT_VETTED

NEUTRAL = 0.5
COMPONENTS = (
    "relevance",
    "engagement",
    "reach",
    "audience_quality",
    "niche_focus",
    "niche",
    "terms",
)
# How much less close to the brief than the closest candidate niche a creator's niche may be
# before the niche component reaches 0: chosen among 0.05, 0.1 and 0.2 on the evaluation world's
# seed-7 briefs (docs/discovery.md).
NICHE_SPAN = 0.1


@dataclass(frozen=True)
class Component:
    name: str
    value: float  # the component in [0, 1]
    effect: float  # its signed contribution to the score relative to neutral
    evidence: str  # the metric behind it, with its value


@dataclass(frozen=True)
class Ranked:
    """A blended score and what it was made of: each component's name, value, evidence and its
    weight's share of the total. The components with their effects are built when asked for:
    search blends a hundred candidates and explains the twenty it shows."""

    score: float
    parts: tuple[tuple[str, float, str, float], ...]

    @property
    def components(self) -> tuple[Component, ...]:
        return tuple(
            Component(name, value, share * (value - NEUTRAL), evidence)
            for name, value, evidence, share in self.parts
        )


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def engagement_component(er: float | None, tier_norm: float | None) -> tuple[float, str]:
    if er is None or tier_norm is None or tier_norm <= 0:
        return NEUTRAL, "engagement unknown (neutral)"
    r = er / tier_norm
    return r / (1 + r), f"engagement {er:.2%} vs tier median {tier_norm:.2%} (×{r:.2f})"


def reach_component(reach_rate: float | None, gate: float) -> tuple[float, str]:
    if reach_rate is None:
        return NEUTRAL, "reach unknown (neutral)"
    return min(reach_rate / gate, 2.0) / 2.0, f"reach {reach_rate:.1%} vs gate {gate:.0%}"


def quality_component(quality: float | None, verdict: str | None = None) -> tuple[float, str]:
    """Audience quality / 100; neutral when unknown. A creator ``not vetted`` is never raised
    by a score it does not have, whatever a stale row holds."""
    if quality is None or verdict == NOT_VETTED:
        return NEUTRAL, "audience not vetted (neutral)"
    return _clip(quality / 100.0), f"audience quality {quality:.0f}/100"


def terms_component(matched: int, asked: int) -> tuple[float, str]:
    """0.5 + 0.5 × matched / asked: the brief's words found in the creator's content raise it;
    none found is neutral, since a creator may say the same thing in other words."""
    if asked <= 0:
        return NEUTRAL, "no brief words to match (neutral)"
    share = max(0, min(matched, asked)) / asked
    return NEUTRAL + NEUTRAL * share, f"{matched} of {asked} brief words in its content"


def focus_component(focus: float | None, posts_n: int | None) -> tuple[float, str]:
    if focus is None:
        return NEUTRAL, "niche focus unknown (neutral)"
    return _clip(focus), f"niche focus {focus:.2f} over {posts_n or 0} posts"


def niche_component(
    name: str | None, similarity: float | None, closest: tuple[str, float] | None
) -> tuple[float, str]:
    """1 + gap / NICHE_SPAN in [0, 1] (module docstring); ``closest`` is the candidates' niche
    closest to the brief and its cosine. Neutral when the creator has no niche or its niche
    has no vector."""
    if name is None or similarity is None or closest is None:
        return NEUTRAL, "niche unknown (neutral)"
    gap = min(0.0, similarity - closest[1])
    if gap == 0.0:
        return 1.0, f"niche {name}: of the candidates' niches the closest to the brief"
    return (
        _clip(1.0 + gap / NICHE_SPAN),
        f"niche {name}: {-gap:.2f} less close to the brief than {closest[0]}",
    )


def blend(values: Mapping[str, tuple[float, str]], weights: Mapping[str, float]) -> Ranked:
    """The weighted mean of the components; each one's signed effect is in ``components``."""
    positive = {name: max(weights.get(name, 0.0), 0.0) for name in values}
    total = sum(positive.values())
    if total <= 0:
        raise ValueError("at least one ranking weight must be positive")
    parts = tuple(
        (name, value, evidence, positive[name] / total)
        for name, (value, evidence) in values.items()
    )
    return Ranked(sum(value * share for _, value, _, share in parts), parts)


__all__ = [
    "COMPONENTS",
    "NEUTRAL",
    "NICHE_SPAN",
    "Component",
    "Ranked",
    "blend",
    "engagement_component",
    "focus_component",
    "niche_component",
    "quality_component",
    "reach_component",
    "terms_component",
]
