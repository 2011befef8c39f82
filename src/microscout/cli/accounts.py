"""``microscout user …`` and ``microscout token …``: who may sign in to the web app, with which
role, and the API tokens that stand for them (services/accounts.py)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from microscout.cli.common import cli_workspace, err, fmt, handles_errors, out, print_json
from microscout.errors import ParameterError

user_app = typer.Typer(
    name="user",
    help="People who sign in to the web app: add, list, change role or password, remove.",
    no_args_is_help=True,
    add_completion=False,
)
token_app = typer.Typer(
    name="token",
    help="API tokens (Authorization: Bearer ...): create (shown once), list, revoke.",
    no_args_is_help=True,
    add_completion=False,
)

UserName = Annotated[str, typer.Argument(help="The user's name (letters, digits, . _ @ -).")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts) instead "
        "of asking for it.",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a prompt (never an
    argument, which other users of the machine could read in the process list)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ParameterError(
            "--password-stdin", "no terminal to ask for a password: pass --password-stdin"
        )
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
@handles_errors
def add(
    name: UserName,
    role: Annotated[str, typer.Option(help="owner, editor or viewer.")] = "editor",
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user. The first must be an owner: once a user exists, the web app asks everyone
    to sign in."""
    from microscout.adapters.secrets import Passwords
    from microscout.services import accounts

    password = _password(password_stdin)
    with cli_workspace() as workspace:
        first = not accounts.users_exist(workspace)
        user = accounts.add_user(workspace, Passwords(), name, role, password)
    err.print(f"added {user.name} ({user.role})")
    if first:
        err.print("sign-in is now on: the web app asks everyone for a user name and password")


@user_app.command("list")
@handles_errors
def list_(as_json: AsJson = False) -> None:
    """Every user, with their role and how many API tokens they hold."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        users = accounts.list_users(workspace)
    if as_json:
        print_json([u.as_dict() for u in users])
        return
    if not users:
        out.print("No users: the web app runs in local mode (no sign-in, loopback only).")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("name", "role", "tokens", "added"):
        table.add_column(column)
    for u in users:
        table.add_row(u.name, u.role, str(u.active_tokens), fmt("created_at", u.created_at))
    out.print(table)


@user_app.command("remove")
@handles_errors
def remove(name: UserName) -> None:
    """Remove a user with their sessions and tokens."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        user = accounts.remove_user(workspace, name)
        left = accounts.users_exist(workspace)
    err.print(f"removed {user.name}")
    if not left:
        err.print("no users remain: the web app is back in local mode (no sign-in)")


@user_app.command("passwd")
@handles_errors
def passwd(name: UserName, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password; their browser sessions end."""
    from microscout.adapters.secrets import Passwords
    from microscout.services import accounts

    password = _password(password_stdin)
    with cli_workspace() as workspace:
        accounts.set_password(workspace, Passwords(), name, password)
    err.print(f"password changed for {name}; their sessions have ended")


@user_app.command("role")
@handles_errors
def role(
    name: UserName,
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="owner, editor or viewer.")],
) -> None:
    """Change a user's role."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        user = accounts.set_role(workspace, name, new_role)
    err.print(f"{user.name} is now {user.role}")


@token_app.command("create")
@handles_errors
def create(
    user: Annotated[str, typer.Option("--user", help="Whose token it is.")],
    scope: Annotated[str, typer.Option(help="read, or write (if the user's role may).")] = "read",
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Make an API token. It is printed once, on standard output: only its hash is kept."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        made = accounts.create_token(workspace, user, scope, label)
    err.print(
        f"token {made.info.id} for {made.info.user} ({made.info.scope}); copy it now, it is "
        "not shown again. Send it as: Authorization: Bearer <token>"
    )
    sys.stdout.write(made.token + "\n")


@token_app.command("list")
@handles_errors
def tokens(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's.")] = None,
    revoked: Annotated[bool, typer.Option(help="Include revoked tokens.")] = False,
    as_json: AsJson = False,
) -> None:
    """API tokens, newest first: their first characters, never the tokens."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        found = accounts.list_tokens(workspace, user, revoked=revoked)
    if as_json:
        print_json([t.as_dict() for t in found])
        return
    if not found:
        out.print("No API tokens.")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("id", "user", "scope", "starts with", "label", "made", "last used", "revoked"):
        table.add_column(column)
    for t in found:
        table.add_row(
            str(t.id),
            t.user,
            t.scope,
            t.hint + "…",
            t.label,
            fmt("created_at", t.created_at),
            fmt("last_used_at", t.last_used_at),
            fmt("revoked_at", t.revoked_at),
        )
    out.print(table)


@token_app.command("revoke")
@handles_errors
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
) -> None:
    """Revoke an API token: requests with it get 401 from then on."""
    from microscout.services import accounts

    with cli_workspace() as workspace:
        info = accounts.revoke_token(workspace, token_id)
    err.print(f"revoked token {info.id} ({info.hint}…) of {info.user}")


__all__ = ["token_app", "user_app"]
