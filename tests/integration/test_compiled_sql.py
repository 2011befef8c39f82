"""Compiled SQL kept between scoring runs: reused only for the same code and parameters."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.compiled import CompiledSql, code_digest, source_digest
from microscout.config import Settings
from microscout.services.scoring.run import metric_params, score
from microscout.services.vetting.stage import authenticity_stage
from tests.scoring_data import load, seeded_dataset


class Compiler:
    """Makes a statement and counts how often it was asked to."""

    def __init__(self, text: str) -> None:
        self.text, self.calls = text, 0

    def __call__(self) -> str:
        self.calls += 1
        return self.text


def test_a_statement_is_compiled_once_per_code_and_parameters(tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    first = Compiler("SELECT 1")
    assert CompiledSql(folder, "code a").sql("scores", "p=1", first) == "SELECT 1"
    assert CompiledSql(folder, "code a").sql("scores", "p=1", first) == "SELECT 1"
    assert first.calls == 1

    other_parameters = Compiler("SELECT 2")
    assert CompiledSql(folder, "code a").sql("scores", "p=2", other_parameters) == "SELECT 2"
    other_code = Compiler("SELECT 3")
    assert CompiledSql(folder, "code b").sql("scores", "p=2", other_code) == "SELECT 3"
    assert (other_parameters.calls, other_code.calls) == (1, 1)
    # One statement is kept per name: the last one made.
    assert [p.read_text() for p in folder.glob("scores-*.sql")] == ["SELECT 3"]
    assert list(folder.glob("*.tmp")) == []


def test_without_a_folder_or_one_it_cannot_write_it_compiles_every_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    for compiled in (CompiledSql(None), CompiledSql(blocked / "sql")):
        make = Compiler("SELECT 1")
        assert compiled.sql("scores", "", make) == compiled.sql("scores", "", make) == "SELECT 1"
        assert make.calls == 2


def test_the_code_hash_changes_with_any_source_file_and_only_with_source(
    tmp_path: Path,
) -> None:
    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "b.py").write_text("B = 2\n")
    first = source_digest(package)
    assert source_digest(package) == first
    (package / "sub" / "taxonomy.tsv").write_text("data the SQL does not depend on\n")
    assert source_digest(package) == first
    (package / "sub" / "b.py").write_text("B = 3\n")
    edited = source_digest(package)
    (package / "a.py").rename(package / "c.py")
    renamed = source_digest(package)
    assert len({first, edited, renamed}) == 3
    assert CompiledSql(tmp_path).code == code_digest() != first


def _scores(warehouse: Warehouse) -> pa.Table:
    return warehouse.fetch_arrow(
        "SELECT * EXCLUDE (run_id) FROM creator_scores ORDER BY platform, creator_id"
    )


def test_runs_from_kept_sql_store_what_freshly_compiled_runs_store(
    warehouse: Warehouse, settings: Settings, tmp_path: Path
) -> None:
    load(warehouse, seeded_dataset())
    params = metric_params(settings)
    compiled = CompiledSql(tmp_path / "sql")

    def run_with(kept: CompiledSql | None) -> tuple[str, pa.Table, set[str]]:
        stages = [authenticity_stage(settings, None, kept)]
        run = score(warehouse, params, stages, compiled=kept)
        ids = warehouse.fetch_arrow("SELECT DISTINCT run_id FROM creator_scores")
        return run.run_id, _scores(warehouse), set(ids.column("run_id").to_pylist())

    fresh_id, fresh, fresh_ids = run_with(None)
    first_id, first, first_ids = run_with(compiled)  # compiles and keeps
    kept = sorted(p.name.split("-")[0] for p in (tmp_path / "sql").glob("*.sql"))
    assert kept == ["authenticity_norms", "creator_scores", "following_changes"]
    again_id, again, again_ids = run_with(compiled)  # reads what it kept

    assert fresh.num_rows > 0
    assert first.equals(fresh)
    assert again.equals(fresh)
    # Each run's rows carry that run's id, not the one the statement was kept with.
    assert (fresh_ids, first_ids, again_ids) == ({fresh_id}, {first_id}, {again_id})
    assert len({fresh_id, first_id, again_id}) == 3
