"""The scoring stage protocol: a leaf, so every capability can offer a stage without cycles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from microscout.adapters.warehouse import Warehouse
    from microscout.core.metrics import MetricParams


class Stage(Protocol):
    """A later scoring stage: returns key columns plus the ENRICHED_SCORES columns it fills."""

    def __call__(self, warehouse: Warehouse, params: MetricParams) -> pa.Table: ...


# A service's progress callback: (step, done, total), as ``cli.common.progress_bar`` shows it.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class NamedStage:
    """A stage with the name progress shows for it ("authenticity", "niches and search index")."""

    name: str
    run: Callable[[Warehouse, MetricParams], pa.Table]

    def __call__(self, warehouse: Warehouse, params: MetricParams) -> pa.Table:
        return self.run(warehouse, params)
