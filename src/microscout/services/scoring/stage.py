"""The scoring stage protocol: a leaf, so every capability can offer a stage without cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from microscout.adapters.warehouse import Warehouse
    from microscout.core.metrics import MetricParams


class Stage(Protocol):
    """A later scoring stage: returns key columns plus the ENRICHED_SCORES columns it fills."""

    def __call__(self, warehouse: Warehouse, params: MetricParams) -> pa.Table: ...
