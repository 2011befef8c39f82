"""Shared pieces of the CLI: consoles, error translation, progress bars and output formats."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import open_warehouse
from microscout.config import load_settings
from microscout.core.schema import PERCENT_COLUMNS
from microscout.errors import MicroscoutError

out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")
DEMO_COLUMNS = ("handle", "platform", "followers", "er_median", "reach_rate", "posts_per_week")
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
def warehouse_from_settings(read_only: bool = False) -> Iterator[Warehouse]:
    with open_warehouse(load_settings(), read_only=read_only) as warehouse:
        yield warehouse


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar behind the services' ``progress(step, done, total)`` callback."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
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


# -- formatting -------------------------------------------------------------------------------


def fmt(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in PERCENT_COLUMNS and isinstance(value, float):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def print_rows(rows: pa.Table, title: str | None = None) -> None:
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in rows.column_names:
        numeric = pa.types.is_integer(rows.schema.field(name).type) or pa.types.is_floating(
            rows.schema.field(name).type
        )
        table.add_column(name, justify="right" if numeric else "left", no_wrap=name == "handle")
    for row in rows.to_pylist():
        table.add_row(*(fmt(k, v) for k, v in row.items()))
    out.print(table)


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
        writer.writerows([[("" if v is None else v) for v in r.values()] for r in rows.to_pylist()])
        sys.stdout.write(buffer.getvalue())
    else:
        print_rows(rows, title)
