"""CSV cells that a spreadsheet would run as formulas open as text."""

from __future__ import annotations

import pytest

from microscout.core.cells import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_evaluate_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["vegan skincare", "a=b", "", " =1", -3, 2.5, None])
def test_anything_else_is_left_as_it_is(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_text_writes_the_header_then_safe_cells_and_empty_for_none() -> None:
    from microscout.core.cells import csv_text

    text = csv_text(("a", "b"), [{"a": "=SUM(1)", "b": None}, {"a": -3, "b": "x"}])
    assert text == "a,b\n'=SUM(1),\n-3,x\n"
