"""Build the demo workspace: generate the demo data and write it to the warehouse.

Re-running replaces the previous demo rows (``source = 'demo'``) and leaves every imported row
alone; the whole write is one transaction, so a failure leaves the previous demo in place.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from microscout.adapters.warehouse import Warehouse
from microscout.core.schema import DEMO_GROUND_TRUTH
from microscout.demo.generator import SOURCE, SPECS, Progress, generate


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` wrote: rows per table and how long it took."""

    rows: dict[str, int]
    seconds: float
    n_creators: int
    seed: int


def build_demo(
    warehouse: Warehouse, n_creators: int, seed: int, progress: Progress | None = None
) -> DemoSummary:
    """Generate ``n_creators`` demo creators with ``seed`` and replace the demo rows with them."""
    started = time.perf_counter()
    data = generate(n_creators, seed, progress=progress)
    tables = data.tables()
    rows: dict[str, int] = {}
    with warehouse.transaction():
        for spec in SPECS:
            table = tables[spec.name]
            if spec is DEMO_GROUND_TRUTH:
                rows[spec.name] = warehouse.replace(spec, table)
                continue
            warehouse.delete_source(spec, SOURCE)
            rows[spec.name] = warehouse.append(spec, table)
    return DemoSummary(rows, time.perf_counter() - started, n_creators, seed)


__all__ = ["DemoSummary", "build_demo"]
