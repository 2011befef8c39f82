"""The columns of the creators list and their labels: every stored column has words and a
formula for people, and a request for columns is checked before any query runs."""

from __future__ import annotations

import pytest

from microscout.core.schema import CREATOR_SCORES
from microscout.errors import ParameterError
from microscout.services.browse.labels import hover_of, label_of
from microscout.services.browse.listing import (
    ALL_COLUMNS,
    DERIVED,
    SUMMARY_COLUMNS,
    CreatorRow,
    columns_for,
)


@pytest.mark.parametrize("column", ALL_COLUMNS)
def test_every_listed_column_has_words_and_a_formula(column: str) -> None:
    label = label_of(column)
    assert label.text
    assert "_" not in label.text
    assert label.formula
    assert hover_of(column).startswith(f"{column}: ")


def test_a_column_without_a_label_still_reads_as_words() -> None:
    assert label_of("brand_new_metric").text == "Brand new metric"
    assert hover_of("brand_new_metric") == "brand_new_metric"


def test_all_columns_hold_every_stored_score_column_once_and_the_derived_ones() -> None:
    assert {c.name for c in CREATOR_SCORES.columns} <= set(ALL_COLUMNS)
    assert set(DERIVED) <= set(ALL_COLUMNS)
    assert len(set(ALL_COLUMNS)) == len(ALL_COLUMNS)
    assert ALL_COLUMNS[:3] == ("platform", "handle", "followers")
    assert ALL_COLUMNS.index("niche_name") == ALL_COLUMNS.index("niche_primary") + 1


def test_columns_are_asked_for_by_set_name_list_or_comma_text() -> None:
    assert columns_for("summary") == SUMMARY_COLUMNS
    assert columns_for("all") == ALL_COLUMNS
    assert columns_for("handle, cpe,handle") == ("handle", "cpe")
    assert columns_for(["niche_name"]) == ("niche_name",)


@pytest.mark.parametrize(
    ("spec", "problem"),
    [("handle,charm", "unknown column 'charm'"), (" , ", "name at least one column")],
)
def test_a_bad_column_request_names_the_option(spec: str, problem: str) -> None:
    with pytest.raises(ParameterError, match=f"--columns: {problem}"):
        columns_for(spec)


def test_the_row_model_describes_each_column_and_leaves_every_field_optional() -> None:
    fields = CreatorRow.model_fields
    assert list(fields) == list(ALL_COLUMNS)
    assert fields["er_median"].title == "Engagement rate (median)"
    assert fields["er_median"].description
    assert all(not f.is_required() for f in fields.values())
    assert CreatorRow.model_validate({"handle": "a"}).model_dump(exclude_unset=True) == {
        "handle": "a"
    }
