"""The metrics are backend-neutral: Ibis on a local PySpark session gives DuckDB's numbers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow.parquet as pq
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.core.metrics import CanonicalTables, MetricParams, creator_scores
from microscout.core.schema import CREATOR_SCORES, ENRICHED_SCORES
from microscout.services.scoring.run import score
from tests.scoring_data import load, seeded_dataset

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The session ``score --engine spark`` opens on a local master."""
    if shutil.which("java") is None:
        pytest.fail("Java is required for the Spark test; `make test` installs it with apt-get")
    from microscout.adapters.spark.session import spark_session

    with spark_session("local[2]", tmp_path_factory.mktemp("spark")) as session:
        yield session


def _spark_scores(
    spark: Any, folder: Path, data: dict[str, Any], params: MetricParams
) -> pd.DataFrame:
    """Score on Spark over Parquet files, the way microscout runs when data outgrows DuckDB."""
    con = ibis.pyspark.connect(spark)
    views = {}
    for name, table in data.items():
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        views[name] = con.read_parquet(str(path), table_name=f"parity_{name}")
    tables = CanonicalTables(**views)
    frame: pd.DataFrame = creator_scores(tables, params, "run").to_pandas()
    return frame


def _duck_scores(path: Path, data: dict[str, Any], params: MetricParams) -> pd.DataFrame:
    with Warehouse(path, memory_limit="1GB", threads=2) as wh:
        load(wh, data)
        score(wh, params)
        frame: pd.DataFrame = wh.table("creator_scores").to_pandas()
        return frame.drop(columns="run_id")


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    # the SQL metrics; the later stages' columns are NULL placeholders at this point
    later = {c.name for c in ENRICHED_SCORES} | {"run_id"}
    frame = frame[[c for c in CREATOR_SCORES.names if c not in later]]
    frame = frame.sort_values(["platform", "creator_id"]).reset_index(drop=True)
    for column in ("anchor_at", "window_start"):
        frame[column] = pd.to_datetime(frame[column]).dt.tz_localize(None).astype("datetime64[us]")
    frame["spike_date"] = pd.to_datetime(frame["spike_date"]).astype("datetime64[us]")
    return frame.astype({c: "boolean" for c in ("spike_flag", "passes_reach_gate")})


@pytest.mark.parametrize("as_of", [None, datetime(2026, 4, 1)])
def test_spark_scores_equal_duckdb_scores(
    spark: Any, tmp_path: Path, as_of: datetime | None
) -> None:
    data = seeded_dataset()
    params = MetricParams(as_of=as_of)
    duck = _normalise(_duck_scores(tmp_path / "w.duckdb", data, params))
    sparked = _normalise(_spark_scores(spark, tmp_path, data, params))

    assert len(duck) == len(sparked) == data["creators"].num_rows
    assert duck["er_median"].notna().sum() > 20  # the comparison covers real numbers
    assert duck["er_ci_low"].notna().sum() > 5
    assert duck["spike_flag"].fillna(False).sum() > 0
    pd.testing.assert_frame_equal(duck, sparked, check_dtype=False, rtol=1e-9, atol=1e-12)


def test_a_trained_niche_model_gives_each_creator_the_same_niches_on_spark(
    spark: Any, tmp_path: Path
) -> None:
    """The trained niche model on the executors (each creator's latest posts beside its account
    votes) ranks every creator's niches as the niche stage does on DuckDB."""
    import numpy as np

    from microscout.adapters.models.niche_model import CHAR_FEATURES, WORD_FEATURES
    from microscout.adapters.models.niche_model import LinearNicheModel as Model
    from microscout.adapters.spark.lake import SparkLake
    from microscout.adapters.warehouse.lake_path import LakePath
    from microscout.core.niche.neighbours import AccountCounts
    from microscout.demo.build import build_demo
    from microscout.services.discovery.niche_stage import creator_rows, niche_rows, supervised_mix
    from microscout.services.ingest.lake import export_lake
    from microscout.services.scoring.spark_niches import supervised_niches_on_spark

    with Warehouse(tmp_path / "w.duckdb", memory_limit="1GB", threads=2) as wh:
        build_demo(wh, 40, seed=11)
        export_lake(wh, LakePath.of(tmp_path / "lake"))
        commenters = [r[0] for r in wh.duck.sql("SELECT DISTINCT author FROM comments").fetchall()]
        rng = np.random.default_rng(7)
        classes = ("210", "225", "597")
        # A model of seeded weights: both engines must compute the same function of the posts,
        # and the votes of accounts the demo's creators really have move the probabilities.
        accounts = tuple(sorted(a.lower() for a in commenters[:50]))
        model = Model(
            classes,
            rng.normal(size=(3, WORD_FEATURES + CHAR_FEATURES + 3)).astype(np.float32),
            rng.normal(size=3).astype(np.float32),
            "seeded-model",
            AccountCounts(accounts, rng.integers(0, 5, size=(len(accounts), 3)).astype(np.int32)),
        )
        mix = supervised_mix(wh, model)
    ranks = creator_rows(mix, len(classes))["_ranks"]
    local = niche_rows(mix, ranks, model.model_id, "run").to_pylist()
    source = SparkLake(spark, LakePath.of(tmp_path / "lake"))
    out = LakePath.of(tmp_path / "out")
    assert supervised_niches_on_spark(source, model, "run", out) == len(local)
    on_spark = pq.read_table(tmp_path / "out" / "niche_rows").to_pylist()

    def key(row: dict[str, Any]) -> tuple[str, str, str]:
        return row["platform"], row["creator_id"], row["niche_id"]

    assert len(local) == 40 * len(classes)
    assert sum(r["rank"] == 1 for r in local) == 40  # one primary niche per creator
    assert len({r["niche_id"] for r in local if r["rank"] == 1}) > 1  # the weights decide
    theirs = {key(r): r for r in on_spark}
    for row in local:
        there = theirs[key(row)]
        for column, value in row.items():
            if isinstance(value, float):
                assert there[column] == pytest.approx(value, rel=1e-9), (key(row), column)
            else:
                assert there[column] == value, (key(row), column)
