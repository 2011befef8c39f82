"""Shared fixtures: every test gets a fresh warehouse file in its own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", duckdb_memory_limit="1GB", duckdb_threads=2)


@pytest.fixture
def warehouse(settings: Settings) -> Iterator[Warehouse]:
    wh = Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def scored_demo(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small demo home, built and scored once per session with every default stage and its
    creator views (the text model is the slow part); tests read it and must not write to it."""
    from microscout.bootstrap import score_and_publish
    from microscout.demo.build import build_demo

    home = tmp_path_factory.mktemp("demo") / "home"
    settings = Settings(
        home=home,
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        embedding_max_tokens=64,
        index_tiers="any",  # search tests filter by every tier; a small demo embeds them quickly
    )
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        build_demo(wh, 400, seed=11)
        score_and_publish(wh, settings)  # as `microscout score`: with the creator views
    return settings
