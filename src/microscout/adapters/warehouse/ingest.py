"""How the warehouse engine's errors reach an import: as one StoreError, or not at all.

The importer runs in one warehouse transaction; what the engine refuses inside it (a constraint,
a full disk) becomes :class:`~microscout.errors.StoreError` with the engine's message, so the
import service never names the engine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

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
