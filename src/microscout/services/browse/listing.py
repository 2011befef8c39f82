"""Creators in bulk: a page of the filtered list with every stored score column, the total it
was cut from, and a refusal to answer zeros from a store that was never scored.

``microscout creators`` (table, ``--json``, ``--csv``, ``--parquet``) and ``GET /api/v1/creators``
both call :func:`creator_list`, so a script reading either gets the same columns: the summary
(:data:`SUMMARY_COLUMNS`) by default on the terminal and the API, or :data:`ALL_COLUMNS`, which is
every ``creator_scores`` column, the creator's name, country and language, and two columns
written for people: ``niche_name`` (the IAB name of ``niche_primary``) and ``reason_codes`` (the
codes of ``audience_quality_reasons``, so a spreadsheet can filter on ``fake_followers``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, create_model

from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.core.schema import CREATOR_SCORES, CREATORS
from microscout.errors import ParameterError
from microscout.services.browse.creators import (
    CreatorFilter,
    creators_page,
    require_scored,
)
from microscout.services.browse.labels import label_of

# The creators' own columns carried beside their scores.
DESCRIPTIVE = ("display_name", "country", "language")
# Columns computed from stored ones for people: the niche's name, the reasons' codes.
DERIVED = ("niche_name", "reason_codes")
# The terminal's table: what a brand checks first, narrow enough for a terminal.
SUMMARY_COLUMNS = (
    "platform",
    "handle",
    "followers",
    "tier",
    "er_median",
    "er_n",
    "reach_rate",
    "posts_per_week",
    "days_since_last_post",
    "audience_quality",
    "authenticity_verdict",
    "niche_name",
    "fee_per_post",
)
# Who first (so a spreadsheet reads like the table), then every score column in the schema's
# order, each derived column beside the one it is read from.
_FIRST = ("platform", "handle", "followers", "tier", "country", "language", "display_name")
_AFTER = MappingProxyType(
    {"niche_primary": "niche_name", "audience_quality_reasons": "reason_codes"}
)
ALL_COLUMNS = tuple(
    dict.fromkeys(
        (
            *_FIRST,
            *(
                name
                for c in CREATOR_SCORES.columns
                for name in (c.name, _AFTER.get(c.name))
                if name is not None
            ),
            *DESCRIPTIVE,
            *DERIVED,
        )
    )
)
# What each derived column is read from.
_SOURCE = MappingProxyType({derived: source for source, derived in _AFTER.items()})
_PYTHON_TYPES: Mapping[str, Any] = MappingProxyType(
    {
        "string": str,
        "int64": int,
        "float64": float,
        "boolean": bool,
        "timestamp": datetime,
        "date": date,
        "array<string>": list[str],
    }
)


def columns_for(spec: str | Sequence[str], option: str = "--columns") -> tuple[str, ...]:
    """The columns a request names: "summary", "all", or column names (a list, or one text
    separated by commas); an unknown name is a ParameterError listing the choices."""
    if isinstance(spec, str):
        if spec.strip() in ("summary", "all"):
            return SUMMARY_COLUMNS if spec.strip() == "summary" else ALL_COLUMNS
        spec = spec.split(",")
    names = tuple(dict.fromkeys(s.strip() for s in spec if s.strip()))
    if not names:
        raise ParameterError(option, "name at least one column, or summary, or all")
    unknown = [n for n in names if n not in ALL_COLUMNS]
    if unknown:
        raise ParameterError(
            option,
            f"unknown column '{unknown[0]}'; choose summary, all or from {', '.join(ALL_COLUMNS)}",
        )
    return names


@dataclass(frozen=True)
class CreatorList:
    """A page of the filtered list and what it was cut from."""

    rows: pa.Table
    total: int
    offset: int
    limit: int | None

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts; None when this page reaches the end."""
        after = self.offset + self.rows.num_rows
        return after if after < self.total else None

    @property
    def cut(self) -> bool:
        """True when the limit (or the offset) left matching creators out."""
        return bool(self.rows.num_rows < self.total)

    def shown(self) -> str:
        """ "showing 50 of 8,525 creators" (with where the page starts, when it does not start
        at the first)."""
        start = f" from #{self.offset + 1:,}" if self.offset else ""
        return f"showing {self.rows.num_rows:,} of {self.total:,} creators{start}"


def _utc(rows: pa.Table) -> pa.Table:
    """Timestamps marked as the UTC they are stored in, so JSON, CSV and Parquet say so."""
    for index, spec in enumerate(rows.schema):
        if pa.types.is_timestamp(spec.type) and spec.type.tz is None:
            utc = pa.timestamp(spec.type.unit, tz="UTC")
            rows = rows.set_column(index, spec.name, rows.column(index).cast(utc))
    return rows


def _with_derived(rows: pa.Table, columns: Sequence[str]) -> pa.Table:
    """The stored rows with the derived columns added, in the order asked."""
    rows = _utc(rows)
    if "niche_name" in columns:
        taxonomy = packaged_taxonomy()
        names = [taxonomy.name(n) for n in rows["niche_primary"].to_pylist()]
        rows = rows.append_column("niche_name", pa.array(names, pa.string()))
    if "reason_codes" in columns:
        codes = [_codes(text) for text in rows["audience_quality_reasons"].to_pylist()]
        rows = rows.append_column("reason_codes", pa.array(codes, pa.list_(pa.string())))
    return rows.select(list(columns))


def _codes(text: str | None) -> list[str] | None:
    """The codes of a stored reasons list (None when no assessment was stored)."""
    if text is None:
        return None
    reasons = json.loads(text)
    return [str(r["code"]) for r in reasons if isinstance(r, dict) and "code" in r]


def creator_list(
    warehouse: Warehouse,
    flt: CreatorFilter,
    *,
    sort: str = "followers",
    descending: bool = True,
    limit: int | None = 50,
    offset: int = 0,
    columns: Sequence[str] = SUMMARY_COLUMNS,
) -> CreatorList:
    """The creators passing the filter, sorted (unknown values last), one page of them with
    ``columns``, and how many passed in all; NotFoundError on an empty or unscored store."""
    require_scored(warehouse)
    wanted = columns_for(columns)
    stored = [c for c in wanted if c not in DERIVED]
    stored += [_SOURCE[c] for c in wanted if c in DERIVED and _SOURCE[c] not in stored]
    rows, total = creators_page(
        warehouse,
        flt,
        sort=sort,
        descending=descending,
        limit=limit,
        offset=offset,
        columns=tuple(stored),
    )
    return CreatorList(_with_derived(rows, wanted), total, offset, limit)


def _field(name: str) -> tuple[Any, Any]:
    """A pydantic field of the row model: the column's type or None, described."""
    spec = next(
        (c for c in (*CREATOR_SCORES.columns, *CREATORS.columns) if c.name == name),
        None,
    )
    python = list[str] if name == "reason_codes" else _PYTHON_TYPES[spec.dtype] if spec else str
    label = label_of(name)
    doc = spec.doc if spec else label.formula
    return python | None, Field(None, title=label.text, description=doc)


_FIELDS: Mapping[str, Any] = MappingProxyType({name: _field(name) for name in ALL_COLUMNS})
# One field per column, declared from the schema so the API cannot drift from the store; every
# field is optional because a summary row carries only the summary columns (the route leaves
# unset fields out).
CreatorRow: type[BaseModel] = create_model(
    "CreatorRow",
    __config__=ConfigDict(frozen=True),
    __doc__="One creator in a list: the summary columns, or every stored score column.",
    **_FIELDS,
)


__all__ = [
    "ALL_COLUMNS",
    "DERIVED",
    "SUMMARY_COLUMNS",
    "CreatorList",
    "CreatorRow",
    "columns_for",
    "creator_list",
]
