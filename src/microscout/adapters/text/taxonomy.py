"""The packaged IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0), read from the package's resources.

Parsing is pure (``core/niche/taxonomy.py``); reading the file is this adapter's job.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

from microscout.core.niche.taxonomy import Taxonomy, parse_keywords, parse_taxonomy

RESOURCE = "iab_content_taxonomy_3.1.tsv"
# microscout's own keywords per category (not IAB's): what posts in each category talk about.
KEYWORDS_RESOURCE = "iab_category_keywords.tsv"


def _resource_text(name: str) -> str:
    return resources.files("microscout.resources").joinpath(name).read_text(encoding="utf-8")


# The file ships inside the package and never changes while a process runs, so it is read once,
# on first use (never at import), and the same immutable tree serves every caller: templates ask
# for a niche's name once per row, and parsing costs about 2 ms.
@functools.cache
def packaged_taxonomy() -> Taxonomy:
    """The IAB Content Taxonomy 3.1 shipped in ``microscout.resources``."""
    return parse_taxonomy(_resource_text(RESOURCE))


@functools.cache
def packaged_keywords() -> Mapping[str, str]:
    """Category id -> comma-separated keywords, for every category up to tier 3 (read-only)."""
    return MappingProxyType(parse_keywords(_resource_text(KEYWORDS_RESOURCE)))


__all__ = ["KEYWORDS_RESOURCE", "RESOURCE", "packaged_keywords", "packaged_taxonomy"]
