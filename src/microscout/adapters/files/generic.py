"""The generic format: any CSV, JSONL or Parquet whose headers say what they hold.

The table is decided from the columns (see ``headers.detect_table``) or named by a mapping file.
A posts file that also carries its creators' profile columns (followers, category, …) feeds the
creators table too; a posts file without them gives unknown creators a minimal row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pyarrow as pa

from microscout.adapters.files.headers import (
    HANDLE,
    SPECS,
    accepted,
    creator_values,
    detect_table,
    match,
    required_missing,
)
from microscout.adapters.files.mapping import check_mapping
from microscout.adapters.files.model import FilePlan, ImportOptions, TablePlan, select
from microscout.adapters.files.readers import Source
from microscout.core.schema import CREATORS
from microscout.errors import FileFormatError, ParameterError


def plan_generic(source: Source, options: ImportOptions, fetched_at: datetime) -> FilePlan:
    """Decide what a generic file feeds and how its headers map; no row is read yet."""
    headers = source.header
    mapping = options.mapping
    mapped = {target: header for header, target in mapping.columns.items()} if mapping else {}
    constants = dict(mapping.constants) if mapping else {}
    table = (mapping.table if mapping else None) or detect_table([*headers, *mapped])
    if table is None:
        raise FileFormatError(
            source.path,
            "cannot tell which table this file feeds from its headers "
            f"({', '.join(headers[:12])}); name a key column such as post_id or username, "
            'or give a mapping file with table = "..."',
            line=1,
        )
    if mapping:
        check_mapping(mapping, table, headers)
    found = {**match(headers, table, taken=mapped.values()), **mapped}
    for column in list(found):
        if column in constants:
            del found[column]
    if "platform" not in found and "platform" not in constants:
        if options.platform is None:
            raise ParameterError(
                "--platform",
                f"{source.path} has no platform column; say which platform its rows come from "
                "(instagram, tiktok, youtube or other)",
            )
        constants["platform"] = options.platform
    missing = required_missing(table, found, constants)
    if missing is not None:
        raise FileFormatError(
            source.path,
            f"missing required column '{missing}' (accepted headers: {accepted(table, missing)})",
            line=1,
            column=missing,
        )
    profile: dict[str, str] = {}
    if table == "posts":
        profile = {c: h for c, h in found.items() if c in _PROFILE_ONLY}
        found = {c: h for c, h in found.items() if c not in _PROFILE_ONLY}
        profile = {**creator_values(headers, taken=found.values()), **profile}
    plans = [TablePlan(SPECS[table], _builder(found, constants), _origins(found))]
    derive = bool(profile) or (HANDLE in found and "creator_id" in found)
    if table == "posts" and derive:
        keys = {
            c: h for c, h in found.items() if c in ("creator_id", HANDLE, "platform", "fetched_at")
        }
        creator_columns = {**keys, **profile}
        creator_constants = {k: v for k, v in constants.items() if k in CREATORS.names}
        plans.append(
            TablePlan(
                CREATORS,
                _builder(creator_columns, creator_constants),
                _origins(creator_columns),
                derived=True,
            )
        )
    used = sorted({h for p in (found, profile) for h in p.values()})
    return FilePlan(
        source,
        "generic",
        tuple(plans),
        tuple(used),
        fetched_at,
        minimal_creators=table != "creators" and not (table == "posts" and derive),
        creator_ids_are_handles="creator_id" not in found and "creator_id" not in constants,
    )


_PROFILE_ONLY = frozenset(CREATORS.names) - {
    "platform",
    "creator_id",
    "handle",
    "source",
    "fetched_at",
}


def _origins(found: Mapping[str, str]) -> dict[str, str]:
    origins = dict(found)
    if HANDLE in found and "creator_id" not in found:
        origins["creator_id"] = found[HANDLE]
    return origins


def _builder(columns: Mapping[str, str], constants: Mapping[str, str]) -> _Select:
    return _Select(dict(columns), dict(constants))


class _Select:
    """A picklable, inspectable ``select`` with fixed columns and constants."""

    def __init__(self, columns: dict[str, str], constants: dict[str, str]) -> None:
        self.columns = columns
        self.constants = constants

    def __call__(self, raw: pa.Table) -> pa.Table:
        return select(raw, self.columns, self.constants)
