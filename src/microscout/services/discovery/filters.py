"""Search's hard filters: which indexed creators a search or lookalike may return.

The filters are defined once, as :func:`~microscout.adapters.warehouse.discovery.passing_mask`
over the scored creators' filter columns (docs/discovery.md, step 1). With current views the
columns are read once per scoring run (kept with the views) and each request only compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.text.index import VectorIndex, joined_keys
from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse import discovery as queries
from microscout.errors import ParameterError

TIERS = ("nano", "micro", "mid", "macro", "mega", "any")
# The name the indexed creators' filter columns are kept under with the run's views.
_FILTER_COLUMNS = "search filter columns"


@dataclass(frozen=True)
class Filters:
    """Hard filters; None means "no filter". ``tier='micro'`` is the default.

    The command, the API and the page build them from one request with every option checked
    against its bounds (``services/discovery/request.py``); built here, only ``tier`` is checked.
    """

    platform: str | None = None
    country: str | None = None
    language: str | None = None
    tier: str | None = "micro"
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    reach_gate: bool = False
    min_audience_quality: float | None = None
    max_fee: float | None = None
    include_unvetted: bool = False

    def index_mask(
        self, warehouse: Warehouse, index: VectorIndex, views: ViewStore | None
    ) -> np.ndarray[Any, Any]:
        """Which rows of ``index`` hold scored creators that pass these filters.

        A creator not vetted (no audience quality) fails ``min_audience_quality`` unless
        ``include_unvetted`` (docs/discovery.md). With current views (the warehouse is the
        scoring run's that built them), the filters' columns are read once for the run and the
        index and kept with the views, so each request only compares: reading them per request
        cost about 4 ms of a 30 ms search. Without views they are read for this request.
        """

        def read() -> tuple[VectorIndex, pa.Table, np.ndarray[Any, Any]]:
            return (index, *_indexed_columns(warehouse, index))

        kept_for, columns, rows = read() if views is None else views.derived(_FILTER_COLUMNS, read)
        if kept_for is not index:
            # The index was rebuilt after these views were written (a run that has not written
            # its own yet): the columns are read for this request alone.
            _, columns, rows = read()
        mask = np.zeros(len(index.joined_keys()), bool)
        mask[rows[queries.passing_mask(columns, **self._asked())]] = True
        return mask

    def _asked(self) -> dict[str, Any]:
        """The filters as :func:`queries.passing_mask` takes them."""
        if self.tier is not None and self.tier not in TIERS:
            raise ParameterError("tier", f"must be one of {', '.join(TIERS)}")
        return {
            "platforms": (self.platform,) if self.platform else (),
            "countries": (self.country,) if self.country else (),
            "language": self.language,
            "tiers": () if self.tier in (None, "any") else (str(self.tier),),
            "min_followers": self.min_followers,
            "max_followers": self.max_followers,
            "min_engagement": self.min_engagement,
            "max_fee": self.max_fee,
            "reach_gate": "passes" if self.reach_gate else "any",
            "min_audience_quality": self.min_audience_quality,
            "include_unvetted": self.include_unvetted,
        }


def _indexed_columns(
    warehouse: Warehouse, index: VectorIndex
) -> tuple[pa.Table, np.ndarray[Any, Any]]:
    """The filter columns of the scored creators ``index`` holds, and their rows in it."""
    every = queries.filter_columns(warehouse)
    rows = pc.index_in(joined_keys(every), value_set=index.joined_keys())
    indexed = pc.is_valid(rows)
    # Kept by every server process for the run: only what the filters read, their words
    # (platforms, tiers, countries, languages: a few each) stored once, each row an index.
    columns = every.filter(indexed).drop_columns(["creator_id", "niche_primary"])
    for name in ("platform", "tier", "country", "language"):
        at = columns.schema.get_field_index(name)
        columns = columns.set_column(at, name, pc.dictionary_encode(columns[name]))
    return columns, np.asarray(rows.filter(indexed), np.int64)


def index_mask(index: VectorIndex, keys: pa.Table) -> np.ndarray[Any, Any]:
    """Which index rows hold the creators of ``keys`` (platform, creator_id)."""
    return np.asarray(pc.is_in(index.joined_keys(), value_set=joined_keys(keys)), bool)


__all__ = ["TIERS", "Filters", "index_mask"]
