"""Commands that bring data in and compute on it: demo, import, score."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from microscout.bootstrap import open_warehouse
from microscout.cli.common import (
    DEMO_COLUMNS,
    EXIT_PARTIAL,
    err,
    handles_errors,
    out,
    print_rows,
    progress_bar,
    warehouse_from_settings,
)
from microscout.config import load_settings
from microscout.errors import ParameterError


@handles_errors
def demo(
    creators: Annotated[int, typer.Option(help="How many creators to generate.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    serve: Annotated[bool, typer.Option(help="Serve the web app afterwards.")] = True,
) -> None:
    """Build the demo workspace: generate creators, score them, print micro-influencers."""
    from microscout.bootstrap import Adapters, default_stages
    from microscout.demo.build import build_demo
    from microscout.services.browse.creators import CreatorFilter, list_creators
    from microscout.services.scoring.run import metric_params, score

    if creators < 1:
        raise ParameterError("--creators", "must be at least 1")
    settings = load_settings()
    with open_warehouse(settings) as warehouse:
        with progress_bar() as progress:
            summary = build_demo(warehouse, creators, seed, progress=progress)
        err.print(f"generated the demo in {summary.seconds:.1f} s: " + _counts(summary.rows))
        run = score(warehouse, metric_params(settings), default_stages(Adapters(settings)))
        err.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")
        sample = list_creators(
            warehouse,
            CreatorFilter(tiers=("micro",)),
            sort="er_median",
            limit=10,
            columns=DEMO_COLUMNS,
        )
    print_rows(sample, f"A sample of micro-influencers in {settings.warehouse_file}")
    if serve:
        from microscout.cli.web import run_server

        run_server(settings)


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in rows.items())


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
        )
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


@handles_errors
def score_(
    as_of: Annotated[
        datetime | None,
        typer.Option(help="End the engagement window here (UTC) instead of at each latest post."),
    ] = None,
) -> None:
    """Compute every creator's metrics into creator_scores (see docs/metrics.md)."""
    from microscout.bootstrap import Adapters, default_stages
    from microscout.services.scoring.run import metric_params, score

    settings = load_settings()
    with open_warehouse(settings) as warehouse, progress_bar() as progress:
        progress("scoring", 0, 1)
        run = score(warehouse, metric_params(settings, as_of), default_stages(Adapters(settings)))
        progress("scoring", 1, 1)
    out.print(f"scored {run.creators:,} creators in {run.seconds:.1f} s (run {run.run_id})")
