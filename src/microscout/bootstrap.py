"""The one place that builds real adapters from Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings

if TYPE_CHECKING:
    from microscout.adapters.workspace import Workspace
    from microscout.services.scoring.stage import Stage


def open_warehouse(settings: Settings, *, read_only: bool = False) -> Warehouse:
    """Open (creating and migrating when needed) the warehouse the settings point at."""
    return Warehouse(
        settings.warehouse_file,
        memory_limit=settings.duckdb_memory_limit,
        threads=settings.duckdb_threads,
        read_only=read_only,
    )


def open_workspace(settings: Settings) -> Workspace:
    """Open (creating and migrating when needed) the workspace store the settings point at."""
    # imported here so commands that never touch the workspace do not load SQLAlchemy/Alembic
    from microscout.adapters.workspace import Workspace

    return Workspace(settings.workspace_database_url)


def default_stages(settings: Settings) -> tuple[Stage, ...]:
    """The stages that run after the SQL metrics, in order: authenticity, niches, pricing.

    Pricing comes last because fees read the audience's real share from authenticity.
    """
    # imported here so commands that never score do not load the text and vetting models
    from microscout.services.discovery.discover import niche_stage
    from microscout.services.planning.plan import pricing_stage
    from microscout.services.vetting.vet import authenticity_stage

    return (authenticity_stage(settings), niche_stage(settings), pricing_stage(settings))
