"""Text cells a spreadsheet would run as formulas, neutralised before any CSV leaves microscout.

A note or handle starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` links anywhere,
``+cmd|...`` has run programs). Such a cell is written with a leading apostrophe, which every
one of them reads as "this is text" and does not show. Numbers are left alone: a negative number
is a number, not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell that opens as what it is (module docstring)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """``rows`` as CSV text under a header of ``columns``, every cell made safe (``safe_cell``;
    None is an empty cell): one way for every export to be written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else safe_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


__all__ = ["FORMULA_STARTS", "safe_cell"]
