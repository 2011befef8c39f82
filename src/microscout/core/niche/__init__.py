"""Niches: the IAB Content Taxonomy 3.1 vocabulary and the pure math of niche focus."""

from microscout.core.niche.focus import niche_focus
from microscout.core.niche.taxonomy import Category, Taxonomy, parse_taxonomy

__all__ = ["Category", "Taxonomy", "niche_focus", "parse_taxonomy"]
