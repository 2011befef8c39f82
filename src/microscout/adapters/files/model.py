"""The shapes every file format produces: plans for reading files, rejected and skipped input."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from microscout.adapters.files.mapping import ColumnMapping
from microscout.adapters.files.readers import LINE, Source
from microscout.core.schema import TableSpec


@dataclass(frozen=True)
class Reject:
    """A row an import could not use, with where it was and why."""

    file: str
    line: int
    column: str | None
    reason: str
    table: str
    raw: str  # the row as read, JSON-encoded

    def describe(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason} ({self.table})"


@dataclass(frozen=True)
class Skipped:
    """A file of a folder that was not imported because it matches no canonical table."""

    file: str
    reason: str

    def describe(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class Unlinked:
    """Imported rows of one file whose parent (a post, a creator) is not in the warehouse."""

    file: str
    table: str
    parent: str  # "posts" or "creators"
    rows: int
    lines: tuple[int, ...]  # the first few, in file order

    def describe(self) -> str:
        noun = "post" if self.parent == "posts" else "creator"
        shown = ", ".join(str(line) for line in self.lines)
        more = ", …" if self.rows > len(self.lines) else ""
        plural = "line" if len(self.lines) == 1 else "lines"
        return (
            f"{self.rows:,} {self.table} row{'s' if self.rows != 1 else ''} of {self.file} "
            f"link to no stored {noun} ({plural} {shown}{more}): import their {noun}s too, "
            f"or nothing that reads {self.table} through their {noun} will see them"
        )


@dataclass(frozen=True)
class Link:
    """How rows of a child table find their platform and creator among the stored rows.

    ``parent`` is ``"posts"`` (a comment names its post) or ``"creators"`` (a snapshot or an
    audience sample names its creator). A row without a platform takes its parent's; a comment
    without a creator takes its post's. ``by_handle`` when the creator key is a handle, so a stored
    creator's handle matches too and the row takes that creator's id. ``assumed_platform`` is the
    ``--platform`` value when the file has no platform of its own: rows whose parent is stored
    only under another platform then refuse the import instead of being orphaned.
    """

    parent: str
    by_handle: bool = False
    assumed_platform: str | None = None


@dataclass(frozen=True)
class ImportOptions:
    """What the caller told the importer beyond the file itself."""

    platform: str | None = None
    creator: str | None = None
    mapping: ColumnMapping | None = None


@dataclass(frozen=True)
class TablePlan:
    """How one batch of a file becomes rows of one canonical table.

    ``build`` returns the canonical column names (values still as read, text or typed) plus
    ``_line``; typing and checking happen afterwards in one place (``convert``). ``origins`` names
    the source header behind each canonical column so a reject points at the user's column.
    ``derived`` rows are implied by another table's rows (a post's creator): repeats of one key are
    expected there and merge silently instead of being rejected as duplicates.
    """

    spec: TableSpec
    build: Callable[[pa.Table], pa.Table]
    origins: Mapping[str, str] = field(default_factory=dict)
    derived: bool = False
    link: Link | None = None  # rows whose platform or creator comes from stored rows


@dataclass(frozen=True)
class FilePlan:
    """One file to read, in one format, feeding one or more canonical tables."""

    source: Source
    format: str
    tables: tuple[TablePlan, ...]
    columns: tuple[str, ...] | None  # source headers worth reading (Parquet reads only these)
    fetched_at: datetime  # used when the rows carry no observation time: the file's mtime
    # Posts whose creator this file does not describe get a minimal creator row; when the posts'
    # creator_id is a handle, the handle is filled in too.
    minimal_creators: bool = False
    creator_ids_are_handles: bool = False


@dataclass(frozen=True)
class ImportPlan:
    """Every file an import reads, and the files of a folder it leaves out (with why)."""

    files: tuple[FilePlan, ...]
    skipped: tuple[Skipped, ...] = ()


def select(
    raw: pa.Table,
    columns: Mapping[str, str],
    constants: Mapping[str, object] | None = None,
    computed: Mapping[str, pa.Array] | None = None,
) -> pa.Table:
    """A canonical-named table from source columns, constants and computed arrays (+ ``_line``)."""
    names: list[str] = []
    arrays: list[pa.Array] = []
    for canonical, header in columns.items():
        names.append(canonical)
        arrays.append(raw.column(header))
    for canonical, value in (constants or {}).items():
        if canonical not in names:
            names.append(canonical)
            arrays.append(pa.repeat(pa.scalar(value), raw.num_rows))
    for canonical, array in (computed or {}).items():
        if canonical in names:
            arrays[names.index(canonical)] = array
        else:
            names.append(canonical)
            arrays.append(array)
    names.append(LINE)
    arrays.append(raw.column(LINE))
    return pa.Table.from_arrays(arrays, names=names)
