"""The packaged IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0), read from the package's resources.

Parsing is pure (``core/niche/taxonomy.py``); reading the file is this adapter's job.
"""

from __future__ import annotations

import functools
from importlib import resources

from microscout.core.niche.taxonomy import Taxonomy, parse_taxonomy

RESOURCE = "iab_content_taxonomy_3.1.tsv"


# The file ships inside the package and never changes while a process runs, so it is read once,
# on first use (never at import), and the same immutable tree serves every caller: templates ask
# for a niche's name once per row, and parsing costs about 2 ms.
@functools.cache
def packaged_taxonomy() -> Taxonomy:
    """The IAB Content Taxonomy 3.1 shipped in ``microscout.resources``."""
    text = resources.files("microscout.resources").joinpath(RESOURCE).read_text(encoding="utf-8")
    return parse_taxonomy(text)


__all__ = ["RESOURCE", "packaged_taxonomy"]
