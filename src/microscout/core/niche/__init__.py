"""Niches: the IAB Content Taxonomy 3.1 vocabulary and the pure math of niche distributions."""

from microscout.core.niche.focus import NicheMix, creator_mix, niche_focus, post_distribution
from microscout.core.niche.taxonomy import Category, Taxonomy, parse_taxonomy

__all__ = [
    "Category",
    "NicheMix",
    "Taxonomy",
    "creator_mix",
    "niche_focus",
    "parse_taxonomy",
    "post_distribution",
]
