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
    if shutil.which("java") is None:
        pytest.fail("Java is required for the Spark test; `make test` installs it with apt-get")
    from pyspark.sql import SparkSession

    folder = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("microscout-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={folder}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


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
