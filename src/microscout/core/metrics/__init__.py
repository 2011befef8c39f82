"""Creator metrics as pure functions over Ibis table expressions (documented in docs/metrics.md).

The same expressions run on DuckDB and on Spark; nothing here opens a file or a connection.
"""

from microscout.core.metrics.params import MetricParams
from microscout.core.metrics.scores import CanonicalTables, creator_scores

__all__ = ["CanonicalTables", "MetricParams", "creator_scores"]
