"""``microscout connect …`` and ``microscout sync …``: platform credentials, and bringing creators
and posts in from the platforms' official APIs (services/sync, docs/connectors.md)."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from microscout.cli.common import (
    cli_workspace,
    err,
    fmt,
    handles_errors,
    out,
    print_json,
    progress_bar,
)
from microscout.config import load_settings
from microscout.errors import ParameterError

if TYPE_CHECKING:
    from microscout.services.sync.jobs import JobView
    from microscout.services.sync.sources import SyncContext

# The sync stopped before the end (quota, rate limit, refused credential, unreachable): what it
# fetched is kept, and the same command resumes it.
EXIT_STOPPED = 9

sync_app = typer.Typer(
    name="sync",
    help=(
        "Bring creators and posts in from the platforms' APIs. A stopped sync resumes when the "
        "same command runs again. Exit codes: 0 done, 2 bad input, 9 stopped (resumable)."
    ),
    no_args_is_help=False,
    add_completion=False,
    invoke_without_command=True,
)

Posts = Annotated[int, typer.Option(help="Newest posts to fetch per account (1-500).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
FromFile = Annotated[
    Path | None, typer.Option("--file", help="A file of accounts, one per line ('#' comments).")
]


def _secret(from_stdin: bool, what: str) -> str:
    """The secret: the first line of stdin, or typed at a hidden prompt — never an argument,
    which other users could read in the process list and which stays in shell history."""
    if from_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise ParameterError("--stdin", f"no terminal to ask for the {what}: pass --stdin")
    return str(typer.prompt(what, hide_input=True))


@contextlib.contextmanager
def _context(as_json: bool = False) -> Iterator[SyncContext]:
    from microscout.adapters.secrets import CredentialBox
    from microscout.bootstrap import signing_key, writing_warehouse
    from microscout.services.sync.sources import SyncContext

    settings = load_settings()
    with cli_workspace() as workspace, progress_bar() as progress:
        yield SyncContext(
            workspace,
            settings,
            CredentialBox(signing_key(settings)),
            lambda: writing_warehouse(settings),
            progress=None if as_json else progress,
        )


@handles_errors
def connect(
    platform: Annotated[str, typer.Argument(help="youtube, instagram or tiktok.")],
    creator: Annotated[
        str | None,
        typer.Option(help="The creator whose own account this token is (connected creators)."),
    ] = None,
    account_id: Annotated[
        str | None, typer.Option(help="Instagram: the business or creator account id.")
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the key or token from standard input.")
    ] = False,
    check: Annotated[bool, typer.Option(help="Try it with one cheap call first.")] = True,
) -> None:
    """Store a platform credential, sealed with the server's key: a YouTube API key, the
    brand's Instagram business token (--account-id), or a creator's own TikTok or Instagram
    token (--creator). Settings in the environment win over stored ones."""
    from microscout.adapters.platforms.http import CredentialRefusedError, PlatformError
    from microscout.services.sync.credentials import candidate, platform_name, record_state
    from microscout.services.sync.credentials import connect as store
    from microscout.services.sync.sources import check_credential

    name = platform_name(platform)  # before asking for a secret for a platform that is not
    typed = candidate(
        name, _secret(stdin, f"{name} key or token"), account_id=account_id, creator=creator
    )
    with _context() as ctx:
        state = "stored, not checked"
        if check:  # before storing: a refused key must not replace a working one
            try:
                check_credential(ctx, typed)
                state = "checked: it works"
            except CredentialRefusedError as exc:
                raise ParameterError("secret", f"{exc}; nothing was stored") from None
            except PlatformError as exc:
                state = f"stored; could not check it now ({exc})"
        shown = store(ctx.workspace, ctx.box, typed)
        if state.startswith("checked"):
            record_state(ctx.workspace, dataclasses.replace(typed, origin="workspace"), "valid")
    who = f" for @{shown.creator}" if shown.creator else ""
    out.print(f"{shown.platform}{who}: {shown.masked} {state}", highlight=False)


@handles_errors
def disconnect_(
    platform: Annotated[str, typer.Argument(help="youtube, instagram or tiktok.")],
    creator: Annotated[str | None, typer.Option(help="The creator's connected account.")] = None,
) -> None:
    """Forget a stored credential."""
    from microscout.services.sync.credentials import disconnect

    with cli_workspace() as workspace:
        if not disconnect(workspace, platform, creator):
            raise ParameterError("PLATFORM", f"no stored {platform} credential to forget")
    out.print(f"forgot the {platform} credential")


@handles_errors
def connections(as_json: AsJson = False) -> None:
    """The credentials in effect, masked, with their state (valid, expired, unchecked)."""
    from microscout.services.sync.credentials import connections as listed

    settings = load_settings()
    with cli_workspace() as workspace:
        shown = listed(workspace, settings)
    if as_json:
        print_json([c.__dict__ for c in shown])
        return
    table = Table(title="Platform credentials", box=box.SIMPLE_HEAD)
    for column in ("platform", "creator", "account", "key", "from", "state", "checked"):
        table.add_column(column)
    for c in shown:
        state = f"{c.state}: {c.state_message}" if c.state_message else c.state
        checked = c.checked_at.strftime("%Y-%m-%d %H:%M") if c.checked_at else "—"
        table.add_row(
            c.platform,
            c.creator or "(brand)",
            c.account_id or "—",
            c.masked,
            c.origin,
            state,
            checked,
        )
    out.print(table if shown else "no credentials: see `microscout connect --help`")


def _accounts(names: list[str] | None, file: Path | None) -> list[str]:
    found = list(names or [])
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParameterError("--file", f"cannot read {file}: {exc}") from None
        for line in text.splitlines():
            value = line.split("#", 1)[0].strip().strip(",")
            if value:
                found.append(value)
    return found


def _finish(view: JobView, as_json: bool) -> None:
    if as_json:
        print_json(_job_json(view))
    else:
        _print_job(view)
    if view.status != "done":
        raise typer.Exit(EXIT_STOPPED)


@sync_app.callback()
@handles_errors
def sync(
    ctx: typer.Context,
    status: Annotated[bool, typer.Option("--status", help="List the sync jobs.")] = False,
    as_json: AsJson = False,
) -> None:
    """Bring creators and posts in from the platforms' official APIs."""
    if ctx.invoked_subcommand is not None:
        return
    if not status:
        out.print(ctx.get_help())
        return
    _status(as_json)


@sync_app.command("status")
@handles_errors
def status_(as_json: AsJson = False) -> None:
    """List the sync jobs, newest first, with how far each got."""
    _status(as_json)


def _status(as_json: bool) -> None:
    from microscout.services.sync.jobs import job_views
    from microscout.services.sync.quota import quota_state

    settings = load_settings()
    with cli_workspace() as workspace:
        views = job_views(workspace, settings.home)
        quota = quota_state(workspace, settings.youtube_daily_quota)
    if as_json:
        print_json({"jobs": [_job_json(v) for v in views], "youtube_quota": quota.__dict__})
        return
    table = Table(title="Sync jobs", box=box.SIMPLE_HEAD)
    for column in ("job", "platform", "kind", "status", "landed", "skipped", "updated", "note"):
        table.add_column(column)
    for v in views:
        table.add_row(
            str(v.id),
            v.platform,
            v.kind,
            v.status,
            f"{v.landed:,}/{v.total:,}",
            str(len(v.skipped)),
            fmt("updated_at", v.updated_at),
            v.message,
        )
    out.print(table if views else "no sync jobs yet")
    out.print(f"YouTube quota: {quota.describe()}", highlight=False)


def _job_json(view: JobView) -> dict[str, object]:
    return {
        "job": view.id,
        "platform": view.platform,
        "kind": view.kind,
        "status": view.status,
        "message": view.message,
        "total": view.total,
        "landed": view.landed,
        "pending": view.pending,
        "skipped": view.skipped,
        "counts": view.counts,
        "campaign_id": view.campaign_id,
        "created_at": view.created_at.isoformat(),
        "updated_at": view.updated_at.isoformat(),
    }


def _print_job(view: JobView) -> None:
    counts = ", ".join(f"{n:,} {name}" for name, n in view.counts.items()) or "nothing new"
    line = (
        f"sync job {view.id} ({view.platform} {view.kind}): {view.status}, "
        f"{view.landed:,} of {view.total:,} accounts landed; {counts}"
    )
    out.print(line, highlight=False)
    for target, reason in list(view.skipped.items())[:20]:
        err.print(f"skipped {target}: {reason}", highlight=False, soft_wrap=True)
    if view.status != "done":
        err.print(f"[bold yellow]stopped:[/] {view.message}", highlight=False, soft_wrap=True)


@sync_app.command("youtube")
@handles_errors
def youtube(
    channel: Annotated[
        list[str] | None, typer.Option(help="A channel id (UC…) or @handle; repeat for more.")
    ] = None,
    file: FromFile = None,
    search: Annotated[
        str | None, typer.Option(help="Find channels by keywords (100 quota units a page).")
    ] = None,
    most: Annotated[int, typer.Option("--max", help="Channels a search brings, at most.")] = 50,
    posts: Posts = 50,
    comments: Annotated[
        int,
        typer.Option(
            help="Read up to 100 newest comments of this many newest videos (1 unit each), "
            "for vetting's comment signals; 0: none."
        ),
    ] = 5,
    as_json: AsJson = False,
) -> None:
    """Channels, their newest videos and a comment sample from the YouTube Data API (3 units
    a channel of up to 50 videos, plus 1 per video whose comments are read)."""
    from microscout.services.sync.run import sync_youtube

    with _context(as_json) as ctx:
        view = sync_youtube(
            ctx,
            _accounts(channel, file) or None,
            search=search,
            most=most,
            posts=posts,
            comments=comments,
        )
    _finish(view, as_json)


@sync_app.command("instagram")
@handles_errors
def instagram(
    username: Annotated[
        list[str] | None, typer.Option(help="A business or creator username; repeat for more.")
    ] = None,
    file: FromFile = None,
    connected: Annotated[
        bool, typer.Option(help="Creators' own connected accounts, with insights (reach).")
    ] = False,
    creator: Annotated[
        list[str] | None, typer.Option(help="With --connected: only these creators.")
    ] = None,
    posts: Posts = 50,
    as_json: AsJson = False,
) -> None:
    """Business and creator accounts by username (Business Discovery), or connected
    creators' own accounts with their insights."""
    from microscout.services.sync.run import sync_connected, sync_instagram

    with _context(as_json) as ctx:
        if connected:
            view = sync_connected(ctx, "instagram", creator, posts=posts)
        else:
            view = sync_instagram(ctx, _accounts(username, file), posts=posts)
    _finish(view, as_json)


@sync_app.command("tiktok")
@handles_errors
def tiktok(
    creator: Annotated[
        list[str] | None, typer.Option(help="Only these connected creators (default: all).")
    ] = None,
    posts: Posts = 50,
    as_json: AsJson = False,
) -> None:
    """Connected creators' own TikTok accounts (the Display API)."""
    from microscout.services.sync.run import sync_connected

    with _context(as_json) as ctx:
        view = sync_connected(ctx, "tiktok", creator, posts=posts)
    _finish(view, as_json)


@sync_app.command("campaign")
@handles_errors
def campaign(
    ref: Annotated[str, typer.Argument(help="Campaign id or name.")],
    posts: Posts = 50,
    as_json: AsJson = False,
) -> None:
    """The posts of a campaign's agreed, live and paid creators since it started, for its
    report (connected creators' with their true reach)."""
    from microscout.services.sync.run import sync_campaign

    with _context(as_json) as ctx:
        view = sync_campaign(ctx, int(ref) if ref.isdigit() else ref, posts=posts)
    _finish(view, as_json)
    if not as_json:
        out.print(f"see the results: `microscout campaign report {ref}`", highlight=False)


@sync_app.command("resume")
@handles_errors
def resume_(
    job: Annotated[int, typer.Argument(help="The job's number (see `sync --status`).")],
    as_json: AsJson = False,
) -> None:
    """Resume a stopped sync job."""
    from microscout.services.sync.run import resume

    with _context(as_json) as ctx:
        view = resume(ctx, job)
    _finish(view, as_json)
