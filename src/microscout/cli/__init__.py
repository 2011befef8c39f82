"""The `microscout` command line: parse, call one service, render. No formulas or queries here.

Each module of this package holds the commands of one area; they are registered here.
"""

from __future__ import annotations

import typer

from microscout.cli import (
    accounts,
    browse,
    campaigns,
    data,
    discover,
    doctor,
    shortlists,
    sync,
    vet,
    web,
)
from microscout.cli import plan as plan_cli

app = typer.Typer(
    name="microscout",
    help="Find, vet and plan portfolios of micro-influencers, with every number explained.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(data.demo)
app.command("import")(data.import_)
app.command()(data.export)
app.command()(data.quarantine)
app.command()(sync.connect)
app.command("disconnect")(sync.disconnect_)
app.command()(sync.connections)
app.add_typer(sync.sync_app, name="sync")
app.command("score")(data.score_)
app.command("load-scores")(data.load_scores)
app.command("creators")(browse.creators_)
app.command()(browse.show)
app.command()(discover.search)
app.command()(discover.similar)
app.add_typer(discover.niche_app, name="niche")
app.command()(vet.vet)
app.add_typer(vet.authenticity, name="authenticity")
app.command()(plan_cli.plan)
app.add_typer(shortlists.shortlist_app, name="shortlist")
app.add_typer(campaigns.campaign_app, name="campaign")
app.command()(shortlists.audit)
app.add_typer(accounts.user_app, name="user")
app.add_typer(accounts.token_app, name="token")
app.command()(doctor.doctor)
app.command()(web.serve)


def main() -> None:
    app()


__all__ = ["app", "main"]
