"""`microscout doctor`: check settings, stores and library versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from microscout.cli.common import handles_errors, out
from microscout.config import Settings, load_settings
from microscout.errors import MicroscoutError

if TYPE_CHECKING:
    from microscout.services.doctor import Check


@handles_errors
def doctor() -> None:
    """Check settings, stores and library versions."""
    from microscout.adapters.workspace import probe_workspace
    from microscout.bootstrap import open_warehouse
    from microscout.services.doctor import (
        FAIL,
        Check,
        library_checks,
        store_checks,
        workspace_check,
    )

    checks: list[Check] = []
    try:
        settings: Settings | None = load_settings()
        checks.append(Check("settings", "ok", "valid"))
    except MicroscoutError as exc:
        settings = None
        checks.append(Check("settings", FAIL, exc.message))
    checks += library_checks()
    if settings is not None:
        ready = settings
        checks += store_checks(settings, lambda: open_warehouse(ready, read_only=True))
        checks.append(workspace_check(settings, probe_workspace))
        if checks[-1].status == "ok":
            checks += _connectors(settings)
    _print(checks)


def _connectors(settings: Settings) -> list[Check]:
    from microscout.bootstrap import open_workspace
    from microscout.services.doctor import FAIL, Check, connector_checks
    from microscout.services.sync.credentials import connected_creators, connections
    from microscout.services.sync.quota import quota_state

    try:
        with open_workspace(settings) as workspace:
            shown = connections(workspace, settings)
            quota = quota_state(workspace, settings.youtube_daily_quota)
            connected = {p: len(connected_creators(workspace, p)) for p in ("instagram", "tiktok")}
    except MicroscoutError as exc:
        return [Check("connectors", FAIL, exc.message)]
    return connector_checks(shown, quota, connected)


def _print(checks: list[Check]) -> None:
    table = Table(title="microscout doctor", header_style="bold")
    for column in ("check", "status", "detail"):
        table.add_column(column)
    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    for check in checks:
        table.add_row(check.name, f"[{colours[check.status]}]{check.status}[/]", check.detail)
    out.print(table)
    if any(check.status == "fail" for check in checks):
        raise typer.Exit(1)
