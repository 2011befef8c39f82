"""`microscout serve`: the web app and REST API on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from microscout.cli.common import err, handles_errors
from microscout.config import Settings, load_settings
from microscout.errors import ParameterError


def run_server(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted; binds the settings' address (127.0.0.1) unless told otherwise."""
    import uvicorn

    from microscout.web import create_app

    bind = host or settings.serve_host
    listen = port if port is not None else settings.serve_port
    if not 1 <= listen <= 65535:
        raise ParameterError("--port", f"{listen} is not a port number (1-65535)")
    app = create_app(settings)
    err.print(f"microscout is serving on http://{bind}:{listen}/ (Ctrl+C stops it)")
    uvicorn.run(app, host=bind, port=listen, log_level="warning", access_log=False)


@handles_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default: serve_host, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: serve_port, 8000).")] = None,
) -> None:
    """Serve the web app and the REST API (/api/v1, docs at /api/v1/docs)."""
    run_server(load_settings(), host, port)
