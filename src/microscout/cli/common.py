"""Shared pieces of the CLI: consoles, error translation, progress bars and output formats."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import cli_actor, open_warehouse, open_workspace, writing_warehouse
from microscout.config import load_settings
from microscout.core.charts import MONEY_COLUMNS, money
from microscout.core.schema import PERCENT_COLUMNS
from microscout.errors import MicroscoutError

if TYPE_CHECKING:
    from microscout.adapters.workspace import Workspace

out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")
DEMO_COLUMNS = ("handle", "platform", "followers", "er_median", "reach_rate", "posts_per_week")
# How a list value (null_reasons, reason codes) reads in a CSV cell or a table.
LIST_SEPARATOR = "; "
# Some rows were rejected into quarantine while the rest were imported.
EXIT_PARTIAL = 3


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn microscout's errors into one line on stderr and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except MicroscoutError as exc:
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


@contextlib.contextmanager
def cli_workspace() -> Iterator[Workspace]:
    """The workspace, its changes recorded as made by this machine's user from the CLI."""
    with open_workspace(load_settings()) as workspace:
        yield workspace.acting_as(cli_actor())


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=str, indent=2) + "\n")


@contextlib.contextmanager
def warehouse_from_settings(read_only: bool = False) -> Iterator[Warehouse]:
    """The settings' warehouse: read-only, or a writable copy swapped in at the end."""
    if read_only:
        with open_warehouse(load_settings(), read_only=True) as warehouse:
            yield warehouse
    else:
        with writing_warehouse(load_settings()) as warehouse:
            yield warehouse


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """The services' ``progress(step, done, total)`` callback, shown on standard error.

    On a terminal: a Rich bar per step with its count, elapsed time and time left. Elsewhere (a
    log, CI): one line per step when it ends, with its count and seconds.
    """
    if not err.is_terminal:
        yield _step_lines()
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(step, total=total or None)
        bar.update(tasks[step], completed=done, total=total or None)

    with bar:
        yield report


def _step_lines() -> Callable[[str, int, int], None]:
    """A progress callback printing "step: N in S s" once, when a step reaches its total."""
    started: dict[str, float] = {}

    def report(step: str, done: int, total: int) -> None:
        begun = started.setdefault(step, time.perf_counter())
        if total and done >= total and begun >= 0:
            err.print(f"{step}: {total:,} in {time.perf_counter() - begun:.1f} s", highlight=False)
            started[step] = -1.0  # printed

    return report


# -- formatting -------------------------------------------------------------------------------


def fmt(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in PERCENT_COLUMNS and isinstance(value, float):
        return f"{value:.2%}"
    if column in MONEY_COLUMNS and isinstance(value, int | float):
        return money(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def print_rows(rows: pa.Table, title: str | None = None) -> None:
    """A table of rows, numbers right-aligned by their column's type."""
    types = rows.schema
    numeric = {
        name: pa.types.is_integer(types.field(name).type)
        or pa.types.is_floating(types.field(name).type)
        for name in rows.column_names
    }
    _print_table(numeric, rows.to_pylist(), title)


def print_records(records: list[dict[str, Any]], title: str | None = None) -> None:
    """:func:`print_rows` for rows already in Python: no Arrow table, since making one imports
    pandas (0.3 s), which a one-creator command such as ``show`` otherwise never needs."""
    names = list(dict.fromkeys(name for record in records for name in record))
    numeric = {
        name: all(
            isinstance(r.get(name), int | float) and not isinstance(r.get(name), bool)
            for r in records
            if r.get(name) is not None
        )
        and any(r.get(name) is not None for r in records)
        for name in names
    }
    _print_table(numeric, [{n: r.get(n) for n in names} for r in records], title)


def _print_table(numeric: dict[str, bool], rows: list[dict[str, Any]], title: str | None) -> None:
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, is_number in numeric.items():
        # Underscores read as spaces so a long header can wrap instead of truncating its
        # column's values; the names stay recognisable as the --sort and --min keys.
        table.add_column(
            name.replace("_", " "),
            justify="right" if is_number else "left",
            no_wrap=name == "handle",
        )
    for row in rows:
        table.add_row(*(fmt(k, v) for k, v in row.items()))
    out.print(table)


def json_default(value: Any) -> str:
    """How --json writes what JSON has no type for: dates and times in ISO 8601, else text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _cell(value: Any) -> Any:
    """A CSV cell: empty for unknown, a list joined with "; " (as null_reasons reads)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def emit(rows: pa.Table, as_json: bool, as_csv: bool, parquet: Path | None, title: str) -> None:
    if parquet is not None:
        pq.write_table(rows, parquet)
        err.print(f"wrote {rows.num_rows:,} rows to {parquet}")
    elif as_json:
        sys.stdout.write(json.dumps(rows.to_pylist(), default=str, indent=2) + "\n")
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(rows.column_names)
        writer.writerows([[_cell(v) for v in r.values()] for r in rows.to_pylist()])
        sys.stdout.write(buffer.getvalue())
    else:
        print_rows(rows, title)
