"""The generic format: any CSV, JSONL or Parquet whose headers say what they hold.

The table is decided from the columns (see ``headers.detect_table``) or named by a mapping file.
A posts file that also carries its creators' profile columns (followers, category, …) feeds the
creators table too; a posts file without them gives unknown creators a minimal row.

Comments, follower snapshots and audience samples need no platform or creator column: each row
takes them from the stored post or creator it names (see ``linking``). Creators and posts do need
a platform, from a column, a mapping constant or ``--platform``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.files.convert import handles
from microscout.adapters.files.headers import (
    HANDLE,
    PARENTS,
    SPECS,
    accepted,
    creator_values,
    detect_table,
    match,
    required_missing,
)
from microscout.adapters.files.mapping import ColumnMapping, check_mapping
from microscout.adapters.files.model import FilePlan, ImportOptions, Link, TablePlan, select
from microscout.adapters.files.readers import Source
from microscout.core.schema import CREATORS
from microscout.errors import FileFormatError, ParameterError


def plan_generic(source: Source, options: ImportOptions, fetched_at: datetime) -> FilePlan:
    """Decide what a generic file feeds and how its headers map; no row is read yet."""
    headers = source.header
    mapping = options.mapping
    mapped = {target: header for header, target in mapping.columns.items()} if mapping else {}
    constants = dict(mapping.constants) if mapping else {}
    table = _table(source, mapping, mapped)
    if mapping:
        check_mapping(mapping, table, headers)
    found = {**match(headers, table, taken=mapped.values()), **mapped}
    found = {c: h for c, h in found.items() if c not in constants}
    link = _platform(source, table, found, constants, options.platform)
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
    main = TablePlan(
        SPECS[table], _main_builder(table, found, constants), _origins(found), link=link
    )
    plans = [main]
    derive = table == "posts" and (bool(profile) or (HANDLE in found and "creator_id" in found))
    if derive:
        plans.append(_creators_plan(found, profile, constants))
    used = sorted({h for p in (found, profile) for h in p.values()})
    return FilePlan(
        source,
        "generic",
        tuple(plans),
        tuple(used),
        fetched_at,
        minimal_creators=table != "creators" and not derive,
        creator_ids_are_handles="creator_id" not in found and "creator_id" not in constants,
    )


_PROFILE_ONLY = frozenset(CREATORS.names) - {
    "platform",
    "creator_id",
    "handle",
    "source",
    "fetched_at",
}


def _table(source: Source, mapping: ColumnMapping | None, mapped: Mapping[str, str]) -> str:
    """The canonical table the file feeds: the mapping's, or the one its headers announce."""
    table = (mapping.table if mapping else None) or detect_table([*source.header, *mapped])
    if table is None:
        raise FileFormatError(
            source.path,
            "cannot tell which table this file feeds from its headers "
            f"({', '.join(source.header[:12])}); name a key column such as post_id or username, "
            'or give a mapping file with table = "..."',
            line=1,
        )
    return table


def _platform(
    source: Source,
    table: str,
    found: Mapping[str, str],
    constants: dict[str, str],
    platform: str | None,
) -> Link | None:
    """Where rows get their platform; how a child table's rows link to their stored parent.

    A file without a platform column takes ``--platform`` (``platform``) as a constant; a child
    table may also do without, each row then taking its parent's platform. Creators and posts
    have no stored parent to ask, so they need one or the other.
    """
    assumed = None
    if "platform" not in found and "platform" not in constants:
        if platform is not None:
            constants["platform"] = assumed = platform
        elif table not in PARENTS:
            raise ParameterError(
                "--platform",
                f"{source.path} has no platform column; say which platform its rows come from "
                "(instagram, tiktok, youtube or other)",
            )
    if table not in PARENTS:
        return None
    by_handle = "creator_id" not in found and "creator_id" not in constants
    return Link(PARENTS[table], by_handle=by_handle, assumed_platform=assumed)


def _creators_plan(
    found: Mapping[str, str], profile: Mapping[str, str], constants: Mapping[str, str]
) -> TablePlan:
    """The creators a posts file describes: its creator keys with their profile columns."""
    keys = {c: h for c, h in found.items() if c in ("creator_id", HANDLE, "platform", "fetched_at")}
    columns = {**keys, **profile}
    creator_constants = {k: v for k, v in constants.items() if k in CREATORS.names}
    return TablePlan(CREATORS, _Select(columns, creator_constants), _origins(columns), derived=True)


def _main_builder(table: str, found: Mapping[str, str], constants: Mapping[str, str]) -> _Select:
    """A comments file without comment ids gets ``<post_id>:<author>``, as the Kim dataset does."""
    synthesise = table == "comments" and "comment_id" not in found and "comment_id" not in constants
    if synthesise and "post_id" in found and "author" in found:
        return _Select(dict(found), dict(constants), (found["post_id"], found["author"]))
    return _Select(dict(found), dict(constants))


def _origins(found: Mapping[str, str]) -> dict[str, str]:
    origins = dict(found)
    if HANDLE in found and "creator_id" not in found:
        origins["creator_id"] = found[HANDLE]
    if "comment_id" not in found and "post_id" in found and "author" in found:
        origins["comment_id"] = found["post_id"]
    return origins


class _Select:
    """A picklable, inspectable ``select`` with fixed columns and constants.

    ``comment_key`` names the post id and author headers a comment id is built from, when the
    file has no comment ids of its own.
    """

    def __init__(
        self,
        columns: dict[str, str],
        constants: dict[str, str],
        comment_key: tuple[str, str] | None = None,
    ) -> None:
        self.columns = columns
        self.constants = constants
        self.comment_key = comment_key

    def __call__(self, raw: pa.Table) -> pa.Table:
        if self.comment_key is None:
            return select(raw, self.columns, self.constants)
        post, author = (_text(raw.column(h)) for h in self.comment_key)
        comment_id = pc.binary_join_element_wise(post, handles(author), ":")
        return select(raw, self.columns, self.constants, {"comment_id": comment_id})


def _text(column: pa.ChunkedArray) -> pa.Array:
    """A column as trimmed text, empty cells null (Parquet ids may be numbers)."""
    text = pc.utf8_trim_whitespace(pc.cast(column.combine_chunks(), pa.string()))
    return pc.if_else(pc.equal(text, ""), None, text)
