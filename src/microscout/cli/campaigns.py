"""``microscout campaign …``: run a campaign with several creators and measure what it did
(services/campaigns; docs/campaigns.md)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from microscout.cli.common import (
    EXIT_PARTIAL,
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

campaign_app = typer.Typer(
    name="campaign",
    help="Campaigns: creators as partners along a pipeline, tracking links and promo codes, "
    "orders, and a report of what happened against what the plan predicted.",
    no_args_is_help=True,
    add_completion=False,
)

CampaignRef = Annotated[str, typer.Argument(help="The campaign's id or name.")]
HandleArg = Annotated[
    str, typer.Argument(help="The creator's handle ('platform:handle' if on several).")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParameterError(option, f"{value!r} is not a date (YYYY-MM-DD)") from None


@campaign_app.command("create")
@handles_errors
def create(
    name: Annotated[str, typer.Argument(help="A name, unique ignoring case.")],
    budget: Annotated[float, typer.Option(help="Budget, in the campaign's currency.")],
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option(help="Last day (YYYY-MM-DD).")],
    brand: Annotated[str | None, typer.Option(help="The brand it is for.")] = None,
    objective: Annotated[str, typer.Option(help="reach, frequency, engaged or sales.")] = "reach",
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "USD",
    hashtag: Annotated[str | None, typer.Option(help="The campaign's hashtag.")] = None,
    brand_handle: Annotated[
        str | None, typer.Option(help="The brand's handle posts mention.")
    ] = None,
    landing_url: Annotated[str | None, typer.Option(help="Where tracking links lead.")] = None,
    as_json: AsJson = False,
) -> None:
    """Create a campaign; prints its id."""
    from microscout.services.campaigns.manage import create_campaign

    with cli_workspace() as workspace:
        made = create_campaign(
            workspace,
            name,
            budget,
            _day(start, "--start"),
            _day(end, "--end"),
            brand=brand,
            objective=objective,
            currency=currency,
            hashtag=hashtag,
            brand_handle=brand_handle,
            landing_url=landing_url,
        )
    if as_json:
        print_json({"id": made.id, "name": made.name})
        return
    out.print(made.id)
    err.print(f"created campaign {made.id}, '{made.name}'")


@campaign_app.command("list")
@handles_errors
def list_(as_json: AsJson = False) -> None:
    """Every campaign with its dates, budget and creators."""
    from microscout.services.campaigns.manage import list_campaigns

    with cli_workspace() as workspace:
        found = list_campaigns(workspace)
    if as_json:
        print_json([c.as_dict() for c in found])
        return
    if not found:
        out.print("No campaigns yet: `microscout campaign create`.")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("id", "name", "brand", "from", "to", "budget", "creators"):
        table.add_column(column)
    for c in found:
        table.add_row(
            str(c.id), c.name, c.brand or "", str(c.starts_on), str(c.ends_on),
            f"{c.budget:,.0f} {c.currency}", str(c.creators),
        )  # fmt: skip
    out.print(table)


@campaign_app.command("add")
@handles_errors
def add(
    campaign: CampaignRef,
    handles: Annotated[list[str] | None, typer.Argument(help="Creators by handle.")] = None,
    plan: Annotated[
        Path | None, typer.Option("--plan", help="A plan.json from `microscout plan --out`.")
    ] = None,
    shortlist: Annotated[int | None, typer.Option("--shortlist", help="A shortlist's id.")] = None,
) -> None:
    """Add creators from a saved plan (with its predictions), a shortlist, or by handle."""
    from microscout.services.campaigns.manage import add_creators

    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        done = add_creators(
            workspace,
            warehouse,
            campaign,
            plan_file=plan,
            shortlist_id=shortlist,
            handles=handles or (),
        )
    err.print(
        f"added {len(done.added)} creator(s)"
        + (f"; {len(done.already)} already there" if done.already else "")
    )


@campaign_app.command("show")
@handles_errors
def show(campaign: CampaignRef, as_json: AsJson = False) -> None:
    """The campaign and its creators: status, predictions, agreed fee, codes."""
    from microscout.services.campaigns.manage import get_campaign, members

    with cli_workspace() as workspace:
        summary, people = get_campaign(workspace, campaign), members(workspace, campaign)
    if as_json:
        print_json({"campaign": summary.as_dict(), "creators": [m.as_dict() for m in people]})
        return
    out.print(
        f"[bold]{summary.name}[/] ({summary.id}) {summary.starts_on} to {summary.ends_on}, "
        f"budget {summary.budget:,.0f} {summary.currency}"
    )
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in (
        "handle",
        "status",
        "from",
        "predicted reach",
        "predicted fee",
        "agreed fee",
        "promo code",
    ):
        table.add_column(column)
    for m in people:
        table.add_row(
            f"@{m.handle}", m.status.replace("_", " "), m.source, fmt("reach", m.predicted_reach),
            fmt("fee", m.predicted_fee), fmt("fee", m.agreed_fee), m.promo_code,
        )  # fmt: skip
    out.print(table)


@campaign_app.command("status")
@handles_errors
def status(
    campaign: CampaignRef,
    handle: HandleArg,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="shortlisted, contacted, negotiating, agreed, content_live, paid or declined.",
        ),
    ],
    note: Annotated[str, typer.Option(help="Why, for the history.")] = "",
) -> None:
    """Move a creator along the pipeline (every move is kept with its note)."""
    from microscout.services.campaigns.manage import move

    with cli_workspace() as workspace:
        moved = move(workspace, campaign, handle, new_status, note)
    err.print(f"@{moved.handle} is now {moved.status.replace('_', ' ')}")


@campaign_app.command("agree")
@handles_errors
def agree_(
    campaign: CampaignRef,
    handle: HandleArg,
    fee: Annotated[float, typer.Option(help="The agreed fee, in the campaign's currency.")],
    posts: Annotated[int | None, typer.Option(help="The agreed number of posts.")] = None,
    deliverables: Annotated[str, typer.Option(help="What will be made, in words.")] = "",
    due: Annotated[str | None, typer.Option(help="When it is due (YYYY-MM-DD).")] = None,
    usage_rights: Annotated[
        str, typer.Option(help="What the brand may do with it (default: 30 days of reposting).")
    ] = "",
    disclosure: Annotated[
        str, typer.Option(help="How it is disclosed (default: the platform's required label).")
    ] = "",
    note: Annotated[str, typer.Option(help="Anything else worth keeping.")] = "",
) -> None:
    """Record what was agreed with a creator (fee, posts, deliverables, due date, usage
    rights, disclosure); they move to 'agreed'."""
    from microscout.services.campaigns.manage import Terms, agree

    terms = Terms(
        deliverables=deliverables,
        due_on=_day(due, "--due") if due else None,
        usage_rights=usage_rights,
        disclosure=disclosure,
    )
    with cli_workspace() as workspace:
        done = agree(workspace, campaign, handle, fee, posts, note, terms)
    err.print(
        f"@{done.handle}: agreed at {done.agreed_fee:,.2f}; now {done.status.replace('_', ' ')}"
    )


@campaign_app.command("agreements")
@handles_errors
def agreements_(campaign: CampaignRef, as_json: AsJson = False) -> None:
    """Export what was agreed with each creator (CSV on standard output, or JSON)."""
    from microscout.services.campaigns.manage import agreements, agreements_csv

    with cli_workspace() as workspace:
        if as_json:
            print_json(agreements(workspace, campaign))
            return
        sys.stdout.write(agreements_csv(workspace, campaign))


@campaign_app.command("history")
@handles_errors
def history_(campaign: CampaignRef, handle: HandleArg, as_json: AsJson = False) -> None:
    """A creator's moves along the pipeline, oldest first."""
    from microscout.services.campaigns.manage import history

    with cli_workspace() as workspace:
        moves = history(workspace, campaign, handle)
    if as_json:
        print_json(moves)
        return
    for m in moves:
        out.print(f"{m['at'][:16]}  {m['from'] or '—'} → {m['to']}  {m['note']}")


@campaign_app.command("brief")
@handles_errors
def brief(
    campaign: CampaignRef,
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Set the brief from a TOML or JSON file.")
    ] = None,
    as_markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the brief as Markdown to send.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Set or show the campaign's creative-freedom brief, with what its check finds."""
    from microscout.services.campaigns.briefs import read_brief_file, set_brief, view_brief

    with cli_workspace() as workspace:
        if from_file is not None:
            shown = set_brief(workspace, campaign, read_brief_file(from_file))
        else:
            shown = view_brief(workspace, campaign)
    if as_json:
        print_json(shown.as_dict())
        return
    if as_markdown:
        out.print(shown.markdown, markup=False, highlight=False)
    if shown.check.free:
        err.print("brief check: it leaves the creative to the creator")
    for concern in shown.check.concerns:
        err.print(f"brief check ({concern.field}): {concern.message}", highlight=False)


@campaign_app.command("outreach")
@handles_errors
def outreach(
    campaign: CampaignRef,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the .eml files and CSV.")],
    sender: Annotated[str, typer.Option(help="Your name, as the messages are signed.")],
    send: Annotated[
        bool, typer.Option(help="Also send them through the configured SMTP server.")
    ] = False,
) -> None:
    """Write a personal first message per creator (.eml files, mail-merge CSV with mailto:
    links); with --send, send them by SMTP and mark those creators contacted."""
    from microscout.services.campaigns.outreach import write_outreach

    settings = load_settings()
    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        done = write_outreach(workspace, warehouse, settings, campaign, out_dir, sender, send=send)
    err.print(
        f"{done.drafts} draft(s) in {done.folder} ({done.without_address} without a public "
        f"address)" + (f"; {done.sent} sent" if send else "")
    )


@campaign_app.command("links")
@handles_errors
def links(
    campaign: CampaignRef,
    base_url: Annotated[
        str | None, typer.Option(help="Where the app is reached (default: serve_host:serve_port).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Each creator's short link (counted by the app), where it leads and promo code."""
    from microscout.services.campaigns.tracking import tracking

    settings = load_settings()
    base = base_url or f"http://{settings.serve_host}:{settings.serve_port}"
    with cli_workspace() as workspace:
        found = tracking(workspace, campaign, base)
    if as_json:
        print_json([t.as_dict() for t in found])
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("handle", "short link", "leads to", "promo code"):
        table.add_column(column, overflow="fold")
    for t in found:
        table.add_row(f"@{t.handle}", t.short_link, t.target or "(no landing URL)", t.promo_code)
    out.print(table)


@campaign_app.command("codes")
@handles_errors
def codes(
    campaign: CampaignRef,
    percent: Annotated[float, typer.Option(help="Percent off each code gives.")] = 15.0,
) -> None:
    """Create each creator's promo code in the configured shop (Shopify); with no shop
    configured, nothing is sent and the codes are listed to create by hand."""
    from microscout.services.campaigns.shop import create_shop_codes
    from microscout.services.campaigns.tracking import tracking

    settings = load_settings()
    with cli_workspace() as workspace:
        made = create_shop_codes(workspace, settings, campaign, percent)
        listed = tracking(workspace, campaign, "")
    if made is None:
        err.print("no shop configured (shopify_shop_url): nothing sent; create these by hand:")
        for t in listed:
            out.print(f"{t.promo_code}\t@{t.handle}\t{percent:g}% off")
        return
    for result in made:
        line = f"{result.code}: {result.outcome}"
        err.print(line + (f" ({result.message})" if result.message else ""), highlight=False)
    if any(r.outcome == "refused" for r in made):
        raise typer.Exit(EXIT_PARTIAL)


def _imported(summary: str, rejected: int) -> None:
    """An import's summary; exit 3 when rows were kept aside (``rejected_rows``)."""
    err.print(f"{summary}, {rejected} rejected")
    if rejected:
        raise typer.Exit(EXIT_PARTIAL)


@campaign_app.command("import-orders")
@handles_errors
def import_orders_(
    campaign: CampaignRef,
    path: Annotated[Path, typer.Argument(help="A Shopify orders export (CSV).")],
) -> None:
    """Import the campaign's orders (by promo code or UTM link); bad rows are kept aside."""
    from microscout.services.campaigns.orders import import_orders

    with cli_workspace() as workspace:
        done = import_orders(workspace, campaign, path)
    _imported(
        f"{done.imported} order(s) imported, {done.already} already there, "
        f"{done.not_this_campaign} not this campaign's",
        done.rejected,
    )


@campaign_app.command("import-sessions")
@handles_errors
def import_sessions_(
    campaign: CampaignRef,
    path: Annotated[Path, typer.Argument(help="A GA4 traffic acquisition export (CSV).")],
) -> None:
    """Import the sessions each creator's UTM link brought; bad rows are kept aside."""
    from microscout.services.campaigns.sessions import import_sessions

    with cli_workspace() as workspace:
        done = import_sessions(workspace, campaign, path)
    _imported(
        f"{done.sessions:,} session(s) in {done.rows} row(s) imported, "
        f"{done.not_this_campaign} row(s) not this campaign's",
        done.rejected,
    )


@campaign_app.command("report")
@handles_errors
def report(campaign: CampaignRef, as_json: AsJson = False) -> None:
    """What each creator and the campaign did, cost and returned, against the plan."""
    from microscout.services.campaigns.report import campaign_report

    settings = load_settings()
    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        done = campaign_report(workspace, warehouse, campaign, settings.campaign_emv_values)
    if as_json:
        print_json(done.as_dict())
        return
    t = done.totals
    out.print(f"[bold]{done.campaign.name}[/]: spend {t.spend:,.2f} {done.campaign.currency}")
    _print_totals(done.totals.as_dict())
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in (
        "handle",
        "status",
        "posts",
        "reach",
        "predicted",
        "error",
        "clicks",
        "orders",
        "revenue",
    ):
        table.add_column(column)
    for c in done.creators:
        table.add_row(
            f"@{c.handle}", c.status.replace("_", " "), str(c.posts), fmt("reach", c.reach),
            fmt("reach", c.predicted_reach),
            "—" if c.reach_error is None else f"{c.reach_error:+.0%}",
            str(c.clicks), str(c.orders), f"{c.revenue:,.2f}",
        )  # fmt: skip
    out.print(table)
    for note in done.notes:
        err.print(f"note: {note}")


@campaign_app.command("calibration")
@handles_errors
def calibration_(as_json: AsJson = False) -> None:
    """How far the plan's reach predictions were from what happened, over every campaign:
    the spread of errors and a factor per platform and tier."""
    from microscout.core.campaigns.calibration import MIN_OBSERVATIONS
    from microscout.services.campaigns.calibration import calibration

    with cli_workspace() as workspace, warehouse_from_settings(read_only=True) as warehouse:
        found = calibration(workspace, warehouse)
    if as_json:
        print_json(found.as_dict())
        return
    if not found.observations:
        out.print("No creator has posted with a prediction to compare yet.")
        return
    e = found.errors
    out.print(
        f"{e.n} creators: reach error median {e.median:+.0%} (quartiles {e.q1:+.0%} to {e.q3:+.0%})"
    )
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("platform", "tier", "creators", "actual / predicted", "quartiles", "usable"):
        table.add_column(column)
    for f in found.factors:
        r = f.ratio
        table.add_row(
            f.platform, f.tier, str(r.n), f"{r.median:.2f}", f"{r.q1:.2f}–{r.q3:.2f}",
            "yes" if f.usable else f"no (under {MIN_OBSERVATIONS})",
        )  # fmt: skip
    out.print(table)


def _print_totals(totals: dict[str, Any]) -> None:
    shown = (
        "reach",
        "engagements",
        "clicks",
        "orders",
        "revenue",
        "cpm",
        "cpe",
        "cpc",
        "cpa",
        "roas",
    )
    out.print("  ".join(f"{k} {fmt(k, totals[k])}" for k in shown))


__all__ = ["campaign_app"]
