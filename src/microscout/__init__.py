"""microscout: find, vet and plan portfolios of micro-influencers, with every number explained.

The Python API is the same set of services the CLI calls::

    import microscout
    settings = microscout.load_settings()
    with microscout.open_warehouse(settings) as warehouse:
        microscout.import_path(warehouse, Path("posts.csv"))
        microscout.score(
            warehouse, microscout.metric_params(settings), microscout.default_stages(settings)
        )
        table = microscout.list_creators(warehouse, microscout.CreatorFilter(tiers=("micro",)))
"""

from __future__ import annotations

import importlib as _importlib
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
    "compare": "microscout.services.compare",
    "CreatorFilter": "microscout.services.creators",
    "creator_profile": "microscout.services.creators",
    "creator_stats": "microscout.services.creators",
    "list_creators": "microscout.services.creators",
    "build_demo": "microscout.services.demo",
    "search": "microscout.services.discover",
    "similar": "microscout.services.discover",
    "import_path": "microscout.services.ingest",
    "plan": "microscout.services.plan",
    "default_stages": "microscout.services.score",
    "metric_params": "microscout.services.score",
    "score": "microscout.services.score",
    "add_creators": "microscout.services.shortlists",
    "create_shortlist": "microscout.services.shortlists",
    "export_csv": "microscout.services.shortlists",
    "get_shortlist": "microscout.services.shortlists",
    "list_shortlists": "microscout.services.shortlists",
    "vet": "microscout.services.vet",
}

if _typing.TYPE_CHECKING:
    from microscout.bootstrap import open_warehouse, open_workspace
    from microscout.services.compare import compare
    from microscout.services.creators import (
        CreatorFilter,
        creator_profile,
        creator_stats,
        list_creators,
    )
    from microscout.services.demo import build_demo
    from microscout.services.discover import search, similar
    from microscout.services.ingest import import_path
    from microscout.services.plan import plan
    from microscout.services.score import default_stages, metric_params, score
    from microscout.services.shortlists import (
        add_creators,
        create_shortlist,
        export_csv,
        get_shortlist,
        list_shortlists,
    )
    from microscout.services.vet import vet


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'microscout' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "CreatorFilter",
    "FileFormatError",
    "InputError",
    "MicroscoutError",
    "NotFoundError",
    "ParameterError",
    "Settings",
    "StoreError",
    "__version__",
    "add_creators",
    "build_demo",
    "compare",
    "create_shortlist",
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
