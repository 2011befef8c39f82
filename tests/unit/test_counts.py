"""The one rule for counts and dates, by example and by property."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microscout.core.counts import (
    COUNT_MAX,
    format_count,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5k", 12_500),
        ("475.8m", 475_800_000),
        ("1.2b", 1_200_000_000),
        ("1,204", 1_204),
        ("12,345,678", 12_345_678),
        ("1 204", 1_204),
        ("1\u202f204", 1_204),
        ("3400", 3_400),
        ("12K", 12_000),
        ("0", 0),
        ("12.0", 12),
        (" 7 ", 7),
    ],
)
def test_counts_written_by_people_and_exports_parse(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [None, "", "  ", "-", "–", "—", "N/A", "n/a", "NA"])
def test_unknown_markers_are_none_never_zero(text: str | None) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5", "negative"),
        ("-1.2k", "negative"),
        ("abc", "not a count"),
        ("12x", "not a count"),
        ("1.23456k", "not a whole number"),
        ("3.5", "not a whole number"),
        ("1,2", "commas must group thousands"),
        ("12,5k", "commas must group thousands"),
        ("1,2345", "commas must group thousands"),
    ],
)
def test_bad_counts_raise_with_a_short_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_count(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.000", "ambiguous count '12.000': 12 or 12,000"),
        ("1.500", "ambiguous count '1.500': 1.5 or 1,500"),
        ("9223372036854775808", "count out of range"),
        ("9,223,372,036,854,775,808", "count out of range"),
        ("10000000000b", "count out of range"),
    ],
)
def test_ambiguous_and_out_of_range_counts_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_count(text)


def test_the_largest_64_bit_count_is_still_a_count() -> None:
    assert parse_count(str(COUNT_MAX)) == COUNT_MAX


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.204", 1_204),
        ("12.345.678", 12_345_678),
        ("12,5k", 12_500),
        ("12.5k", 12_500),
        ("1.234,5k", 1_234_500),
        ("3", 3),
        ("1 204", 1_204),
    ],
)
def test_with_a_decimal_comma_dots_group_thousands(text: str, expected: int) -> None:
    assert parse_count(text, decimal=",") == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,500", "ambiguous count '12,500': 12.5 or 12,500"),
        ("12.5", "where '.' groups thousands and ',' is the decimal mark"),
        ("1,204,000", "where '.' groups thousands"),
        ("12,5", "not a whole number"),
        ("-1.000", "negative"),
    ],
)
def test_with_a_decimal_comma_other_forms_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_count(text, decimal=",")


@given(st.integers(min_value=0, max_value=10**12))
def test_dot_grouped_thousands_round_trip_with_a_decimal_comma(value: int) -> None:
    written = f"{value:,}".replace(",", ".")
    assert parse_count(written, decimal=",") == value


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(value: int) -> None:
    assert parse_count(f"{value:,}") == value
    assert parse_count(f"{value:,}".replace(",", " ")) == value


@given(st.integers(min_value=0, max_value=10**12))
def test_compact_suffix_form_round_trips(value: int) -> None:
    assert parse_count(format_count(value)) == value


@given(st.integers(min_value=0, max_value=99_999), st.sampled_from(["k", "m", "b", "K", "M"]))
def test_one_decimal_with_suffix_multiplies(tenths: int, suffix: str) -> None:
    size = {"k": 10**3, "m": 10**6, "b": 10**9}[suffix.lower()]
    text = f"{tenths // 10}.{tenths % 10}{suffix}"
    assert parse_count(text) == tenths * size // 10


@given(st.integers(min_value=1, max_value=10**9))
def test_negative_numbers_are_always_refused(value: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_count(f"-{value:,}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/27/2026 06:08", datetime(2026, 3, 27, 6, 8)),
        ("3/7/2026", datetime(2026, 3, 7)),
        ("03/27/2026 6:08 PM", datetime(2026, 3, 27, 18, 8)),
        ("2026-03-27", datetime(2026, 3, 27)),
        ("2026-03-27T06:08:00Z", datetime(2026, 3, 27, 6, 8)),
        ("2026-03-27T08:08:00+02:00", datetime(2026, 3, 27, 6, 8)),
        ("2026-03-27 06:08:09", datetime(2026, 3, 27, 6, 8, 9)),
        ("Mar 27, 2026", datetime(2026, 3, 27)),
        ("March 27, 2026", datetime(2026, 3, 27)),
        ("27 Mar 2026", datetime(2026, 3, 27)),
        ("1411602594", datetime(2014, 9, 24, 23, 49, 54)),
        ("1411602594000", datetime(2014, 9, 24, 23, 49, 54)),
    ],
)
def test_export_date_formats_parse_to_naive_utc(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "13/45/2026", "2026-13-01", "Foo 1, 2026"])
def test_unreadable_dates_say_which_forms_are_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="not a date/time"):
        parse_datetime(text)


def test_unknown_dates_are_none() -> None:
    assert parse_datetime("") is None
    assert parse_datetime("N/A") is None
    assert parse_date(None) is None


def test_booleans_accept_common_spellings() -> None:
    assert [parse_bool(t) for t in ("TRUE", "no", "1", "", "y")] == [True, False, True, None, True]
    with pytest.raises(ValueError, match="not true/false"):
        parse_bool("maybe")
