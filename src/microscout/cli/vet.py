"""Commands that vet creators: ``vet HANDLE`` and ``authenticity train LABELLED_FILE``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from microscout.bootstrap import Adapters
from microscout.cli.common import err, handles_errors, out, warehouse_from_settings
from microscout.config import load_settings

if TYPE_CHECKING:
    from microscout.services.vetting.report import VetReport

_STYLE = {"ok": "green", "caution": "yellow", "high risk": "bold red", "not vetted": "dim"}

authenticity = typer.Typer(
    name="authenticity",
    help="The fake-follower model: train it on a labelled file.",
    no_args_is_help=True,
    add_completion=False,
)


@handles_errors
def vet(
    handle: Annotated[str, typer.Argument(help="The creator's handle ('@' optional).")],
    platform: Annotated[
        str | None, typer.Option(help="Platform, when the handle is on several.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Audience quality of one creator: verdict, 0-100 score, reasons and their evidence.

    Signals that could not be checked (no audience sample, no snapshots, no comments) are listed;
    a creator on whom none could be checked is "not vetted", with no score.
    Formulas and thresholds: docs/authenticity.md.
    """
    from microscout.services.vetting.vet import vet as vet_creator

    settings = load_settings()
    models = Adapters(settings).follower_models
    with warehouse_from_settings(read_only=True) as warehouse:
        result = vet_creator(
            warehouse,
            settings,
            handle,
            platform,
            model=models.current(),
            model_identity=models.identity(),
        )
    if as_json:
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
        return
    out.print(_headline(result))
    # Not vetted: the headline names what is missing, and there are no findings to list.
    if result.audience_quality is not None and result.reasons:
        out.print(_reasons_table(result))
    elif result.audience_quality is not None:
        out.print("No red flags found in the signals checked.")
    if result.unavailable:
        out.print("[bold]Not checked:[/]")
        for missing in result.unavailable:
            out.print(f"  • {missing}")


def _headline(result: VetReport) -> Panel:
    """The verdict and the score, or "not vetted" and why when nothing could be checked."""
    style = _STYLE.get(result.verdict, "bold")
    followers = f"{result.followers:,}" if result.followers is not None else "unknown"
    checked = result.signals_checked
    if result.audience_quality is None:
        why = next((r.message for r in result.reasons if r.code == "not_vetted"), "")
        quality = f"no audience quality: {why or 'nothing could be checked'}"
    else:
        quality = f"audience quality [bold]{result.audience_quality:.0f}[/]/100"
    return Panel(
        f"[{style}]{result.verdict.upper()}[/] · {quality}\n"
        f"@{result.handle} on {result.platform} · {followers} followers · "
        f"{checked} of {checked + len(result.unavailable)} signals checked",
        title="vet",
        expand=False,
    )


def _reasons_table(result: VetReport) -> Table:
    table = Table(header_style="bold", title="Reasons (100 minus the points below)")
    for column in ("points", "signal", "finding"):
        table.add_column(column, justify="right" if column == "points" else "left")
    for r in result.reasons:
        mark = "" if r.flag else " (info)"
        table.add_row(f"{r.points:+d}", r.code + mark, r.message)
    return table


@handles_errors
def train(
    labelled_file: Annotated[
        Path,
        typer.Argument(help="Labelled accounts: InstaFake JSON (file or folder), or CSV/JSON."),
    ],
    format: Annotated[str, typer.Option(help="instafake or csv (any CSV/JSON + --mapping).")] = (
        "instafake"
    ),
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            help="FIELD=COLUMN, repeatable: label, followers, following, posts, has_picture, "
            "is_private, username (or username_length, username_digits), bio_length."
        ),
    ] = None,
) -> None:
    """Train the fake-follower model and save it in the workspace (used from then on).

    Gradient boosting with balanced class weights and calibrated probabilities; the fake
    cut-off is chosen by 5-fold cross-validation on this file.
    """
    from microscout.adapters.models.follower_model import parse_mapping
    from microscout.services.vetting.training import train_authenticity

    store = Adapters(load_settings()).follower_models
    parsed = parse_mapping(mapping or [])
    err.print(f"training on {labelled_file} …")
    report = train_authenticity(store, labelled_file, format, parsed or None)
    out.print(
        f"trained on {report.rows:,} accounts ({report.fake_rows:,} fake); "
        f"5-fold CV accuracy {report.cv_accuracy:.1%}, MCC {report.cv_mcc:.3f}; "
        f"fake cut-off {report.threshold:.3f}\nsaved to {report.path}"
    )


authenticity.command()(train)

__all__ = ["authenticity", "train", "vet"]
