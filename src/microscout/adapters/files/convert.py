"""Typing and checking canonical columns, a whole Arrow batch at a time.

Values arrive as text (CSV, JSONL, exports) or already typed (Parquet). Typed columns are checked
with Arrow compute (a negative count, a fractional count); text goes through the one rule in
``core.counts`` — applied once per *distinct* value of the batch via dictionary encoding, so a
column with few distinct values costs almost nothing and no Python loop runs per row of a typed
file. A row whose value cannot be used is rejected with the first column at fault; the rest of
the batch continues.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.files.headers import HANDLE
from microscout.adapters.files.model import Reject, TablePlan
from microscout.adapters.files.readers import LINE
from microscout.core.counts import (
    COUNT_MAX,
    PLAUSIBLE_FOLLOWERS_MAX,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
)
from microscout.core.schema import ARROW_TYPES, PLATFORMS, TableSpec

_HANDLE_COLUMNS = frozenset({"handle", "author", "follower_handle"})
_LIST_COLUMNS = frozenset({"hashtags", "mentions", "sponsors"})
_NO_ERRORS = None
Checked = tuple[pa.Array, pa.Array | None]  # typed values, and per row a reason or null


def typed_rows(
    plan: TablePlan,
    canonical: pa.Table,
    raw: pa.Table,
    *,
    file: str,
    source: str,
    fetched_at: datetime,
    max_followers: int = PLAUSIBLE_FOLLOWERS_MAX,
    decimal: str = ".",
) -> tuple[pa.Table, list[Reject]]:
    """Rows of ``plan.spec`` typed as the warehouse stores them, and the rows rejected.

    A ``followers`` value above ``max_followers`` is rejected as implausible; ``decimal`` is the
    file's decimal mark (``core.counts``)."""
    spec = plan.spec
    n = canonical.num_rows
    present = {name: _array(canonical.column(name)) for name in canonical.column_names}
    if "creator_id" in spec.names and "creator_id" not in present and HANDLE in present:
        present["creator_id"] = handles(present[HANDLE])
    reason: pa.Array = pa.nulls(n, pa.string())
    where: pa.Array = pa.nulls(n, pa.string())
    columns: list[pa.Array] = [present[LINE]]
    for column in spec.columns:
        if column.name in present:
            values, errors = check(column.name, column.dtype, present[column.name], decimal)
            if column.name == "followers":
                values, errors = _plausible_followers(values, errors, max_followers)
        else:
            values, errors = pa.nulls(n, ARROW_TYPES[column.dtype]), _NO_ERRORS
        if column.name in spec.key and not (column.name == "platform" and plan.link):
            # A linked row without a platform takes its parent's when it is saved.
            missing = pc.if_else(pc.is_null(values), f"missing {column.name}", None)
            errors = missing if errors is None else pc.coalesce(errors, missing)
        if errors is not None and errors.null_count < n:
            label = plan.origins.get(column.name, column.name)
            where = pc.if_else(pc.and_(pc.is_null(reason), pc.is_valid(errors)), label, where)
            reason = pc.coalesce(reason, errors)
        columns.append(values)
    table = pa.Table.from_arrays(columns, names=[LINE, *spec.names])
    table = _fill(table, spec, source, fetched_at)
    if reason.null_count == n:
        return table, []
    bad = pc.is_valid(reason)
    rejects = _rejects(table.filter(bad), reason.filter(bad), where.filter(bad), raw, spec, file)
    return table.filter(pc.invert(bad)), rejects


def _fill(table: pa.Table, spec: TableSpec, source: str, fetched_at: datetime) -> pa.Table:
    n = table.num_rows
    if "source" in spec.names:
        index = table.schema.get_field_index("source")
        filled = pc.coalesce(table.column(index), pa.scalar(source))
        table = table.set_column(index, "source", filled)
    if "fetched_at" in spec.names:
        index = table.schema.get_field_index("fetched_at")
        moment = pa.scalar(fetched_at.replace(tzinfo=None), pa.timestamp("us"))
        table = table.set_column(index, "fetched_at", pc.coalesce(table.column(index), moment))
    if table.num_rows != n:  # a converter dropped or added rows: a bug, never bad input
        raise RuntimeError(f"{spec.name}: {n} rows in, {table.num_rows} out")
    return table


def _rejects(
    rows: pa.Table, reasons: pa.Array, where: pa.Array, raw: pa.Table, spec: TableSpec, file: str
) -> list[Reject]:
    lines = rows.column(LINE).to_pylist()
    wanted = raw.filter(pc.is_in(raw.column(LINE), pa.array(sorted(set(lines)), pa.int64())))
    by_line = {row.pop(LINE): row for row in wanted.to_pylist()}
    return [
        Reject(file, line, column, text, spec.name, _json(by_line.get(line, {})))
        for line, text, column in zip(lines, reasons.to_pylist(), where.to_pylist(), strict=True)
    ]


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, default=str)


def _array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks()
    return column


# -- one column ---------------------------------------------------------------------------------
def check(name: str, dtype: str, values: pa.Array, decimal: str = ".") -> Checked:
    """Type one canonical column; per row a reason where a value cannot be used. Text numbers
    are read with ``decimal`` as their decimal mark (``core.counts``)."""
    kind = values.type
    if dtype == "string":
        text = _strings(name, values)
        return text, (_platform_errors(text) if name == "platform" else _NO_ERRORS)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        parse = _TEXT_PARSERS[dtype]
        if decimal == "," and dtype in _DECIMAL_COMMA_PARSERS:
            parse = _DECIMAL_COMMA_PARSERS[dtype]
        return _parse_text(_text(values), parse, ARROW_TYPES[dtype])
    if pa.types.is_null(kind):
        return pa.nulls(len(values), ARROW_TYPES[dtype]), _NO_ERRORS
    if dtype == "int64":
        return _typed_count(values)
    if dtype == "float64":
        return pc.cast(values, pa.float64()), _NO_ERRORS
    if dtype == "boolean":
        return _typed_bool(values)
    if dtype == "timestamp":
        return _typed_timestamp(values)
    if dtype == "date":
        return pc.cast(_typed_timestamp(values)[0], pa.date32()), _NO_ERRORS
    raise ValueError(f"no converter for {dtype}")  # pragma: no cover - schema types are fixed


def _text(values: pa.Array) -> pa.Array:
    """Text with surrounding space removed and empty cells as null."""
    text = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    return pc.if_else(pc.equal(text, ""), None, text)


def handles(values: pa.Array) -> pa.Array:
    """Handles as stored: lower case, no leading '@'."""
    text = pc.utf8_ltrim(pc.utf8_lower(_text(values)), characters="@")
    return pc.if_else(pc.equal(text, ""), None, text)


def joined(values: pa.Array) -> pa.Array:
    """Lists written with |, commas or spaces, '#'/'@' dropped, lower case, '|'-joined."""
    text = pc.utf8_lower(_text(values))
    text = pc.replace_substring_regex(text, pattern=r"[\s,;|]+", replacement="|")
    text = pc.replace_substring_regex(text, pattern=r"(^|\|)[#@]+", replacement=r"\1")
    text = pc.utf8_trim(text, characters="|")
    return pc.if_else(pc.equal(text, ""), None, text)


def _strings(name: str, values: pa.Array) -> pa.Array:
    if name in _HANDLE_COLUMNS:
        return handles(values)
    if name in _LIST_COLUMNS:
        return joined(values)
    if name == "media_type":
        return _parse_text(_text(values), media_type, pa.string())[0]
    if name == "platform":
        return pc.utf8_lower(_text(values))
    if name == "caption" or name == "text" or name == "bio":
        text = pc.cast(values, pa.string())
        return pc.if_else(pc.equal(pc.utf8_trim_whitespace(text), ""), None, text)
    return _text(values)


def _platform_errors(values: pa.Array) -> pa.Array | None:
    known = pc.or_kleene(pc.is_null(values), pc.is_in(values, pa.array(PLATFORMS)))
    if pc.all(known).as_py():
        return None
    message = pc.binary_join_element_wise(
        "unknown platform '", values, f"' (one of {', '.join(PLATFORMS)})", ""
    )
    return pc.if_else(known, None, message)


_MEDIA_WORDS = (
    ("reel", "reel"),
    ("short", "short"),
    ("story", "story"),
    ("sidecar", "carousel"),
    ("carousel", "carousel"),
    ("album", "carousel"),
    ("video", "video"),
    ("image", "image"),
    ("photo", "image"),
)


def media_type(text: str) -> str:
    """Export wording (``GraphSidecar``, ``IG reel``, ``Photo``) → the canonical media type."""
    lowered = text.lower()
    for word, kind in _MEDIA_WORDS:
        if word in lowered:
            return kind
    return "other"


_TEXT_PARSERS: dict[str, Callable[[str], Any]] = {
    "int64": parse_count,
    "float64": lambda s: float(s.replace(",", "")),
    "boolean": parse_bool,
    "timestamp": parse_datetime,
    "date": parse_date,
}


# A file whose decimal mark is "," (``;``-separated, or ``--decimal ,``): "." groups thousands.
_DECIMAL_COMMA_PARSERS: dict[str, Callable[[str], Any]] = {
    "int64": lambda s: parse_count(s, decimal=","),
    "float64": lambda s: float(s.replace(".", "").replace(",", ".")),
}


def _parse_text(values: pa.Array, parse: Callable[[str], Any], out: pa.DataType) -> Checked:
    """Apply a Python parser once per distinct value, then spread the results back."""
    encoded = pc.dictionary_encode(values)
    parsed: list[Any] = []
    errors: list[str | None] = []
    for text in encoded.dictionary.to_pylist():
        try:
            parsed.append(parse(text))
            errors.append(None)
        except (ValueError, OverflowError) as exc:
            parsed.append(None)
            errors.append(str(exc))
    result = pa.array(parsed, out).take(encoded.indices)
    if not any(errors):
        return result, _NO_ERRORS
    return result, pa.array(errors, pa.string()).take(encoded.indices)


def _typed_count(values: pa.Array) -> Checked:
    kind = values.type
    values, too_big = _within_count_range(values)
    if pa.types.is_floating(kind):
        values = pc.if_else(pc.is_nan(values), None, values)
        whole = pc.equal(pc.floor(values), values)
        as_int = pc.cast(pc.if_else(whole, values, 0), pa.int64())
        fraction = pc.if_else(
            whole, None, pc.binary_join_element_wise("not a whole number: ", _str(values), "")
        )
        errors = _first(too_big, fraction, _negative(as_int))
        return pc.if_else(pc.is_null(errors), as_int, None), errors
    if pa.types.is_boolean(kind):
        return pc.cast(values, pa.int64()), _NO_ERRORS
    as_int = pc.cast(values, pa.int64())
    errors = _first(too_big, _negative(as_int))
    return (as_int if errors is None else pc.if_else(pc.is_null(errors), as_int, None)), errors


def _plausible_followers(values: pa.Array, errors: pa.Array | None, most: int) -> Checked:
    """Follower counts above ``most`` are set aside: no account has that many."""
    above = pc.fill_null(pc.greater(values, most), False)
    if not pc.any(above).as_py():
        return values, errors
    reason = pc.binary_join_element_wise(
        _str(values),
        f" followers is more than any account has (at most {most:,}: the "
        "import_max_followers setting)",
        "",
    )
    implausible = pc.if_else(above, reason, None)
    return pc.if_else(above, None, values), _first(errors, implausible)


def _within_count_range(values: pa.Array) -> tuple[pa.Array, pa.Array | None]:
    """``values`` with those above COUNT_MAX (in a float, unsigned 64-bit or decimal column) set
    to 0, and per row the reason for each (None when there are none): casting them to 64 bits
    would fail the whole batch."""
    kind = values.type
    if pa.types.is_floating(kind):
        above = pc.greater_equal(values, float(COUNT_MAX))  # 2^63 exactly, as a float
    elif pa.types.is_uint64(kind) or (
        pa.types.is_decimal(kind) and kind.precision - kind.scale > _INT64_DIGITS
    ):
        above = pc.greater(values, pa.scalar(COUNT_MAX, kind))
    else:
        return values, None
    above = pc.fill_null(above, False)
    if not pc.any(above).as_py():
        return values, None
    reason = pc.binary_join_element_wise(
        "count out of range: '", _str(values), f"' (at most {COUNT_MAX:,})", ""
    )
    return pc.if_else(above, pa.scalar(0, kind), values), pc.if_else(above, reason, None)


_INT64_DIGITS = 18  # every decimal with at most this many integer digits fits in 64 bits


def _first(*errors: pa.Array | None) -> pa.Array | None:
    """Per row the first reason any of ``errors`` gives; None when none gives one."""
    given = [e for e in errors if e is not None]
    if not given:
        return None
    return given[0] if len(given) == 1 else pc.coalesce(*given)


def _negative(values: pa.Array) -> pa.Array | None:
    below = pc.less(values, 0)
    if not pc.any(below).as_py():
        return None
    return pc.if_else(
        below, pc.binary_join_element_wise("negative count '", _str(values), "'", ""), None
    )


def _str(values: pa.Array) -> pa.Array:
    return pc.cast(values, pa.string())


def _typed_bool(values: pa.Array) -> Checked:
    if pa.types.is_boolean(values.type):
        return values, _NO_ERRORS
    if pa.types.is_integer(values.type):
        good = pc.is_in(values, pa.array([0, 1], values.type))
        errors = pc.if_else(
            pc.or_kleene(pc.is_null(values), good),
            None,
            pc.binary_join_element_wise("not true/false: ", _str(values), ""),
        )
        return pc.if_else(good, pc.cast(values, pa.bool_()), None), (
            None if errors.null_count == len(errors) else errors
        )
    return _parse_text(_text(values), parse_bool, pa.bool_())


def _typed_timestamp(values: pa.Array) -> Checked:
    kind = values.type
    if pa.types.is_timestamp(kind):
        return pc.cast(values, pa.timestamp("us")), _NO_ERRORS  # tz-aware: keeps the UTC instant
    if pa.types.is_date(kind):
        return pc.cast(pc.cast(values, pa.date32()), pa.timestamp("us")), _NO_ERRORS
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        # unix time: seconds, or milliseconds when the number is too large to be seconds
        number = pc.cast(values, pa.float64())
        micros = pc.if_else(
            pc.greater_equal(pc.abs(number), 1e11),
            pc.multiply(number, 1_000.0),
            pc.multiply(number, 1_000_000.0),
        )
        return pc.cast(pc.cast(micros, pa.int64()), pa.timestamp("us")), _NO_ERRORS
    return _parse_text(_text(values), parse_datetime, pa.timestamp("us"))
