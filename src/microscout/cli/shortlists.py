"""``microscout shortlist …``: named lists of creators kept in the workspace store."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from microscout.bootstrap import open_warehouse
from microscout.cli.common import (
    cli_workspace,
    err,
    fmt,
    handles_errors,
    out,
    print_json,
    warehouse_from_settings,
)
from microscout.config import load_settings
from microscout.errors import ParameterError

if TYPE_CHECKING:
    from microscout.adapters.warehouse import Warehouse

shortlist_app = typer.Typer(
    name="shortlist",
    help="Named lists of creators: create, add, note, show with current figures, export.",
    no_args_is_help=True,
    add_completion=False,
)

ShortlistId = Annotated[int, typer.Argument(help="The shortlist's id (see `shortlist list`).")]
Handle = Annotated[str, typer.Argument(help="The creator's handle ('@' optional).")]
Platform = Annotated[str | None, typer.Option(help="Platform, when the handle is on several.")]


@contextlib.contextmanager
def _warehouse_if_present() -> Iterator[Warehouse | None]:
    """The warehouse when there is one: only needed to follow a creator's changed handle."""
    settings = load_settings()
    if not settings.warehouse_file.exists():
        yield None
        return
    with open_warehouse(settings, read_only=True) as warehouse:
        yield warehouse


def _creators(n: int) -> str:
    return f"{n:,} creator" if n == 1 else f"{n:,} creators"


@handles_errors
def create(
    name: Annotated[str, typer.Argument(help="A unique name (case is ignored), 1-100 chars.")],
    description: Annotated[str, typer.Option(help="What the list is for.")] = "",
) -> None:
    """Create an empty shortlist."""
    from microscout.services.shortlists import create_shortlist

    with cli_workspace() as workspace:
        made = create_shortlist(workspace, name, description)
    out.print(f"created shortlist #{made.id} '{made.name}'", highlight=False)


@handles_errors
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every shortlist with how many creators it holds."""
    from microscout.services.shortlists import list_shortlists

    with cli_workspace() as workspace:
        shortlists = list_shortlists(workspace)
    if as_json:
        print_json([s.as_dict() for s in shortlists])
        return
    if not shortlists:
        out.print("No shortlists yet: `microscout shortlist create NAME` makes one.")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("id", "name", "creators", "updated", "description"):
        table.add_column(column, justify="right" if column in ("id", "creators") else "left")
    for s in shortlists:
        table.add_row(
            str(s.id), s.name, f"{s.entries:,}", fmt("updated", s.updated_at), s.description
        )
    out.print(table)


@handles_errors
def show(
    shortlist_id: ShortlistId,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """One shortlist with each creator's current figures from the warehouse.

    A creator no longer in the warehouse is still listed, with empty figures and a warning.
    """
    from microscout.services.shortlists import FIGURES, export_csv, get_shortlist

    columns = ("handle", "platform", *FIGURES, "note")
    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        if as_csv:
            sys.stdout.write(export_csv(workspace, warehouse, shortlist_id))
            return
        detail = get_shortlist(workspace, warehouse, shortlist_id)
    if as_json:
        print_json(detail.as_dict())
        return
    s = detail.shortlist
    title = f"#{s.id} {s.name} · {_creators(s.entries)}"
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        numeric = column in ("followers", "er_median", "reach_rate", "audience_quality")
        table.add_column(
            "verdict" if column == "authenticity_verdict" else column,
            justify="right" if numeric or column == "fee_per_post" else "left",
            no_wrap=column == "handle",
        )
    for item in detail.items:
        row = item.as_dict()
        table.add_row(*(fmt(c, row[c]) for c in columns))
    if s.description:
        out.print(s.description, highlight=False)
    out.print(table)
    for item in detail.items:
        if item.warning:
            err.print(f"[yellow]@{item.handle} ({item.platform}):[/] {item.warning}")


@handles_errors
def add(
    shortlist_id: ShortlistId,
    handles: Annotated[list[str], typer.Argument(help="One or more handles ('@' optional).")],
    note: Annotated[
        str | None, typer.Option(help="A note on each (replaces the note of one already there).")
    ] = None,
    platform: Platform = None,
) -> None:
    """Add creators to a shortlist; if one handle is unknown, none is added."""
    from microscout.services.shortlists import add_creators

    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        result = add_creators(
            workspace, warehouse, shortlist_id, handles, note=note, platform=platform
        )
    for ref in result.added:
        out.print(f"added @{ref.handle} ({ref.platform})", highlight=False)
    for ref in result.already:
        what = "note updated" if note is not None else "already on the list"
        out.print(f"@{ref.handle} ({ref.platform}): {what}", highlight=False)


@handles_errors
def note(
    shortlist_id: ShortlistId,
    handle: Handle,
    text: Annotated[str, typer.Argument(help="The note (at most 2000 chars; '' clears it).")],
    platform: Platform = None,
) -> None:
    """Replace the note on one creator of a shortlist."""
    from microscout.services.shortlists import set_note

    with cli_workspace() as workspace, _warehouse_if_present() as warehouse:
        ref = set_note(
            workspace, shortlist_id, handle, text, platform=platform, warehouse=warehouse
        )
    out.print(f"noted @{ref.handle} ({ref.platform})", highlight=False)


@handles_errors
def remove(shortlist_id: ShortlistId, handle: Handle, platform: Platform = None) -> None:
    """Take one creator off a shortlist."""
    from microscout.services.shortlists import remove_creator

    with cli_workspace() as workspace, _warehouse_if_present() as warehouse:
        ref = remove_creator(
            workspace, shortlist_id, handle, platform=platform, warehouse=warehouse
        )
    out.print(f"removed @{ref.handle} ({ref.platform})", highlight=False)


@handles_errors
def edit(
    shortlist_id: ShortlistId,
    name: Annotated[str | None, typer.Option(help="A new unique name.")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
) -> None:
    """Rename a shortlist or replace its description."""
    from microscout.services.shortlists import update_shortlist

    if name is None and description is None:
        raise ParameterError("--name/--description", "give at least one")
    with cli_workspace() as workspace:
        s = update_shortlist(workspace, shortlist_id, name=name, description=description)
    out.print(f"updated shortlist #{s.id} '{s.name}'", highlight=False)


@handles_errors
def delete(shortlist_id: ShortlistId) -> None:
    """Delete a shortlist and every entry on it."""
    from microscout.services.shortlists import delete_shortlist

    with cli_workspace() as workspace:
        gone = delete_shortlist(workspace, shortlist_id)
    out.print(
        f"deleted shortlist #{gone.id} '{gone.name}' and its {_creators(gone.entries)}",
        highlight=False,
    )


@handles_errors
def export(
    shortlist_id: ShortlistId,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the CSV here (default: stdout).")
    ] = None,
) -> None:
    """Export a shortlist as CSV (header row; current figures; notes)."""
    from microscout.services.shortlists import export_csv

    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        text = export_csv(workspace, warehouse, shortlist_id)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ParameterError("--output", f"cannot write {output}: {exc.strerror}") from None
    err.print(f"wrote shortlist #{shortlist_id} to {output}", highlight=False)


shortlist_app.command()(create)
shortlist_app.command("list")(list_)
shortlist_app.command()(show)
shortlist_app.command()(add)
shortlist_app.command()(note)
shortlist_app.command()(remove)
shortlist_app.command()(edit)
shortlist_app.command()(delete)
shortlist_app.command()(export)


@handles_errors
def audit(
    limit: Annotated[int, typer.Option(help="How many of the latest changes.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The workspace's audit log: who changed what, when and from where, newest first."""
    from microscout.services.audit import recent_changes

    with cli_workspace() as workspace:
        changes = recent_changes(workspace, limit)
    if as_json:
        print_json([c.as_dict() for c in changes])
        return
    if not changes:
        out.print("No changes recorded yet.")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("when", "who", "from", "did", "what", "detail"):
        table.add_column(column)
    for c in changes:
        detail = json.dumps(c.detail, ensure_ascii=False, default=str)
        table.add_row(
            fmt("at", c.at), c.actor, c.origin, c.action, f"{c.entity} {c.entity_id}", detail
        )
    out.print(table)


__all__ = ["audit", "shortlist_app"]
