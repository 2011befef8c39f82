"""`microscout export --lake`: the canonical tables as Parquet partitioned by platform, read back
as datasets equal to the warehouse's rows; a second export replaces the first; a folder of
something else is refused, untouched."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.lake_path import LakePath
from microscout.core.schema import CANONICAL
from microscout.demo.build import build_demo
from microscout.errors import ParameterError
from microscout.services.ingest.lake import export_lake


def _read(folder: Path, name: str) -> list[tuple[object, ...]]:
    data = ds.dataset(folder / name, format="parquet", partitioning="hive")
    table = data.to_table()
    spec = next(s for s in CANONICAL if s.name == name)
    return sorted((tuple(r[c] for c in spec.names) for r in table.to_pylist()), key=repr)


def _sub_tree(root: Path) -> LakePath:
    """``root`` through a file system other than the local one, as a bucket would be: DuckDB
    cannot write there, so the export writes locally and copies the files over."""
    return LakePath(pafs.SubTreeFileSystem(str(root), pafs.LocalFileSystem()), "lake", "sub://")


@pytest.mark.parametrize(
    "location",
    [
        lambda root: LakePath.of(root / "lake"),
        lambda root: LakePath.of(f"file://{root / 'lake'}"),
        _sub_tree,
    ],
    ids=["folder", "file URL", "other file system"],
)
def test_the_lake_holds_every_canonical_row_partitioned_by_platform(
    warehouse: Warehouse, tmp_path: Path, location: Callable[[Path], LakePath]
) -> None:
    build_demo(warehouse, 60, seed=5)
    lake = tmp_path / "lake"
    done = export_lake(warehouse, location(tmp_path))
    for spec in CANONICAL:
        stored = sorted(
            warehouse.duck.execute(f"SELECT {', '.join(spec.names)} FROM {spec.name}").fetchall(),
            key=repr,
        )
        assert done.tables[spec.name] == len(stored)
        if stored:
            assert _read(lake, spec.name) == stored, spec.name
    platforms = {p.name for p in (lake / "posts").iterdir()}
    expected = {
        f"platform={p}"
        for (p,) in warehouse.duck.execute("SELECT DISTINCT platform FROM posts").fetchall()
    }
    assert platforms == expected
    assert len(platforms) >= 2  # the demo has several platforms
    manifest = json.loads((lake / "_manifest.json").read_text())
    assert manifest["tables"] == done.tables
    assert manifest["warehouse_schema_version"] == warehouse.schema_version()

    warehouse.duck.execute("DELETE FROM comments")
    again = export_lake(
        warehouse, location(tmp_path)
    )  # an earlier lake is replaced, table by table
    assert again.tables["comments"] == 0
    assert not any((lake / "comments").rglob("*.parquet"))
    assert not [p for p in lake.iterdir() if p.name.startswith(".")]  # no draft left


def test_a_folder_of_something_else_is_refused_and_left_alone(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ParameterError, match="holds other files"):
        export_lake(warehouse, LakePath.of(other))
    assert [p.name for p in other.iterdir()] == ["cat.jpg"]
    file = tmp_path / "lake.txt"
    file.write_text("x")
    with pytest.raises(ParameterError, match="is a file"):
        export_lake(warehouse, LakePath.of(file))
