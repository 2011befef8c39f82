"""Linking a child table's staged rows to the posts and creators the warehouse already holds.

A comments file in the canonical shape names each comment's post but neither the post's platform
nor its creator; a snapshot or audience file may name its creator by handle alone. Before such
rows are upserted each takes what it lacks from the stored parent it names: a comment its post's
platform and creator (by post_id), a snapshot or audience sample its creator's platform and id
(by creator id, or by handle when the file gives handles). A row that needs a platform and whose
parent is unknown, or stored on several platforms, cannot be keyed: it is rejected with the reason,
never stored as an orphan.

After the upsert, :func:`unlinked` counts the rows that link to nothing (a comment whose post, a
post whose creator, is not stored) so the import can say so.
"""

from __future__ import annotations

import json

from microscout.adapters.files.model import Link, Reject, Unlinked
from microscout.adapters.files.readers import LINE
from microscout.adapters.files.staging import Stage
from microscout.errors import ParameterError

_SHOWN = 5
# How a staged row meets its parent ``k``: a post by its id; a creator by its id or, when the
# file gives handles, by its handle too (``?`` is bound to whether it does).
_ON = {
    "posts": "k.post_id = s.post_id",
    "creators": "(k.creator_id = s.creator_id OR (? AND k.handle = s.creator_id))",
}
_BY = {"posts": "post_id", "creators": "creator_id"}
# What the row takes from its parent: a comment keeps a creator the file names; a creator key
# given as a handle becomes the stored creator's id.
_CREATOR = {"posts": "coalesce({stage}.creator_id, l.creator_id)", "creators": "l.creator_id"}
_HERE = "(s.platform IS NULL OR k.platform = s.platform)"


def _matches(stage: str, parent: str) -> str:
    """Per staged row: how many stored parents answer on its platform (or any) and elsewhere."""
    by = _BY[parent]
    return (
        "CREATE OR REPLACE TEMP TABLE _links AS "  # noqa: S608 (names come from TableSpec and code constants; values are bound)
        f"SELECT s.rowid AS rid, s.{LINE} AS line, s.{by} AS wanted, s.platform AS given, "
        f"count(k.platform) FILTER (WHERE {_HERE}) AS n_here, "
        "count(k.platform) AS n_any, "
        f"min(k.platform) FILTER (WHERE {_HERE}) AS platform, "
        f"min(k.creator_id) FILTER (WHERE {_HERE}) AS creator_id, "
        "string_agg(DISTINCT k.platform, ' and ' ORDER BY k.platform) AS stored_on "
        f"FROM {stage} s LEFT JOIN {parent} k ON {_ON[parent]} "
        f"GROUP BY s.rowid, s.{LINE}, s.{by}, s.platform"
    )


# Rows that cannot be keyed: no platform and no single parent to take one from, or a platform
# under which several stored creators answer to the handle.
_UNKEYED = "(l.given IS NULL AND l.n_here <> 1) OR l.n_here > 1"
# The key by which each child table meets its parent once linked.
_PARENT_KEY = {
    "posts": ("creators", "creator_id"),
    "comments": ("posts", "post_id"),
    "follower_snapshots": ("creators", "creator_id"),
    "audience_samples": ("creators", "creator_id"),
}


def link(stage: Stage, how: Link) -> list[Reject]:
    """Give each staged row the platform and creator of its stored parent; reject the unkeyable.

    With an assumed platform (``--platform`` on a file without one), rows whose parent is stored
    only under other platforms refuse the whole import (:class:`ParameterError` naming the first
    lines), since keeping them would orphan them under the wrong platform.
    """
    by = _BY[how.parent]
    stage.warehouse.duck.execute(
        _matches(stage.name, how.parent), [how.by_handle] if how.parent == "creators" else []
    )
    try:
        if how.assumed_platform is not None:
            _refuse_misplaced(stage, how, by)
        rejects = _unkeyed(stage, how, by)
        creator = _CREATOR[how.parent].format(stage=stage.name)
        stage.warehouse.duck.execute(
            f"UPDATE {stage.name} SET platform = l.platform, creator_id = {creator} "  # noqa: S608 (names come from TableSpec and code constants; values are bound)
            f"FROM _links l WHERE {stage.name}.rowid = l.rid AND l.n_here = 1"
        )
    finally:
        stage.warehouse.duck.execute("DROP TABLE IF EXISTS _links")
    return rejects


def _refuse_misplaced(stage: Stage, how: Link, by: str) -> None:
    rows = stage.warehouse.fetch_arrow(
        "SELECT line, wanted, stored_on, count(*) OVER () AS n FROM _links "
        "WHERE n_here = 0 AND n_any > 0 ORDER BY line LIMIT ?",
        [_SHOWN],
    ).to_pylist()
    if not rows:
        return
    noun = "post" if how.parent == "posts" else "creator"
    shown = "; ".join(
        f"line {r['line']} ({noun} '{r['wanted']}' is stored on {r['stored_on']})" for r in rows
    )
    more = f" and {rows[0]['n'] - len(rows):,} more" if rows[0]["n"] > len(rows) else ""
    column = stage.origins.get(by, by)
    raise ParameterError(
        "--platform",
        f"{stage.file}: {rows[0]['n']:,} rows belong to another platform than "
        f"{how.assumed_platform} by their column '{column}': {shown}{more}. Nothing was "
        "imported; leave out --platform to take each row's platform from its "
        f"{noun}, or add a platform column if these rows really are on {how.assumed_platform}",
    )


def _unkeyed(stage: Stage, how: Link, by: str) -> list[Reject]:
    """Reject (and remove) the rows no single stored parent gives a platform to."""
    rows = stage.warehouse.fetch_arrow(
        f"SELECT l.n_here AS _n_here, l.stored_on AS _stored_on, s.* FROM _links l "  # noqa: S608 (names come from TableSpec and code constants; values are bound)
        f"JOIN {stage.name} s ON s.rowid = l.rid WHERE {_UNKEYED} ORDER BY l.line"
    ).to_pylist()
    if not rows:
        return []
    stage.warehouse.duck.execute(
        f"DELETE FROM {stage.name} WHERE rowid IN (SELECT rid FROM _links l WHERE {_UNKEYED})"  # noqa: S608 (names come from TableSpec and code constants; values are bound)
    )
    column = stage.origins.get(by, by)
    rejects = []
    for row in rows:
        matches, stored_on = row.pop("_n_here"), row.pop("_stored_on")
        line = row.pop(LINE)
        reason = _reason(how.parent, str(row[by]), matches, stored_on)
        raw = json.dumps(row, ensure_ascii=False, default=str)
        rejects.append(Reject(stage.file, line, column, reason, stage.spec.name, raw))
    return rejects


def _reason(parent: str, wanted: str, matches: int, stored_on: str | None) -> str:
    noun = "post" if parent == "posts" else "creator"
    if matches == 0:
        return (
            f"{noun} '{wanted}' is not in the warehouse, so this row's platform is unknown: "
            f"import the {noun} first, or add a platform column"
        )
    return (
        f"{noun} '{wanted}' matches {matches} stored {parent} (on {stored_on}), so this row's "
        "platform is ambiguous: add a platform column"
    )


def unlinked(stage: Stage) -> Unlinked | None:
    """The staged rows whose parent (a post's creator, a comment's post, …) is not stored."""
    if stage.spec.name not in _PARENT_KEY:
        return None
    parent, key = _PARENT_KEY[stage.spec.name]
    rows = stage.warehouse.fetch_arrow(
        f"SELECT s.{LINE} AS line, count(*) OVER () AS n FROM {stage.name} s "  # noqa: S608 (names come from TableSpec and code constants; values are bound)
        f"ANTI JOIN {parent} k ON k.platform = s.platform AND k.{key} = s.{key} "
        f"ORDER BY s.{LINE} LIMIT ?",
        [_SHOWN],
    ).to_pylist()
    if not rows:
        return None
    lines = tuple(int(r["line"]) for r in rows)
    return Unlinked(stage.file, stage.spec.name, parent, int(rows[0]["n"]), lines)


__all__ = ["link", "unlinked"]
