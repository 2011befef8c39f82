"""Creator metrics as pure functions over Ibis table expressions (documented in docs/metrics.md).

The same expressions run on DuckDB and on Spark; nothing here opens a file or a connection.
The expressions are imported on first use: a command that only reads stored scores, and needs
no more than the tier names here, does not pay the 0.3 s of importing Ibis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from microscout.core.metrics.params import MetricParams

if TYPE_CHECKING:
    from microscout.core.metrics.scores import CanonicalTables, creator_scores


def __getattr__(name: str) -> Any:
    if name in ("CanonicalTables", "creator_scores"):
        from microscout.core.metrics import scores

        return getattr(scores, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CanonicalTables", "MetricParams", "creator_scores"]
