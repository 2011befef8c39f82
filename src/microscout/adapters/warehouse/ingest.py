"""How the warehouse engine's errors reach an import: as one StoreError, or not at all.

The importer runs in one warehouse transaction; what the engine refuses inside it (a constraint,
a full disk) becomes :class:`~microscout.errors.StoreError` with the engine's message, so the
import service never names the engine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

from microscout.adapters.warehouse.store import Warehouse
from microscout.errors import StoreError


@contextlib.contextmanager
def import_refusals() -> Iterator[None]:
    """Turn the engine's refusal of an import into a StoreError."""
    try:
        yield
    except duckdb.Error as exc:
        raise StoreError(f"the warehouse refused the import: {exc}") from None


@contextlib.contextmanager
def after_a_failed_statement() -> Iterator[None]:
    """Ignore the engine's error in clean-up that follows a failed statement.

    After a failed statement the transaction is aborted and its staging tables go with it, so
    dropping them again may fail; there is nothing left to clean up then.
    """
    with contextlib.suppress(duckdb.Error):
        yield


__all__ = ["after_a_failed_statement", "import_refusals"]


def stored_ids_by_handle(warehouse: Warehouse, handles: list[str]) -> dict[tuple[str, str], str]:
    """The stored creator id of each (platform, handle) among ``handles`` (the lowest id when a
    handle is stored twice), for an API account fetched under another id."""
    rows = warehouse.duck.execute(
        "SELECT platform, handle, min(creator_id) FROM creators "
        "WHERE list_contains($1, handle) GROUP BY platform, handle",
        [sorted(set(handles))],
    ).fetchall()
    return {(str(p), str(h)): str(i) for p, h, i in rows}
