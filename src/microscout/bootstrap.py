"""The composition root: the one place that builds real adapters from Settings.

Entrypoints (the CLI commands, the web app) call these builders and hand what they return to the
services; services never build an adapter themselves. Process-wide caches live on an
:class:`Adapters` object that the caller owns (the web app keeps one for its lifetime, a CLI
command one for its run), never in module globals.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings

if TYPE_CHECKING:
    from microscout.adapters.models.follower_store import FollowerModelStore
    from microscout.adapters.models.niche_model import LinearNicheModel
    from microscout.adapters.text.embedder import Embedder
    from microscout.adapters.text.index import IndexStore
    from microscout.adapters.warehouse.compiled import CompiledSql
    from microscout.adapters.warehouse.lake_path import LakePath
    from microscout.adapters.workspace import Actor, Workspace
    from microscout.core.authenticity.model import FollowerModel
    from microscout.services.discovery.index import DocumentModel
    from microscout.services.discovery.niche_stage import ComputedNiches
    from microscout.services.scoring.run import ScoreRun
    from microscout.services.scoring.stage import Progress, Stage

# The step ``score`` reports after its stages: writing the creator views.
VIEWS_STEP = "creator views"


def open_warehouse(settings: Settings, *, read_only: bool = False) -> Warehouse:
    """Open (creating and migrating when needed) the warehouse the settings point at."""
    return Warehouse(
        settings.warehouse_file,
        memory_limit=settings.duckdb_memory_limit,
        threads=settings.duckdb_threads,
        read_only=read_only,
    )


@contextlib.contextmanager
def writing_warehouse(settings: Settings) -> Iterator[Warehouse]:
    """The warehouse to write (import, score, demo): a copy swapped in when the block succeeds,
    so readers such as the web app keep answering meanwhile (``adapters/warehouse/swap.py``).
    A second writer gets BusyError."""
    from microscout.adapters.warehouse.swap import writing_copy

    def open_copy(path: Path) -> Warehouse:
        return Warehouse(
            path, memory_limit=settings.duckdb_memory_limit, threads=settings.duckdb_threads
        )

    with writing_copy(settings.warehouse_file, open_copy) as warehouse:
        yield warehouse


def cli_actor() -> Actor:
    """Who a CLI command acts as in the audit log: the operating-system user, from "cli"."""
    import getpass

    from microscout.adapters.workspace import Actor

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        name = f"uid {os.getuid()}"
    return Actor(name, "cli")


def signing_key(settings: Settings) -> bytes:
    """The server's signing key (CSRF tokens, click pseudonyms): the secret_key setting, else
    the key file in the home, made on first use and shared by every process of that home."""
    from microscout.adapters.secrets import key_from_file

    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return key_from_file(settings.secret_key_file)


def open_workspace(settings: Settings) -> Workspace:
    """Open (creating and migrating when needed) the workspace store the settings point at."""
    # imported here so commands that never touch the workspace do not load SQLAlchemy/Alembic
    from microscout.adapters.workspace import Workspace

    return Workspace(settings.workspace_database_url)


class Adapters:
    """The real adapters one process shares, each built from the settings on first use.

    ``one_thread_each``: for a server answering many requests at once (the web app). Each
    request's model work then runs in its own thread only: a request that spread over every
    core would have its worker threads spin against the other requests' for the same cores.
    """

    def __init__(self, settings: Settings, *, one_thread_each: bool = False) -> None:
        self.settings = settings
        self.one_thread_each = one_thread_each

    @functools.cached_property
    def embedder(self) -> Embedder:
        """The text model the settings ask for, loaded once for the owner's lifetime."""
        # imported here so commands that never embed text do not load onnxruntime
        from microscout.adapters.text.embedder import Embedder

        settings = self.settings
        return Embedder(
            settings.embedding_model_dir,
            quantized=settings.embedding_quantized,
            max_tokens=settings.embedding_max_tokens,
            threads=1 if self.one_thread_each else None,
        )

    @functools.cached_property
    def follower_models(self) -> FollowerModelStore:
        """The home's trained fake-follower model, kept loaded while its files are unchanged."""
        from microscout.adapters.models.follower_store import FollowerModelStore

        return FollowerModelStore(self.settings.home)

    @property
    def follower_model(self) -> FollowerModel | None:
        """The trained fake-follower model as saved now, or None until one is trained."""
        return self.follower_models.current()

    def judgement(self) -> str:
        """How audiences are judged now: the settings' thresholds and the follower model, as the
        fingerprint a scoring run records (``services/vetting/vet.py``)."""
        from microscout.services.vetting.vet import authenticity_params, judgement_fingerprint

        identity = self.follower_models.identity()
        return judgement_fingerprint(authenticity_params(self.settings), identity)

    @functools.cached_property
    def index_store(self) -> IndexStore:
        """The home's vector index of creator documents, kept loaded while it is unchanged."""
        from microscout.adapters.text.index import IndexStore

        return IndexStore(self.settings.home / "index")

    @functools.cached_property
    def compiled_sql(self) -> CompiledSql:
        """The metric and evidence SQL kept between scoring runs, in the home's cache folder."""
        from microscout.adapters.warehouse.compiled import CompiledSql

        return CompiledSql(self.settings.home / "cache" / "sql")

    @property
    def niche_model(self) -> LinearNicheModel | None:
        """The trained niche model as saved now (read on each use), or None until one is."""
        from microscout.adapters.models.niche_model import load_niche_model, niche_model_file

        return load_niche_model(niche_model_file(self.settings.home))


def default_stages(
    adapters: Adapters,
    progress: Progress | None = None,
    documents: DocumentModel | None = None,
    niches: ComputedNiches | None = None,
    *,
    judged: bool = False,
) -> tuple[Stage, ...]:
    """The stages that run after the SQL metrics, in order: authenticity, niches, pricing.

    Pricing comes last because fees read the audience's real share from authenticity.
    ``progress`` hears how many creator documents have been embedded. ``documents``: what
    embeds creator documents, when not the text model itself (vectors another engine made);
    ``niches``: the niche stage's results, when another engine computed them; ``judged``: the
    rows already hold authenticity and fees (another engine's), so only the niches run.
    """
    # imported here so commands that never score do not load the text and vetting models
    from microscout.services.discovery.niche_stage import loaded_niche_stage, niche_stage
    from microscout.services.planning.pricing import pricing_stage
    from microscout.services.vetting.stage import authenticity_stage

    settings = adapters.settings
    embedder = documents or adapters.embedder
    store = adapters.index_store
    niche = (
        niche_stage(settings, embedder, store, adapters.niche_model, progress)
        if niches is None
        else loaded_niche_stage(settings, embedder, store, niches, progress)
    )
    if judged:
        return (niche,)
    return (
        authenticity_stage(settings, adapters.follower_model, adapters.compiled_sql),
        niche,
        pricing_stage(settings),
    )


def score_and_publish(
    warehouse: Warehouse,
    settings: Settings,
    as_of: datetime | None = None,
    progress: Progress | None = None,
    lake: LakePath | None = None,
) -> ScoreRun:
    """What ``score``, ``load-scores`` and ``demo`` run: every stage, then the creator views of
    the run (``services/browse/views.py``) that first page views read; ``progress`` hears each
    step. ``lake``: take the metrics and document vectors of the Spark run there
    (``services/scoring/load.py``), whose ``as_of`` then holds."""
    from microscout.services.browse.views import publish_views
    from microscout.services.scoring.load import LakeVectors, check_model, lake_scores
    from microscout.services.scoring.run import metric_params, score
    from microscout.services.vetting.vet import JUDGEMENT

    adapters = Adapters(settings)
    # How the run judges audiences, so `vet` can tell whether the stored verdicts still hold.
    judgement = adapters.judgement()
    recorded = {}
    computed = documents = niches = None
    judged_there = False
    if lake is not None:
        trained = adapters.niche_model
        found = lake_scores(
            warehouse, settings, lake, judgement, trained.model_id if trained else None
        )
        check_model(found, adapters.embedder)
        as_of, computed = found.as_of, found.computed
        documents = LakeVectors(found, lambda: adapters.embedder)
        niches = found.niches
        recorded = {"engine": "spark", "spark_seconds": f"{found.run['seconds']:.1f}"}
        judged_there = found.judged
    stages = default_stages(adapters, progress, documents, niches, judged=judged_there)
    recorded[JUDGEMENT] = judgement
    params = metric_params(settings, as_of)
    run = score(warehouse, params, stages, progress, recorded, adapters.compiled_sql, computed)
    if progress is not None:
        progress(VIEWS_STEP, 0, run.creators)
    written = publish_views(warehouse, settings, run)
    if progress is not None:
        progress(VIEWS_STEP, written, written)
    return run
