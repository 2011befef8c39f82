"""Commands that read the warehouse: creators, show."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from microscout.cli.common import (
    emit,
    err,
    fmt,
    handles_errors,
    json_default,
    out,
    print_records,
    warehouse_from_settings,
)
from microscout.errors import ParameterError

if TYPE_CHECKING:
    from microscout.services.browse.detail import CreatorDetail
    from microscout.services.browse.listing import CreatorList


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
    tier: Annotated[
        list[str] | None, typer.Option(help="nano, micro, mid, macro, mega, or any.")
    ] = None,
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
    limit: Annotated[
        int, typer.Option(help="At most this many rows; stderr says when the list was cut.")
    ] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many rows first (for pages).")] = 0,
    all_: Annotated[bool, typer.Option("--all", help="Every matching creator (no limit).")] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            help="summary (the table's default), all (the default of --json, --csv and "
            "--parquet: every stored score column), or column names separated by commas."
        ),
    ] = None,
    stats: Annotated[bool, typer.Option(help="Print distribution summaries instead.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    parquet: Annotated[
        Path | None, typer.Option(help="Write the rows to this Parquet file.")
    ] = None,
) -> None:
    """List scored creators with filters and sorting, or summarise them with --stats.

    --json, --csv and --parquet carry every stored score column (verdict, audience quality,
    fake-follower share and its interval, niche, fee, CPE, CPM, reasons); --json prints
    {"total", "note", "rows", ...}.
    """
    from microscout.services.browse.creators import CreatorFilter, creator_stats, scores_status
    from microscout.services.browse.listing import creator_list

    flt = CreatorFilter(
        platforms=tuple(platform or ()),
        tiers=tuple(tier or ()),
        countries=tuple(country or ()),
        min_followers=min_followers,
        max_followers=max_followers,
        minimum=_bounds("--min", min_ or []),
        maximum=_bounds("--max", max_ or []),
    )
    to_file = as_json or as_csv or parquet is not None
    with warehouse_from_settings(read_only=True) as warehouse:
        if stats:
            summary = creator_stats(warehouse, flt)
        else:
            listed = creator_list(
                warehouse,
                flt,
                sort=sort,
                descending=not ascending,
                limit=None if all_ else limit,
                offset=offset,
                columns=columns or ("all" if to_file else "summary"),
            )
        warning = scores_status(warehouse)
    if warning:
        err.print(f"[yellow]warning:[/] {warning}")
    if stats:
        if as_json:
            sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        else:
            print_stats(summary)
        return
    note = _cut_note(listed)
    if as_json:
        payload = {
            "total": listed.total,
            "shown": listed.rows.num_rows,
            "offset": listed.offset,
            "limit": listed.limit,
            "next_offset": listed.next_offset,
            "note": note,
            "warning": warning,
            "rows": listed.rows.to_pylist(),
        }
        sys.stdout.write(json.dumps(payload, default=json_default, indent=2) + "\n")
    else:
        emit(listed.rows, False, as_csv, parquet, f"{listed.total:,} creators pass the filters")
    if note:
        err.print(note, highlight=False)


def _cut_note(listed: CreatorList) -> str | None:
    """What a reader must know about the rows: that the list was cut, or that it is empty."""
    if listed.total == 0:
        return "no creator passes the filters"
    if not listed.cut:
        return None
    more = "; --limit N or --all to see more" if listed.next_offset is not None else ""
    return f"{listed.shown()}{more}"


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
    for group in ("by_platform", "by_tier", "by_authenticity_verdict"):
        parts = ", ".join(f"{k} {v:,}" for k, v in summary[group].items())
        out.print(f"{group.replace('_', ' ')}: {parts}")


def _metrics_table(detail: CreatorDetail) -> Table:
    """Every stored metric with its value, sample size and meaning."""
    table = Table(title=f"Scores (run {detail.run_id})", header_style="bold")
    for column in ("metric", "value", "n", "meaning"):
        table.add_column(column, justify="right" if column in ("value", "n") else "left")
    for m in detail.metrics:
        n = fmt("n", m.sample_size) if m.sample_column else ""
        table.add_row(m.name, fmt(m.name, m.value), n, m.meaning)
    return table


def _creator_panel(detail: CreatorDetail) -> Panel:
    lines = [
        f"[bold]@{detail.handle}[/] on {detail.platform} — {detail.display_name or ''}",
        f"followers {fmt('n', detail.followers)} · following {fmt('n', detail.following)}"
        f" · country {detail.country or '—'} · language {detail.language or '—'}",
    ]
    if detail.bio:
        lines.append(detail.bio)
    if detail.other_platforms:
        lines.append("also on: " + ", ".join(detail.other_platforms))
    return Panel("\n".join(lines), title="creator", expand=False)


@handles_errors
def show(
    handle: Annotated[str, typer.Argument(help="The creator's handle ('@' optional).")],
    platform: Annotated[
        str | None, typer.Option(help="Platform, when the handle is on several.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A creator's profile card: every metric with its sample size and what it means.

    --json prints the API's CreatorDetail, plus the stored creator and scores rows as they are.
    """
    from microscout.services.browse.creators import creator_profile
    from microscout.services.browse.detail import detail_of

    with warehouse_from_settings(read_only=True) as warehouse:
        profile = creator_profile(warehouse, handle, platform)
    detail = detail_of(profile)
    if as_json:
        # The typed detail the API serves, and the raw rows scripts already read ("creator",
        # "scores"): the rows hold every stored column, the detail explains each metric.
        payload = {
            **detail.model_dump(mode="json"),
            "creator": profile.creator,
            "scores": profile.scores,
        }
        sys.stdout.write(json.dumps(payload, default=str, indent=2) + "\n")
        return
    out.print(_creator_panel(detail))
    if not detail.scored:
        err.print("[yellow]not scored yet:[/] run `microscout score`")
        return
    out.print(_metrics_table(detail))
    if detail.null_reasons:
        out.print("[bold]Why some values are missing:[/]")
        for reason in detail.null_reasons:
            out.print(f"  • {reason}")
    if detail.recent_posts:
        # the links are in --json; in a terminal they would crowd out the captions
        posts = [p.model_dump(exclude={"permalink"}) for p in detail.recent_posts]
        print_records(posts, "Latest posts")
