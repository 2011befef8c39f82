"""The `microscout` command line: parse, call one service, render. No formulas or queries here."""

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
from typing import Annotated, Any, ParamSpec, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import open_warehouse
from microscout.config import Settings, load_settings
from microscout.core.schema import CREATOR_SCORES
from microscout.errors import MicroscoutError, ParameterError

app = typer.Typer(
    name="microscout",
    help="Find, vet and plan portfolios of micro-influencers, with every number explained.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
_PERCENT = {"er_median", "er_mean", "er_ci_low", "er_ci_high", "erv_median", "reach_rate",
            "share_rate", "reply_rate", "growth_30d", "growth_90d", "sponsored_er_median",
            "organic_er_median"}  # fmt: skip


def fmt(column: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in _PERCENT and isinstance(value, float):
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


# -- commands ---------------------------------------------------------------------------------
@app.command()
@handles_errors
def demo(
    creators: Annotated[int, typer.Option(help="How many creators to generate.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    serve: Annotated[bool, typer.Option(help="Serve the web app afterwards.")] = True,
) -> None:
    """Build the demo workspace: generate creators, score them, print micro-influencers."""
    from microscout.services.creators import CreatorFilter, list_creators
    from microscout.services.demo import build_demo
    from microscout.services.score import metric_params, score

    if creators < 1:
        raise ParameterError("--creators", "must be at least 1")
    settings = load_settings()
    with open_warehouse(settings) as warehouse:
        with progress_bar() as progress:
            summary = build_demo(warehouse, creators, seed, progress=progress)
        err.print(f"generated the demo in {summary.seconds:.1f} s: " + _counts(summary.rows))
        run = score(warehouse, metric_params(settings))
        err.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")
        sample = list_creators(
            warehouse, CreatorFilter(tiers=("micro",)), sort="er_median", limit=10
        )
    print_rows(sample, f"A sample of micro-influencers in {settings.warehouse_file}")
    if serve:
        err.print("The web app is not built yet: the demo workspace is ready for the CLI.")


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in rows.items())


@app.command("import")
@handles_errors
def import_(
    path: Annotated[Path, typer.Argument(help="File or folder to import.")],
    format: Annotated[
        str | None, typer.Option(help="generic, kim, meta, youtube or tiktok (default: detect).")
    ] = None,
    mapping: Annotated[Path | None, typer.Option(help="TOML column-mapping file.")] = None,
    creator: Annotated[
        str | None, typer.Option(help="Channel handle, for exports that do not name it.")
    ] = None,
    platform: Annotated[str | None, typer.Option(help="Platform of rows that do not say.")] = None,
    strict: Annotated[
        bool, typer.Option(help="Abort, writing nothing, if any row is bad.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import creators, posts, comments, snapshots or audience samples into the warehouse.

    Exit codes: 0 imported; 2 the file cannot be used (nothing written); 3 imported, but some
    rows were rejected into the quarantine table (listed with their reasons).
    """
    from microscout.services.ingest import import_path

    with warehouse_from_settings() as warehouse, progress_bar() as progress:
        summary = import_path(
            warehouse, path, format=format, mapping=mapping, creator=creator,
            platform=platform, strict=strict, progress=progress,
        )  # fmt: skip
    if as_json:
        payload = {
            "import_id": summary.import_id,
            "format": summary.format,
            "source": summary.source,
            "inserted": summary.inserted,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "rejected": summary.rejected,
            "tables": {
                name: {**t.counts.__dict__, "rejected": t.rejected}
                for name, t in summary.tables.items()
            },
            "rejects": [r.describe() for r in summary.rejects],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        table = Table(
            title=f"Imported {summary.source} ({summary.format}) in {summary.seconds:.1f} s"
        )
        for column in ("table", "imported", "updated", "unchanged", "rejected"):
            table.add_column(column, justify="left" if column == "table" else "right")
        for name, t in summary.tables.items():
            c = t.counts
            table.add_row(
                name, *(f"{v:,}" for v in (c.inserted, c.updated, c.unchanged, t.rejected))
            )
        out.print(table)
        for reject in summary.rejects[:20]:
            err.print(f"[yellow]rejected:[/] {reject.describe()}", highlight=False, soft_wrap=True)
        if summary.rejected > 20:
            err.print(f"… and {summary.rejected - 20:,} more in the quarantine table")
    if summary.rejected:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("score")
@handles_errors
def score_(
    as_of: Annotated[
        datetime | None,
        typer.Option(help="End the engagement window here (UTC) instead of at each latest post."),
    ] = None,
) -> None:
    """Compute every creator's metrics into creator_scores (see docs/metrics.md)."""
    from microscout.services.score import metric_params, score

    settings = load_settings()
    with open_warehouse(settings) as warehouse, progress_bar() as progress:
        progress("scoring", 0, 1)
        run = score(warehouse, metric_params(settings, as_of))
        progress("scoring", 1, 1)
    out.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")


def _bounds(option: str, values: list[str]) -> dict[str, float]:
    bounds: dict[str, float] = {}
    for value in values:
        metric, sep, number = value.partition("=")
        try:
            bounds[metric.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep:
            raise ParameterError(option, f"'{value}' is not METRIC=NUMBER (e.g. er_median=0.02)")
    return bounds


@app.command("creators")
@handles_errors
def creators_(
    platform: Annotated[list[str] | None, typer.Option(help="instagram, tiktok, youtube.")] = None,
    tier: Annotated[list[str] | None, typer.Option(help="nano, micro, mid, macro, mega.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="ISO country code.")] = None,
    min_followers: Annotated[int | None, typer.Option(help="At least this many followers.")] = None,
    max_followers: Annotated[int | None, typer.Option(help="At most this many followers.")] = None,
    min_: Annotated[
        list[str] | None, typer.Option("--min", help="METRIC=VALUE lower bound, repeatable.")
    ] = None,
    max_: Annotated[
        list[str] | None, typer.Option("--max", help="METRIC=VALUE upper bound, repeatable.")
    ] = None,
    sort: Annotated[str, typer.Option(help="Column to sort by.")] = "followers",
    ascending: Annotated[bool, typer.Option(help="Sort ascending (default descending).")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    stats: Annotated[bool, typer.Option(help="Print distribution summaries instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    parquet: Annotated[
        Path | None, typer.Option(help="Write the rows to this Parquet file.")
    ] = None,
) -> None:
    """List scored creators with filters and sorting, or summarise them with --stats."""
    from microscout.services.creators import (
        CreatorFilter,
        creator_stats,
        list_creators,
        scores_status,
    )

    flt = CreatorFilter(
        platforms=tuple(platform or ()),
        tiers=tuple(tier or ()),
        countries=tuple(country or ()),
        min_followers=min_followers,
        max_followers=max_followers,
        minimum=_bounds("--min", min_ or []),
        maximum=_bounds("--max", max_ or []),
    )
    with warehouse_from_settings(read_only=True) as warehouse:
        warning = scores_status(warehouse)
        if warning:
            err.print(f"[yellow]warning:[/] {warning}")
        if stats:
            summary = creator_stats(warehouse, flt)
            if as_json:
                sys.stdout.write(json.dumps(summary, indent=2) + "\n")
            else:
                print_stats(summary)
            return
        rows = list_creators(warehouse, flt, sort=sort, descending=not ascending, limit=limit)
    emit(rows, as_json, as_csv, parquet, f"{rows.num_rows:,} creators")


def print_stats(summary: dict[str, Any]) -> None:
    out.print(
        f"[bold]{summary['count']:,}[/] creators, {summary['with_posts']:,} with posts; "
        f"{summary['passes_reach_gate']:,} pass the reach gate; "
        f"{summary['spike_flagged']:,} with a follower spike"
    )
    table = Table(title="Distribution", header_style="bold")
    for column in ("metric", "n", "p25", "median", "p75"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for metric, q in summary["metrics"].items():
        table.add_row(
            metric, fmt("n", q["n"]), *(fmt(metric, q[k]) for k in ("p25", "median", "p75"))
        )
    out.print(table)
    for group in ("by_platform", "by_tier"):
        parts = ", ".join(f"{k} {v:,}" for k, v in summary[group].items())
        out.print(f"{group.replace('_', ' ')}: {parts}")


@app.command()
@handles_errors
def show(
    handle: Annotated[str, typer.Argument(help="The creator's handle ('@' optional).")],
    platform: Annotated[
        str | None, typer.Option(help="Platform, when the handle is on several.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A creator's profile card: every metric with its sample size and what it means."""
    from microscout.services.creators import SAMPLE_SIZE, creator_profile

    with warehouse_from_settings(read_only=True) as warehouse:
        profile = creator_profile(warehouse, handle, platform)
    if as_json:
        payload = {"creator": profile.creator, "scores": profile.scores,
                   "recent_posts": profile.recent_posts}  # fmt: skip
        sys.stdout.write(json.dumps(payload, default=str, indent=2) + "\n")
        return
    c = profile.creator
    lines = [
        f"[bold]@{c['handle']}[/] on {c['platform']} — {c.get('display_name') or ''}",
        f"followers {fmt('n', c.get('followers'))} · following {fmt('n', c.get('following'))}"
        f" · country {c.get('country') or '—'} · language {c.get('language') or '—'}",
    ]
    if c.get("bio"):
        lines.append(str(c["bio"]))
    if profile.other_platforms:
        lines.append("also on: " + ", ".join(profile.other_platforms))
    out.print(Panel("\n".join(lines), title="creator", expand=False))
    if profile.scores is None:
        err.print("[yellow]not scored yet:[/] run `microscout score`")
        return
    scores = profile.scores
    table = Table(title=f"Scores (run {scores['run_id']})", header_style="bold")
    for column in ("metric", "value", "n", "meaning"):
        table.add_column(column, justify="right" if column in ("value", "n") else "left")
    skip = {"platform", "creator_id", "handle", "null_reasons", "run_id"} | set(
        SAMPLE_SIZE.values()
    )
    for col in CREATOR_SCORES.columns:
        if col.name in skip:
            continue
        sample = SAMPLE_SIZE.get(col.name)
        n = fmt("n", scores.get(sample)) if sample else ""
        table.add_row(col.name, fmt(col.name, scores.get(col.name)), n, col.doc)
    out.print(table)
    if scores.get("null_reasons"):
        out.print("[bold]Why some values are missing:[/]")
        for reason in str(scores["null_reasons"]).split("; "):
            out.print(f"  • {reason}")
    if profile.recent_posts:
        print_rows(pa.Table.from_pylist(profile.recent_posts), "Latest posts")


@app.command()
@handles_errors
def doctor() -> None:
    """Check settings, stores and library versions."""
    from microscout.services.doctor import FAIL, Check, library_checks, store_checks

    checks: list[Check] = []
    try:
        settings: Settings | None = load_settings()
        checks.append(Check("settings", "ok", "valid"))
    except MicroscoutError as exc:
        settings = None
        checks.append(Check("settings", FAIL, exc.message))
    checks += library_checks()
    if settings is not None:
        checks += store_checks(settings)
    table = Table(title="microscout doctor", header_style="bold")
    for column in ("check", "status", "detail"):
        table.add_column(column)
    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    for check in checks:
        table.add_row(check.name, f"[{colours[check.status]}]{check.status}[/]", check.detail)
    out.print(table)
    if any(check.status == FAIL for check in checks):
        raise typer.Exit(1)


def main() -> None:
    app()
