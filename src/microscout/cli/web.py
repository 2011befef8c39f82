"""`microscout serve`: the web app and REST API on this machine."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from microscout.cli.common import err, handles_errors
from microscout.config import Settings, load_settings
from microscout.errors import ParameterError

MAX_DEFAULT_WORKERS = 4


def run_server(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted; binds the settings' address (127.0.0.1) unless told otherwise."""
    from microscout.web import create_app
    from microscout.web.serving import listening_socket, serve_app, serve_processes

    bind = host or settings.serve_host
    has_users = workspace_has_users(settings)
    if not is_loopback(bind):
        refuse_open_serving(settings, bind, has_users=has_users)
    listen = port if port is not None else settings.serve_port
    if not 1 <= listen <= 65535:
        raise ParameterError("--port", f"{listen} is not a port number (1-65535)")
    workers = worker_count(settings)
    try:
        sockets = [listening_socket(bind, listen) for _ in range(workers)]
    except OSError as exc:
        raise ParameterError(
            "--port", f"cannot listen on {bind}:{listen}: {exc.strerror}"
        ) from None
    plural = "es" if workers > 1 else ""
    err.print(
        f"microscout is serving on http://{bind}:{listen}/ with {workers} process{plural} "
        "(Ctrl+C stops it)"
    )
    err.print(sign_in_hint(has_users))
    if workers == 1:
        serve_app(create_app(settings), sockets[0])
        return
    # One process per core, each building the app from the same settings (environment and
    # settings file) these came from (web/serving.py says why each has its own socket).
    code = serve_processes(sockets)
    if code:
        raise typer.Exit(code)


def workspace_has_users(settings: Settings) -> bool:
    from microscout.bootstrap import open_workspace
    from microscout.services.accounts import users_exist

    with open_workspace(settings) as workspace:
        return users_exist(workspace)


def sign_in_hint(has_users: bool) -> str:
    """How to get in: the sign-in page when the workspace has users, else local mode."""
    if has_users:
        return (
            "sign in with one of this workspace's users (`microscout user list` names them; "
            "`microscout user passwd NAME` sets a new password)"
        )
    return (
        "local mode: no sign-in while the workspace has no users (`microscout user add NAME "
        "--role owner` turns sign-in on)"
    )


def refuse_open_serving(settings: Settings, bind: str, *, has_users: bool) -> None:
    """ParameterError unless serving beyond this machine is safe: someone must have to sign
    in (a user exists) and the CSRF key must be one the operator set, not a file in the home."""
    missing = []
    if not has_users:
        missing.append("a user (`microscout user add NAME --role owner`)")
    if settings.secret_key is None:
        missing.append("a secret key (the MICROSCOUT_SECRET_KEY environment variable)")
    if missing:
        raise ParameterError(
            "--host",
            f"refusing to serve on {bind}, beyond this machine, without "
            + " and ".join(missing)
            + "; serve on 127.0.0.1 until then, and put a TLS reverse proxy in front "
            "(docs/security.md)",
        )


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[] ")).is_loopback
    except ValueError:
        return False  # a name other than localhost: it may resolve anywhere


def worker_count(settings: Settings) -> int:
    """The processes to serve with: ``serve_workers``, or one per core up to 4."""
    return settings.serve_workers or min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)


@handles_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default: serve_host, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: serve_port, 8000).")] = None,
) -> None:
    """Serve the web app and the REST API (/api/v1, docs at /api/v1/docs)."""
    run_server(load_settings(), host, port)
