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
