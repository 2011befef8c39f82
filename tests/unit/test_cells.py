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
