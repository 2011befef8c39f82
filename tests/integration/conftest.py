"""Fixtures for import tests: snapshots of the canonical tables and quarantine, dated files."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.core.schema import CANONICAL

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]
Quarantine = Callable[[], list[dict[str, Any]]]
Write = Callable[..., Path]


@pytest.fixture
def snapshot(warehouse: Warehouse) -> Snapshot:
    """Every canonical row, sorted, to compare before and after an import."""

    def take() -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for spec in CANONICAL:
            rows = warehouse.duck.execute(f"SELECT * FROM {spec.name}").fetchall()
            out[spec.name] = sorted(rows, key=repr)
        return out

    return take


@pytest.fixture
def quarantined(warehouse: Warehouse) -> Quarantine:
    """The quarantine table as dicts, in file and line order."""

    def take() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = warehouse.fetch_arrow(
            "SELECT source_file, line, column_name, reason, target_table, raw FROM quarantine "
            "ORDER BY source_file, line, target_table"
        ).to_pylist()
        return rows

    return take


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a data file into tmp_path, optionally dated as if exported at ``modified``."""

    def make(name: str, text: str, modified: datetime | None = None) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        if modified is not None:
            stamp = modified.timestamp()
            os.utime(path, (stamp, stamp))
        return path

    return make
