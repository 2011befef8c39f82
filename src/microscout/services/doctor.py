"""Health checks for `microscout doctor`: settings, stores, library versions."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.migrations import LATEST_VERSION
from microscout.config import Settings
from microscout.errors import MicroscoutError
from microscout.services.browse.creators import scores_status
from microscout.services.sync.credentials import PLATFORMS, Connection
from microscout.services.sync.quota import QuotaState

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _numeric(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())


def library_checks() -> list[Check]:
    checks = [Check("python", OK if sys.version_info >= (3, 11) else FAIL, sys.version.split()[0])]
    for package in ("ibis-framework", "duckdb", "pyarrow", "numpy", "typer", "pydantic-settings"):
        found = _version(package)
        checks.append(Check(package, OK if found else FAIL, found or "not installed"))
    sqlglot = _version("sqlglot")
    # ibis 12.0 with sqlglot >= 30.18 drops tables with a nameless DROP TABLE (ibis #12101).
    bad = sqlglot is None or _numeric(sqlglot) >= (30, 18)
    checks.append(Check("sqlglot", FAIL if bad else OK, f"{sqlglot} (needs < 30.18)"))
    spark = _version("pyspark")
    java = shutil.which("java")
    detail = f"pyspark {spark}, java {'found' if java else 'missing'}" if spark else "not installed"
    checks.append(Check("spark backend", OK if spark and java else WARN, detail + " (optional)"))
    return checks


def workspace_check(settings: Settings, probe: Callable[[str], str | None]) -> Check:
    """Whether the workspace store answers; ``probe`` reads its revision without changing it
    (``adapters.workspace.probe_workspace``). A SQLite file not made yet is only a warning."""
    local = settings.workspace_file
    if local is not None and not local.exists():
        return Check("workspace", WARN, "no workspace yet (the first shortlist creates it)")
    try:
        revision = probe(settings.workspace_database_url)
    except MicroscoutError as exc:
        return Check("workspace", FAIL, exc.message)
    return Check("workspace", OK, f"reachable, revision {revision or 'none (empty)'}")


def connector_checks(
    connections: list[Connection], quota: QuotaState | None, connected: dict[str, int]
) -> list[Check]:
    """Each platform connector's credential (masked) and state; YouTube's quota left today."""
    checks = []
    for platform in PLATFORMS:
        brand = [c for c in connections if c.platform == platform and not c.creator]
        creators = connected.get(platform, 0)
        if not brand and not creators:
            checks.append(Check(f"connector {platform}", WARN, "not connected (optional)"))
            continue
        parts = []
        status = OK
        for c in brand[:1]:
            parts.append(f"{c.masked} from the {c.origin}, {c.state}")
            if c.state == "expired":
                status = FAIL
                parts.append(c.state_message)
        if creators:
            parts.append(f"{creators} connected creator(s)")
        if platform == "youtube" and brand and quota is not None:
            parts.append(quota.describe())
            status = WARN if status == OK and quota.left == 0 else status
        checks.append(Check(f"connector {platform}", status, "; ".join(parts)))
    return checks


def store_checks(settings: Settings, open_read_only: Callable[[], Warehouse]) -> list[Check]:
    """Home, warehouse and score checks; ``open_read_only`` opens the warehouse without writing."""
    checks = [Check("home", OK, str(settings.home.resolve()))]
    if settings.home.exists() and not os.access(settings.home, os.W_OK):
        checks[0] = Check("home", FAIL, f"{settings.home} is not writable")
    path = settings.warehouse_file
    if not path.exists():
        checks.append(Check("warehouse", WARN, f"{path} does not exist yet (import or demo)"))
        return checks
    try:
        with open_read_only() as warehouse:
            version = warehouse.schema_version()
            status = OK if version == LATEST_VERSION else WARN
            note = "" if version == LATEST_VERSION else " (opening it read-write migrates it)"
            checks.append(Check("warehouse", status, f"{path}, schema v{version}{note}"))
            counts = ", ".join(
                f"{name} {warehouse.count(name):,}"
                for name in ("creators", "posts", "comments", "creator_scores", "quarantine")
            )
            checks.append(Check("rows", OK, counts))
            stale = scores_status(warehouse)
            checks.append(Check("scores", WARN if stale else OK, stale or "up to date"))
    except MicroscoutError as exc:
        checks.append(Check("warehouse", FAIL, exc.message))
    return checks
