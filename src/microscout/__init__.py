"""microscout: find, vet and plan portfolios of micro-influencers, with every number explained."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
