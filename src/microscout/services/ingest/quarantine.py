"""The rows imports rejected: where each was (file, line, column), why, and the row as read.

Imports keep going past a bad row and park it in the ``quarantine`` table; this is how a user
gets them back to fix the file, newest import first.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.errors import NotFoundError, ParameterError

COLUMNS = (
    "import_id",
    "source_file",
    "line",
    "column_name",
    "target_table",
    "reason",
    "raw",
    "rejected_at",
)


@dataclass(frozen=True)
class RejectedRows:
    """Quarantined rows (at most the limit asked for) and how many there are in all."""

    rows: pa.Table
    total: int


def rejected_rows(
    warehouse: Warehouse, *, import_id: str | None = None, limit: int = 100
) -> RejectedRows:
    """Quarantined rows, newest import first, then by file and line.

    ``import_id`` keeps one import's rejects (an unknown id is :class:`NotFoundError`);
    ``limit`` caps the rows returned (at least 1), never ``total``.
    """
    if limit < 1:
        raise ParameterError("--limit", "must be at least 1")
    table = warehouse.table("quarantine")
    if import_id is not None:
        imports = warehouse.table("imports")
        if int(imports.filter(imports.import_id == import_id).count().execute()) == 0:
            raise NotFoundError(f"no import with id '{import_id}' (see the imports table)")
        table = table.filter(table.import_id == import_id)
    total = int(table.count().execute())
    ordered = table.order_by(
        [ibis.desc(table.rejected_at), table.source_file, table.line, table.target_table]
    )
    rows = ordered.select(*COLUMNS).limit(limit).to_pyarrow()
    return RejectedRows(rows, total)


__all__ = ["COLUMNS", "RejectedRows", "rejected_rows"]
