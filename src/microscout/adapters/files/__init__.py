"""Reading data files (CSV, JSONL, Parquet, platform exports, the Kim dataset) into canonical rows.

``formats.plan_import`` decides how each file is read; ``readers`` yields Arrow batches with line
numbers; ``convert`` types and checks them; ``staging`` holds them in DuckDB until the upsert;
``linking`` gives child rows the platform and creator of their stored post or creator.
"""

from microscout.adapters.files.formats import FORMATS, detect_format, plan_import
from microscout.adapters.files.model import (
    FilePlan,
    ImportOptions,
    ImportPlan,
    Link,
    Reject,
    Skipped,
    TablePlan,
    Unlinked,
)

__all__ = [
    "FORMATS",
    "FilePlan",
    "ImportOptions",
    "ImportPlan",
    "Link",
    "Reject",
    "Skipped",
    "TablePlan",
    "Unlinked",
    "detect_format",
    "plan_import",
]
