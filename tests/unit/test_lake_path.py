"""Lake locations: folders and URLs, joined like paths and printed as Spark reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from microscout.adapters.warehouse.lake_path import LakePath
from microscout.errors import ParameterError


def test_a_folder_prints_as_its_absolute_path(tmp_path: Path) -> None:
    lake = LakePath.of(tmp_path / "lake")
    assert str(lake / "posts") == str(tmp_path / "lake" / "posts")
    assert lake.local == tmp_path / "lake"
    assert (lake / "posts").with_name("comments") == lake / "comments"


def test_a_file_url_keeps_its_scheme_for_spark_and_reads_the_same_folder(tmp_path: Path) -> None:
    lake = LakePath.of(f"file://{tmp_path}/lake")
    assert str(lake / "_run.json") == f"file://{tmp_path}/lake/_run.json"
    lake.mkdir()
    (lake / "note.txt").write_text("hello")
    assert (tmp_path / "lake" / "note.txt").read_text() == "hello"
    assert (lake / "note.txt").is_file()
    assert not (lake / "note.txt").is_dir()


def test_moving_replaces_and_removing_is_whole(tmp_path: Path) -> None:
    lake = LakePath.of(tmp_path)
    (lake / "draft").mkdir()
    (lake / "draft" / "a.parquet").write_text("x")
    assert (lake / "draft").has_parquet()
    (lake / "draft").rename(lake / "final")
    assert not (lake / "draft").exists()
    assert (tmp_path / "final" / "a.parquet").exists()
    (lake / "final").remove()
    (lake / "final").remove()  # nothing there: nothing to do
    assert not (tmp_path / "final").exists()


def test_an_unknown_scheme_names_the_parameter() -> None:
    with pytest.raises(ParameterError, match="lake_path: cannot open nosuch://bucket/lake"):
        LakePath.of("nosuch://bucket/lake", "lake_path")
