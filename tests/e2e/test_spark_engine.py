"""`score --engine spark` then `load-scores`, against `score` on DuckDB: two homes of the same demo
data, one scored each way, must list, search, vet and plan alike.

The Spark run is the real command in its own process, on a local Spark master (Java from the
Makefile). The text model runs in fp32 here: the int8 model quantises each batch's activations
with that batch's own range, so its vectors depend on which documents are embedded together
(they do on one machine too, between a first score and a re-score).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.cli import app
from microscout.demo.build import build_demo

pytestmark = pytest.mark.spark

runner = CliRunner()
AS_OF = "2026-06-30"
SETTINGS = {
    "MICROSCOUT_DUCKDB_MEMORY_LIMIT": "1GB",
    "MICROSCOUT_EMBEDDING_QUANTIZED": "false",
    "MICROSCOUT_EMBEDDING_MAX_TOKENS": "64",
    "MICROSCOUT_INDEX_TIERS": "any",
    "MICROSCOUT_SPARK_MASTER": "local[2]",
}


def _demo(home: Path, creators: int = 240) -> None:
    home.mkdir(parents=True)
    with Warehouse(home / "warehouse.duckdb", memory_limit="1GB", threads=2) as wh:
        build_demo(wh, creators, seed=5)


def _invoke(home: Path, *args: str) -> Any:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SETTINGS.items():
            mp.setenv(name, value)
        mp.setenv("MICROSCOUT_HOME", str(home))
        return runner.invoke(app, list(args))


def _command(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A microscout command in its own process, as a user runs it."""
    if shutil.which("java") is None:
        pytest.fail("Java is required for the Spark engine; `make test` installs it with apt-get")
    script = Path(sys.executable).with_name("microscout")
    env = {**os.environ, **SETTINGS, "MICROSCOUT_HOME": str(home)}
    return subprocess.run(
        [str(script), *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(scored on DuckDB, scored on Spark and loaded), from the same demo data."""
    root = tmp_path_factory.mktemp("engines")
    duck, spark = root / "duck", root / "spark"
    _demo(duck)
    _demo(spark)
    scored = _invoke(duck, "score", "--as-of", AS_OF)
    assert scored.exit_code == 0, scored.output
    # The lake named by URL (what Spark and pyarrow both open) for the export and the Spark
    # run; load-scores finds the same folder as the home's default lake.
    url = f"file://{spark / 'lake'}"
    exported = _invoke(spark, "export", "--lake", url)
    assert exported.exit_code == 0, exported.output
    sparked = _command(spark, "score", "--engine", "spark", "--lake", url, "--as-of", AS_OF)
    assert sparked.returncode == 0, sparked.stderr[-3000:]
    assert "on Spark" in sparked.stdout
    assert "Traceback" not in sparked.stderr
    loaded = _invoke(spark, "load-scores")
    assert loaded.exit_code == 0, loaded.output
    return duck, spark


def _json(home: Path, *args: str) -> Any:
    result = _invoke(home, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Columns computed from the text model's float32 vectors: the driver and each machine embed the
# same terms in other batches and threads, which moves a float32 by its last bit (6e-8).
FROM_VECTORS = frozenset({"niche_focus", "share", "similarity"})


def _same(left: Any, right: Any, where: str, rel: float = 1e-9) -> None:
    """Equal, floats to 1e-9 relative (the engines add in other orders), or to 1e-6 for the
    columns computed from text-model vectors."""
    if isinstance(left, float) and isinstance(right, float):
        assert math.isclose(left, right, rel_tol=rel, abs_tol=1e-12), (where, left, right)
    elif isinstance(left, dict) and isinstance(right, dict):
        assert left.keys() == right.keys(), where
        for key in left:
            tolerance = 1e-6 if key in FROM_VECTORS else rel
            _same(left[key], right[key], f"{where}.{key}", tolerance)
    elif isinstance(left, list) and isinstance(right, list):
        assert len(left) == len(right), where
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            _same(a, b, f"{where}[{i}]", rel)
    else:
        assert left == right, (where, left, right)


def test_creators_json_is_the_same_as_on_duckdb(homes: tuple[Path, Path]) -> None:
    duck, spark = homes
    on_duck = _json(duck, "creators", "--json", "--all", "--tier", "any")
    on_spark = _json(spark, "creators", "--json", "--all", "--tier", "any")
    assert len(on_duck["rows"]) == 240
    run = json.loads((spark / "lake" / "_scores" / "_run.json").read_text(encoding="utf-8"))
    assert {r["run_id"] for r in on_spark["rows"]} == {run["run_id"]}
    for rows in (on_duck["rows"], on_spark["rows"]):
        for row in rows:
            del row["run_id"]
    # the comparison covers every stage's columns with real values, and judgements of every
    # kind, from evidence of every kind
    filled = {k for r in on_spark["rows"] for k, v in r.items() if v not in (None, "", [])}
    for column in ("er_median", "audience_quality", "niche_primary", "fee_per_post", "tier"):
        assert column in filled
    assert {r["authenticity_verdict"] for r in on_spark["rows"]} >= {"ok", "caution", "high risk"}
    reasons = " ".join(r["audience_quality_reasons"] or "" for r in on_spark["rows"])
    for evidence in ("pod", "ring", "duplicate", "fake"):
        assert evidence in reasons
    # authenticity and fees were computed on Spark, not by load-scores
    assert {"authenticity", "fees"} <= set(run["stages"])
    _same(on_duck["rows"], on_spark["rows"], "rows")


def test_documents_and_vectors_equal_those_made_on_one_machine(homes: tuple[Path, Path]) -> None:
    duck, spark = homes
    results = spark / "lake" / "_scores"
    with Warehouse(duck / "warehouse.duckdb", read_only=True) as wh:
        stored = wh.fetch_arrow("SELECT platform, creator_id, document FROM creator_documents")
    mine = {(r["platform"], r["creator_id"]): r["document"] for r in stored.to_pylist()}
    theirs = pq.read_table(results / "creator_documents").to_pylist()
    assert len(theirs) == len(mine) == 240
    assert {(r["platform"], r["creator_id"]): r["document"] for r in theirs} == mine

    keys = pq.read_table(duck / "index" / "keys.parquet").to_pylist()
    local = np.load(duck / "index" / "vectors.npy")
    row = {(k["platform"], k["creator_id"]): i for i, k in enumerate(keys)}
    embedded = pq.read_table(results / "embeddings").to_pylist()
    assert len(embedded) == len(keys) > 200
    for item in embedded:
        mine_vector = local[row[(item["platform"], item["creator_id"])]]
        cosine = float(np.dot(mine_vector, np.asarray(item["vector"], np.float32)))
        assert cosine > 1 - 1e-5, item["creator_id"]


def _rows(home: Path, sql: str) -> list[dict[str, Any]]:
    with Warehouse(home / "warehouse.duckdb", read_only=True) as wh:
        rows: list[dict[str, Any]] = wh.fetch_arrow(sql).to_pylist()
    return rows


def test_niche_rows_and_lexicon_equal_those_made_on_one_machine(homes: tuple[Path, Path]) -> None:
    niches, terms = (
        "SELECT * EXCLUDE (run_id) FROM creator_niches ORDER BY platform, creator_id, niche_id",
        "SELECT * FROM niche_terms ORDER BY term",
    )
    on_duck, on_spark = (_rows(home, niches) for home in homes)
    assert len(on_duck) > 240  # several niches per creator: ranks are compared too
    assert {r["method"] for r in on_spark} == {"zero-shot"}
    _same(on_duck, on_spark, "creator_niches")
    lexicon = [_rows(home, terms) for home in homes]
    assert len(lexicon[0]) > 100
    _same(lexicon[0], lexicon[1], "niche_terms")


def test_search_vet_and_plan_answer_alike(homes: tuple[Path, Path]) -> None:
    brief = "vegan recipes for busy weeknights"
    found = [_json(home, "search", brief, "--json")["results"] for home in homes]
    assert found[0]
    assert [h["handle"] for h in found[0]] == [h["handle"] for h in found[1]]
    handle = found[0][0]["handle"]
    vetted = [_json(home, "vet", handle, "--json") for home in homes]
    assert vetted[0]["verdict"] == vetted[1]["verdict"]
    ask = ["plan", "--brief", brief, "--budget", "3000", "--json"]
    plans = [_json(home, *ask, "--out", str(home / "plan")) for home in homes]
    chosen = [sorted(c["handle"] for c in p["creators"]) for p in plans]
    assert chosen[0]
    assert chosen[0] == chosen[1]


def test_a_lake_of_other_data_is_refused_and_nothing_changes(
    homes: tuple[Path, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    _demo(other, creators=60)
    result = _invoke(other, "load-scores", "--lake", str(homes[1] / "lake"))
    assert result.exit_code == 2
    assert "--lake" in result.stderr
    assert "creators: 240 rows there, 60 here" in result.stderr
    assert "Traceback" not in result.output
    with Warehouse(other / "warehouse.duckdb", read_only=True) as wh:
        assert wh.count("creator_scores") == 0


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("MICROSCOUT_WINDOW_DAYS", "90", "window_days 180 there, 90 here"),
        # audiences judged by another threshold here: Spark's verdicts would not be this home's
        (
            "MICROSCOUT_AUTH_FAKE_SHARE_FLAG",
            "0.05",
            "the Spark run used other settings (authenticity",
        ),
    ],
)
def test_scores_computed_under_other_settings_are_refused(
    homes: tuple[Path, Path], setting: str, value: str, message: str
) -> None:
    spark = homes[1]
    with Warehouse(spark / "warehouse.duckdb", read_only=True) as wh:
        runs = wh.count("score_runs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(setting, value)
        result = _invoke(spark, "load-scores")
    assert result.exit_code == 2
    assert message in result.stderr
    with Warehouse(spark / "warehouse.duckdb", read_only=True) as wh:
        assert wh.count("score_runs") == runs


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["score", "--engine", "ray"], 2, "--engine: 'ray' is not an engine"),
        (["score", "--lake", "somewhere"], 2, "--lake: only the spark engine reads a lake"),
        (["load-scores"], 4, "no Spark scores in"),
        (["export", "--lake", "nosuch://bucket/lake"], 2, "--lake: cannot open nosuch://bucket"),
    ],
)
def test_bad_engine_input_gives_one_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    home = tmp_path / "home"
    _demo(home, creators=20)
    result = _invoke(home, *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_spark_without_a_lake_says_to_export_first(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _demo(home, creators=20)
    result = _command(home, "score", "--engine", "spark")
    assert result.returncode == 4
    assert f"no lake at {home / 'lake'}" in result.stderr
    assert "microscout export --lake" in result.stderr
    assert "Traceback" not in result.stderr
