"""The scoring stage protocol: a leaf, so every capability can offer a stage without cycles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from microscout.adapters.warehouse import Warehouse
    from microscout.core.metrics import MetricParams


@dataclass(frozen=True)
class Unfinished:
    """A stage's result whose remaining work needs no warehouse: ``finish`` makes its table.

    The scoring run finishes it in a second thread while the next stage reads the warehouse,
    and writes its columns before the stage after that starts; so the next stage must not read
    them. This keeps the second core busy while one stage's Python holds the first."""

    finish: Callable[[], pa.Table]


class Stage(Protocol):
    """A later scoring stage: returns key columns plus the ENRICHED_SCORES columns it fills."""

    def __call__(self, warehouse: Warehouse, params: MetricParams) -> pa.Table | Unfinished: ...


# A service's progress callback: (step, done, total), as ``cli.common.progress_bar`` shows it.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class NamedStage:
    """A stage with the name progress shows for it ("authenticity", "niches and search index")."""

    name: str
    run: Callable[[Warehouse, MetricParams], pa.Table | Unfinished]

    def __call__(self, warehouse: Warehouse, params: MetricParams) -> pa.Table | Unfinished:
        return self.run(warehouse, params)
