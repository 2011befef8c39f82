"""Commands that bring data in and compute on it: demo, import, export, quarantine, score,
load-scores."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from microscout.bootstrap import writing_warehouse
from microscout.cli.common import (
    DEMO_COLUMNS,
    EXIT_PARTIAL,
    cli_workspace,
    err,
    handles_errors,
    out,
    print_rows,
    progress_bar,
    warehouse_from_settings,
)
from microscout.config import Settings, load_settings
from microscout.errors import ParameterError

if TYPE_CHECKING:
    from microscout.adapters.warehouse.lake_path import LakePath
    from microscout.services.ingest.importer import ImportSummary

_REJECTS_SHOWN = 20


@handles_errors
def demo(
    creators: Annotated[int, typer.Option(help="How many creators to generate.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    serve: Annotated[bool, typer.Option(help="Serve the web app afterwards.")] = True,
) -> None:
    """Build the demo workspace: generate creators, score them, print micro-influencers."""
    from microscout.bootstrap import score_and_publish
    from microscout.demo.build import build_demo
    from microscout.services.browse.creators import CreatorFilter, list_creators

    if creators < 1:
        raise ParameterError("--creators", "must be at least 1")
    settings = load_settings()
    with writing_warehouse(settings) as warehouse:
        with progress_bar() as progress:
            summary = build_demo(warehouse, creators, seed, progress=progress)
        err.print(f"generated the demo in {summary.seconds:.1f} s: " + _counts(summary.rows))
        with progress_bar() as progress:
            run = score_and_publish(warehouse, settings, progress=progress)
        err.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")
        sample = list_creators(
            warehouse,
            CreatorFilter(tiers=("micro",)),
            sort="er_median",
            limit=10,
            columns=DEMO_COLUMNS,
        )
    print_rows(sample, f"A sample of micro-influencers in {settings.warehouse_file}")
    _demo_campaign(settings, seed)
    if serve:
        from microscout.cli.web import run_server

        run_server(settings)


def _demo_campaign(settings: Settings, seed: int) -> None:
    """The demo's finished campaign (demo/campaign.py), made once per workspace."""
    from microscout.bootstrap import Adapters, open_warehouse, signing_key
    from microscout.demo.campaign import build_demo_campaign
    from microscout.services.discovery.candidates import candidate_source

    real = Adapters(settings)
    source = candidate_source(settings, real.index_store, lambda: real.embedder)
    with cli_workspace() as workspace, open_warehouse(settings, read_only=True) as warehouse:
        made = build_demo_campaign(
            workspace,
            warehouse,
            settings,
            source,
            signing_key(settings),
            settings.home / "demo-campaign",
            seed,
        )
    if made is not None:
        err.print(
            f"built the demo campaign '{made.name}' ({made.creators} creators): "
            f"`microscout campaign report {made.id}`"
        )


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in rows.items())


@handles_errors
def export(
    lake: Annotated[
        str,
        typer.Option(
            help="Folder or URL (file://, hdfs://, s3a://, gs://) to write the canonical tables "
            "to, as Parquet."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Write the warehouse's canonical tables (creators, posts, comments, snapshots, audience
    samples) as Parquet partitioned by platform, one folder per table, with _manifest.json:
    the lake Spark and other engines read."""
    from microscout.adapters.warehouse.lake_path import LakePath
    from microscout.services.ingest.lake import export_lake

    folder = LakePath.of(lake)
    with warehouse_from_settings(read_only=True) as warehouse:
        done = export_lake(warehouse, folder)
    if as_json:
        sys.stdout.write(
            json.dumps({"lake": str(done.folder), "tables": done.tables, "seconds": done.seconds})
            + "\n"
        )
        return
    rows = ", ".join(f"{n:,} {name}" for name, n in done.tables.items())
    out.print(f"exported to {done.folder} in {done.seconds:.1f} s: {rows}", highlight=False)


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
    decimal: Annotated[
        str | None,
        typer.Option(
            help=(
                "Decimal mark of the files' numbers, '.' or ','. Default: ',' for a "
                ";-separated file (12.000 is then twelve thousand), '.' otherwise; a count "
                "like 12.000 written with the decimal mark is refused as ambiguous."
            )
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import creators, posts, comments, snapshots or audience samples into the warehouse.

    Comments, snapshots and audience samples need no platform or creator column: each row takes
    them from its stored post or creator. Files of a folder that match no table are skipped and
    named. Exit codes: 0 imported; 2 the file cannot be used, or --platform contradicts the
    stored rows (nothing written); 3 imported, but some rows were rejected into quarantine
    (listed with their reasons; see `microscout quarantine`).
    """
    from microscout.services.ingest.importer import import_path

    with warehouse_from_settings() as warehouse, progress_bar() as progress:
        summary = import_path(
            warehouse,
            path,
            format=format,
            mapping=mapping,
            creator=creator,
            platform=platform,
            strict=strict,
            progress=progress,
            max_followers=load_settings().import_max_followers,
            decimal=decimal,
        )
    if as_json:
        sys.stdout.write(json.dumps(_summary_json(summary), indent=2) + "\n")
    else:
        _print_summary(summary)
    if summary.rejected:
        raise typer.Exit(EXIT_PARTIAL)


def _summary_json(summary: ImportSummary) -> dict[str, Any]:
    return {
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
        "warnings": [
            {
                "file": u.file,
                "table": u.table,
                "links_to": u.parent,
                "rows": u.rows,
                "lines": list(u.lines),
                "message": u.describe(),
            }
            for u in summary.unlinked
        ],
        "skipped": [{"file": s.file, "reason": s.reason} for s in summary.skipped],
    }


def _print_summary(summary: ImportSummary) -> None:
    table = Table(title=f"Imported {summary.source} ({summary.format}) in {summary.seconds:.1f} s")
    for column in ("table", "imported", "updated", "unchanged", "rejected"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, t in summary.tables.items():
        c = t.counts
        table.add_row(name, *(f"{v:,}" for v in (c.inserted, c.updated, c.unchanged, t.rejected)))
    out.print(table)
    notes = [
        *(("skipped", s.describe()) for s in summary.skipped),
        *(("warning", u.describe()) for u in summary.unlinked),
        *(("rejected", r.describe()) for r in summary.rejects[:_REJECTS_SHOWN]),
    ]
    for label, text in notes:
        err.print(f"[yellow]{label}:[/] {escape(text)}", highlight=False, soft_wrap=True)
    if summary.rejected > _REJECTS_SHOWN:
        err.print(
            f"… and {summary.rejected - _REJECTS_SHOWN:,} more: "
            f"microscout quarantine --import-id {summary.import_id}"
        )


@handles_errors
def quarantine(
    import_id: Annotated[
        str | None, typer.Option("--import-id", help="Only the rows this import rejected.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """List the rows imports rejected: file, line, column, table and reason, newest first.

    `--json` adds each row as read (raw) and when it was rejected.
    """
    from microscout.services.ingest.quarantine import rejected_rows

    with warehouse_from_settings(read_only=True) as warehouse:
        found = rejected_rows(warehouse, import_id=import_id, limit=limit)
    if as_json:
        payload = {"total": found.total, "rows": found.rows.to_pylist()}
        sys.stdout.write(json.dumps(payload, default=str, indent=2) + "\n")
        return
    if found.total == 0:
        err.print("no rejected rows" + (f" for import {import_id}" if import_id else ""))
        return
    # One line per row, as the import prints its rejects: long paths and reasons stay whole.
    out.print(f"{found.total:,} rejected rows" + _cut(found.rows.num_rows, found.total))
    for row in found.rows.to_pylist():
        where = f"{row['source_file']}, line {row['line']}"
        if row["column_name"]:
            where += f", column '{row['column_name']}'"
        out.print(
            f"{where}: {row['reason']} ({row['target_table']}; import {row['import_id']})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


def _cut(shown: int, total: int) -> str:
    return f" (the first {shown:,}; raise --limit for more)" if shown < total else ""


_LAKE_HELP = (
    "Lake folder or URL (file://, hdfs://, s3a://, gs://); default: the lake_path setting, "
    "else <home>/lake."
)


@handles_errors
def score_(
    as_of: Annotated[
        datetime | None,
        typer.Option(help="End the engagement window here (UTC) instead of at each latest post."),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(help="duckdb (the warehouse) or spark (the lake); default: the setting."),
    ] = None,
    lake: Annotated[str | None, typer.Option(help=_LAKE_HELP)] = None,
) -> None:
    """Compute every creator's metrics into creator_scores (see docs/metrics.md); with
    --engine spark, score the exported lake on Spark instead (docs/scaling.md)."""
    from microscout.bootstrap import score_and_publish

    settings = load_settings()
    chosen = engine or settings.engine
    if chosen not in ("duckdb", "spark"):
        raise ParameterError("--engine", f"{chosen!r} is not an engine; use duckdb or spark")
    if chosen == "spark":
        _score_on_spark(settings, _lake(settings, lake), as_of)
        return
    if lake is not None:
        raise ParameterError("--lake", "only the spark engine reads a lake")
    with writing_warehouse(settings) as warehouse, progress_bar() as progress:
        run = score_and_publish(warehouse, settings, as_of, progress)
    out.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")


def _lake(settings: Settings, given: str | None) -> LakePath:
    """The lake ``--lake`` names, else the settings' (``lake_path``, else <home>/lake)."""
    from microscout.adapters.warehouse.lake_path import LakePath

    if given is not None:
        return LakePath.of(given)
    return LakePath.of(settings.lake_location, "lake_path")


def _score_on_spark(settings: Settings, lake: LakePath, as_of: datetime | None) -> None:
    from microscout.bootstrap import Adapters
    from microscout.services.scoring.spark import SparkModels, score_on_spark

    adapters = Adapters(settings)
    models = SparkModels(adapters.niche_model, adapters.follower_model, adapters.judgement())
    with progress_bar() as progress:
        run = score_on_spark(settings, lake, models, as_of, progress)
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.steps.items())
    out.print(
        f"scored {run.creators:,} creators on Spark in {run.seconds:.1f} s ({steps}; "
        f"{run.embedded:,} documents embedded), run {run.run_id}, written to {run.folder}; "
        f"serve it with `microscout load-scores --lake {lake}`",
        highlight=False,
        soft_wrap=True,
    )


@handles_errors
def load_scores(lake: Annotated[str | None, typer.Option(help=_LAKE_HELP)] = None) -> None:
    """Bring the latest `score --engine spark` run of the lake into the warehouse and the
    search index, and publish the creator views."""
    from microscout.bootstrap import score_and_publish

    settings = load_settings()
    folder = _lake(settings, lake)
    with writing_warehouse(settings) as warehouse, progress_bar() as progress:
        run = score_and_publish(warehouse, settings, None, progress, lake=folder)
    out.print(
        f"loaded Spark run {run.run_id} from {folder}: {run.creators:,} creators in "
        f"{run.seconds:.1f} s",
        highlight=False,
    )
