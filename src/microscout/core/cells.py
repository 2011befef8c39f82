"""Text cells a spreadsheet would run as formulas, neutralised before any CSV leaves microscout.

A note or handle starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` links anywhere,
``+cmd|...`` has run programs). Such a cell is written with a leading apostrophe, which every
one of them reads as "this is text" and does not show. Numbers are left alone: a negative number
is a number, not a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell that opens as what it is (module docstring)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


__all__ = ["FORMULA_STARTS", "safe_cell"]
