"""Importing files into the warehouse: one transaction, idempotent, bad input never crashes.

:func:`import_path` reads a file (or the Kim folder, or a folder of data files), types and checks
every row, and writes canonical upserts, quarantined rows and one ``imports`` log row together in
one transaction. A file-level problem (:class:`FileFormatError`, :class:`MappingError`,
:class:`ParameterError`) writes nothing. A row-level problem sends the row to quarantine and the
import goes on — unless ``strict``, where any rejected row aborts the import with nothing written.

Rows are staged in DuckDB temp tables batch by batch, so memory stays bounded and duplicate keys
are found across the whole file; the upsert itself runs in SQL (see ``docs/importing.md``).

Tables are saved parents first (creators, posts, then the rest), so a comment, snapshot or
audience sample without a platform or creator takes them from a parent stored earlier — by an
earlier import or by another file of the same one. The summary then names the rows that link to
nothing, and the files of a folder that match no table and were left out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from microscout.adapters.files.convert import typed_rows
from microscout.adapters.files.formats import plan_import
from microscout.adapters.files.linking import link, unlinked
from microscout.adapters.files.mapping import load_mapping
from microscout.adapters.files.model import (
    FilePlan,
    ImportOptions,
    Reject,
    Skipped,
    TablePlan,
    Unlinked,
)
from microscout.adapters.files.staging import Stage
from microscout.adapters.warehouse import UpsertCounts, Warehouse
from microscout.adapters.warehouse.ingest import after_a_failed_statement, import_refusals
from microscout.core.counts import DECIMAL_MARKS, PLAUSIBLE_FOLLOWERS_MAX
from microscout.core.schema import CANONICAL, IMPORTS, QUARANTINE
from microscout.errors import InputError, ParameterError

Progress = Callable[[str, int, int], None]
_TABLE_ORDER = tuple(spec.name for spec in CANONICAL)  # creators first: posts may need their rows
_STRICT_SHOWN = 5


@dataclass(frozen=True)
class TableSummary:
    """What an import did to one canonical table."""

    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: int = 0


@dataclass(frozen=True)
class ImportSummary:
    """The result of one import, for display and for scripts."""

    import_id: str
    format: str
    source: str
    tables: dict[str, TableSummary]
    rejects: tuple[Reject, ...] = field(default=())
    seconds: float = 0.0
    # imported rows whose post or creator is not stored, per file and table
    unlinked: tuple[Unlinked, ...] = field(default=())
    # files of a folder that match no table and were not read
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def inserted(self) -> int:
        return sum(t.counts.inserted for t in self.tables.values())

    @property
    def updated(self) -> int:
        return sum(t.counts.updated for t in self.tables.values())

    @property
    def unchanged(self) -> int:
        return sum(t.counts.unchanged for t in self.tables.values())

    @property
    def rejected(self) -> int:
        return len(self.rejects)


def import_path(
    warehouse: Warehouse,
    path: Path,
    *,
    format: str | None = None,
    mapping: Path | None = None,
    creator: str | None = None,
    platform: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    max_followers: int = PLAUSIBLE_FOLLOWERS_MAX,
    decimal: str | None = None,
) -> ImportSummary:
    """Import ``path`` into the warehouse and say what changed.

    ``format`` is one of generic, kim, meta, youtube, tiktok (detected from the headers when
    ``None``); ``mapping`` a TOML column-mapping file for the generic format; ``creator`` the
    channel of a YouTube Studio export; ``platform`` the platform of rows that do not say
    (comments, snapshots and audience samples can instead take theirs from the stored post or
    creator; ``platform`` contradicting those is a :class:`ParameterError`, nothing written).
    ``progress(step, done, total)`` is called as files are read (``total`` 0 when unknown).
    A follower count above ``max_followers`` (setting ``import_max_followers``) is quarantined.
    ``decimal`` is the files' decimal mark, "." or ","; by default "," for a ``;``-separated
    file (where ``12.000`` is twelve thousand) and "." otherwise (docs/importing.md).
    """
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise ParameterError("--decimal", f"must be '.' or ',', not {decimal!r}")
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = datetime.now(UTC)
    options = ImportOptions(
        platform=platform.strip().lower() if platform else None,
        creator=creator,
        mapping=load_mapping(mapping) if mapping is not None else None,
    )
    planned = plan_import(path, format, options)
    plans = list(planned.files)
    import_id = uuid.uuid4().hex[:16]
    run = _Run(warehouse, strict, progress, max_followers, decimal)
    with import_refusals(), warehouse.transaction():
        try:
            for plan in plans:
                run.read(plan)
            tables = run.save()
            # A line rejected again is re-keyed to this import, with its latest reason.
            warehouse.upsert(QUARANTINE, _quarantine(import_id, run.rejects, started))
            summary = ImportSummary(
                import_id,
                "+".join(dict.fromkeys(p.format for p in plans)),
                str(path),
                tables,
                tuple(run.rejects),
                unlinked=tuple(run.unlinked),
                skipped=planned.skipped,
            )
            warehouse.append(IMPORTS, _log(summary, plans, started))
        finally:
            run.drop()
    seconds = (datetime.now(UTC) - clock).total_seconds()
    return dataclasses.replace(summary, seconds=seconds)


class _Run:
    """The staging state of one import: a stage per (file, table) and the rejects so far."""

    def __init__(
        self,
        warehouse: Warehouse,
        strict: bool,
        progress: Progress | None,
        max_followers: int = PLAUSIBLE_FOLLOWERS_MAX,
        decimal: str | None = None,
    ) -> None:
        self.warehouse = warehouse
        self.max_followers = max_followers
        self.decimal = decimal
        self.strict = strict
        self.progress = progress
        self.stages: list[tuple[FilePlan, TablePlan, Stage]] = []
        self.rejects: list[Reject] = []
        self.unlinked: list[Unlinked] = []

    def read(self, plan: FilePlan) -> None:
        file = str(plan.source.path)
        stages = [
            Stage(self.warehouse, t.spec, file, derived=t.derived, origins=t.origins)
            for t in plan.tables
        ]
        self.stages += [(plan, t, stage) for t, stage in zip(plan.tables, stages, strict=True)]
        step = f"reading {plan.source.path.name}"

        def report(done: int, total: int) -> None:
            if self.progress:
                self.progress(step, done, total)

        source = f"{plan.format}:{plan.source.path.name}"
        for raw in plan.source.batches(plan.columns, report):
            primary_bad: set[int] = set()
            for table, stage in zip(plan.tables, stages, strict=True):
                canonical = table.build(raw)
                rows, rejects = typed_rows(
                    table,
                    canonical,
                    raw,
                    file=file,
                    source=source,
                    fetched_at=plan.fetched_at,
                    max_followers=self.max_followers,
                    decimal=self.decimal or plan.source.decimal_mark,
                )
                if table.derived:
                    # A row already rejected for its main table need not be reported twice.
                    rejects = [r for r in rejects if r.line not in primary_bad]
                else:
                    primary_bad |= {r.line for r in rejects}
                stage.append(rows)
                self._reject(rejects)
        for table, stage in zip(plan.tables, stages, strict=True):
            if table.link is None:  # a linked row's key is known once it is linked
                self._reject(stage.remove_duplicates())

    def _reject(self, rejects: list[Reject]) -> None:
        self.rejects += rejects
        if self.strict and self.rejects:
            shown = "; ".join(r.describe() for r in self.rejects[:_STRICT_SHOWN])
            raise InputError(f"strict import refused: {shown}")

    def save(self) -> dict[str, TableSummary]:
        """Link, upsert and complete every stage, parents first; then count what links nowhere.

        Each stage's posts get their minimal creators as soon as they are saved, so the
        snapshots or comments of a later file can link to them.
        """
        counts: dict[str, UpsertCounts] = {}
        ordered = sorted(self.stages, key=lambda pts: _TABLE_ORDER.index(pts[2].spec.name))
        for index, (plan, table, stage) in enumerate(ordered, start=1):
            name = stage.spec.name
            if self.progress:
                self.progress(f"saving {name}", index, len(ordered))
            if table.link is not None:
                self._reject(link(stage, table.link))
                self._reject(stage.remove_duplicates())
            counts[name] = counts.get(name, UpsertCounts()) + stage.upsert()
            if plan.minimal_creators and "creator_id" in stage.spec.names:
                added = stage.add_missing_creators(ids_are_handles=plan.creator_ids_are_handles)
                counts["creators"] = counts.get("creators", UpsertCounts()) + UpsertCounts(added)
        self.unlinked = [u for _p, _t, stage in ordered if (u := unlinked(stage)) is not None]
        rejected: dict[str, int] = {}
        for reject in self.rejects:
            rejected[reject.table] = rejected.get(reject.table, 0) + 1
        names = [n for n in _TABLE_ORDER if n in counts or n in rejected]
        return {n: TableSummary(counts.get(n, UpsertCounts()), rejected.get(n, 0)) for n in names}

    def drop(self) -> None:
        for _plan, _table, stage in self.stages:
            with after_a_failed_statement():
                stage.drop()


def _quarantine(import_id: str, rejects: list[Reject], at: datetime) -> pa.Table:
    columns = {
        "import_id": [import_id] * len(rejects),
        "source_file": [r.file for r in rejects],
        "line": [r.line for r in rejects],
        "column_name": [r.column for r in rejects],
        "reason": [r.reason for r in rejects],
        "target_table": [r.table for r in rejects],
        "raw": [r.raw for r in rejects],
        "rejected_at": [at] * len(rejects),
    }
    return pa.table(
        columns,
        schema=pa.schema(
            [
                ("import_id", pa.string()),
                ("source_file", pa.string()),
                ("line", pa.int64()),
                ("column_name", pa.string()),
                ("reason", pa.string()),
                ("target_table", pa.string()),
                ("raw", pa.string()),
                ("rejected_at", pa.timestamp("us")),
            ]
        ),
    )


def _log(summary: ImportSummary, plans: list[FilePlan], started: datetime) -> pa.Table:
    return pa.table(
        {
            "import_id": [summary.import_id],
            "source_file": [summary.source],
            "format": [summary.format],
            "sha256": [_digest([p.source.path for p in plans])],
            "started_at": pa.array([started], pa.timestamp("us")),
            "inserted": [summary.inserted],
            "updated": [summary.updated],
            "unchanged": [summary.unchanged],
            "rejected": [summary.rejected],
        }
    )


def _digest(files: list[Path]) -> str:
    """sha256 of the one file read, or of the files' digests in order when several."""
    digests = []
    for file in files:
        sha = hashlib.sha256()
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        digests.append(sha.hexdigest())
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("".join(digests).encode()).hexdigest()


__all__ = ["ImportSummary", "TableSummary", "import_path"]
