"""microscout: find, vet and plan portfolios of micro-influencers, with every number explained.

The Python API is the same set of services the CLI calls::

    import microscout
    settings = microscout.load_settings()
    with microscout.open_warehouse(settings) as warehouse:
        microscout.import_path(warehouse, Path("posts.csv"))
        stages = microscout.default_stages(microscout.Adapters(settings))
        microscout.score(warehouse, microscout.metric_params(settings), stages)
        table = microscout.list_creators(warehouse, microscout.CreatorFilter(tiers=("micro",)))
"""

from __future__ import annotations

import importlib as _importlib
import importlib.metadata as _metadata
import typing as _typing

from microscout.config import Settings, load_settings
from microscout.errors import (
    ConfigError,
    FileFormatError,
    InputError,
    MicroscoutError,
    NotFoundError,
    ParameterError,
    StoreError,
)

# The services load on first use: every command imports this package, and most need few of them
# (the web stack, SQLAlchemy and the planner would otherwise cost each command about a second).
_LAZY = {
    "open_warehouse": "microscout.bootstrap",
    "open_workspace": "microscout.bootstrap",
    "compare": "microscout.services.browse.compare",
    "CreatorFilter": "microscout.services.browse.creators",
    "creator_profile": "microscout.services.browse.creators",
    "creator_stats": "microscout.services.browse.creators",
    "list_creators": "microscout.services.browse.creators",
    "build_demo": "microscout.demo.build",
    "creator_detail": "microscout.services.browse.detail",
    "CreatorDetail": "microscout.services.browse.detail",
    "LookalikeRequest": "microscout.services.discovery.request",
    "SearchRequest": "microscout.services.discovery.request",
    "search": "microscout.services.discovery.search",
    "similar": "microscout.services.discovery.search",
    "import_path": "microscout.services.ingest.importer",
    "plan": "microscout.services.planning.plan",
    "PlanRequest": "microscout.services.planning.request",
    "Plan": "microscout.services.planning.result",
    "Adapters": "microscout.bootstrap",
    "default_stages": "microscout.bootstrap",
    "metric_params": "microscout.services.scoring.run",
    "score": "microscout.services.scoring.run",
    "add_creators": "microscout.services.shortlists",
    "create_shortlist": "microscout.services.shortlists",
    "export_csv": "microscout.services.shortlists",
    "get_shortlist": "microscout.services.shortlists",
    "list_shortlists": "microscout.services.shortlists",
    "vet": "microscout.services.vetting.vet",
    "VetReport": "microscout.services.vetting.report",
}

if _typing.TYPE_CHECKING:
    from microscout.bootstrap import Adapters, default_stages, open_warehouse, open_workspace
    from microscout.demo.build import build_demo
    from microscout.services.browse.compare import compare
    from microscout.services.browse.creators import (
        CreatorFilter,
        creator_profile,
        creator_stats,
        list_creators,
    )
    from microscout.services.browse.detail import CreatorDetail, creator_detail
    from microscout.services.discovery.request import LookalikeRequest, SearchRequest
    from microscout.services.discovery.search import search, similar
    from microscout.services.ingest.importer import import_path
    from microscout.services.planning.plan import plan
    from microscout.services.planning.request import PlanRequest
    from microscout.services.planning.result import Plan
    from microscout.services.scoring.run import metric_params, score
    from microscout.services.shortlists import (
        add_creators,
        create_shortlist,
        export_csv,
        get_shortlist,
        list_shortlists,
    )
    from microscout.services.vetting.report import VetReport
    from microscout.services.vetting.vet import vet


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'microscout' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# the version is declared once, in pyproject.toml
__version__ = _metadata.version("microscout")

__all__ = [
    "Adapters",
    "ConfigError",
    "CreatorDetail",
    "CreatorFilter",
    "FileFormatError",
    "InputError",
    "LookalikeRequest",
    "MicroscoutError",
    "NotFoundError",
    "ParameterError",
    "Plan",
    "PlanRequest",
    "SearchRequest",
    "Settings",
    "StoreError",
    "VetReport",
    "__version__",
    "add_creators",
    "build_demo",
    "compare",
    "create_shortlist",
    "creator_detail",
    "creator_profile",
    "creator_stats",
    "default_stages",
    "export_csv",
    "get_shortlist",
    "import_path",
    "list_creators",
    "list_shortlists",
    "load_settings",
    "metric_params",
    "open_warehouse",
    "open_workspace",
    "plan",
    "score",
    "search",
    "similar",
    "vet",
]
