"""Commands that read the warehouse: creators, show."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from rich.panel import Panel
from rich.table import Table

from microscout.cli.common import (
    emit,
    err,
    fmt,
    handles_errors,
    out,
    print_rows,
    warehouse_from_settings,
)
from microscout.core.schema import CREATOR_SCORES
from microscout.errors import ParameterError


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
    from microscout.services.browse.creators import (
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


def _scores_table(scores: dict[str, Any]) -> Table:
    """Every stored metric with its value, sample size and meaning."""
    from microscout.services.browse.creators import SAMPLE_SIZE

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
    return table


@handles_errors
def show(
    handle: Annotated[str, typer.Argument(help="The creator's handle ('@' optional).")],
    platform: Annotated[
        str | None, typer.Option(help="Platform, when the handle is on several.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A creator's profile card: every metric with its sample size and what it means."""
    from microscout.services.browse.creators import creator_profile

    with warehouse_from_settings(read_only=True) as warehouse:
        profile = creator_profile(warehouse, handle, platform)
    if as_json:
        payload = {
            "creator": profile.creator,
            "scores": profile.scores,
            "recent_posts": profile.recent_posts,
        }
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
    out.print(_scores_table(scores))
    if scores.get("null_reasons"):
        out.print("[bold]Why some values are missing:[/]")
        for reason in scores["null_reasons"]:
            out.print(f"  • {reason}")
    if profile.recent_posts:
        print_rows(pa.Table.from_pylist(profile.recent_posts), "Latest posts")
