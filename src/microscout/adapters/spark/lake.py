"""A lake exported by ``microscout export --lake`` as views of a Spark session, the scoring
queries over them, and the folders a Spark run writes its results to."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from microscout.adapters.spark.sql import spark_sql
from microscout.adapters.warehouse.lake import LakePath, require_lake
from microscout.core.schema import CANONICAL, TableSpec, arrow_schema

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from pyspark.sql import DataFrame, SparkSession

    from microscout.core.metrics import MetricParams


class SparkLake:
    """The canonical tables of the lake at ``folder``, each a temporary view of ``spark`` under
    its warehouse name, so the warehouse's own queries (translated) and Ibis expressions read
    them."""

    def __init__(self, spark: SparkSession, folder: LakePath) -> None:
        require_lake(folder)
        self.spark = spark
        self.folder = folder
        for spec in CANONICAL:
            self._view(spec)

    def _view(self, spec: TableSpec) -> None:
        path = self.folder / spec.name
        if path.has_parquet():
            frame = self.spark.read.parquet(str(path))
        else:  # an empty table is an empty folder: give Spark the schema it cannot read there
            from pyspark.sql.pandas.types import from_arrow_schema

            frame = self.spark.createDataFrame([], from_arrow_schema(arrow_schema(spec)))
        frame.createOrReplaceTempView(spec.name)

    def sql(self, duckdb_sql: str, params: Sequence[Any] = ()) -> DataFrame:
        """The result of one of the warehouse's queries, run on Spark (``params`` bound to its
        ``?`` in order)."""
        return self.spark.sql(spark_sql(duckdb_sql), args=list(params) or None)

    @functools.cached_property
    def ibis(self) -> Any:
        """An Ibis connection to the session: the lake's views are its tables."""
        import ibis

        return ibis.pyspark.connect(self.spark)

    def of_ibis(self, expr: ir.Table) -> DataFrame:
        """The rows of an Ibis expression over the session's views, compiled for Spark."""
        return self.spark.sql(str(self.ibis.compile(expr)))

    def metrics(self, params: MetricParams, run_id: str) -> DataFrame:
        """creator_scores' SQL metrics: the same Ibis expressions DuckDB runs
        (``core/metrics``), compiled for Spark."""
        from microscout.core.metrics import CanonicalTables, creator_scores

        con = self.ibis
        tables = CanonicalTables(
            creators=con.table("creators"),
            posts=con.table("posts"),
            comments=con.table("comments"),
            follower_snapshots=con.table("follower_snapshots"),
        )
        return self.of_ibis(creator_scores(tables, params, run_id))

    def searchable(
        self, documents: DataFrame, scores: DataFrame, tiers: Sequence[str] | None
    ) -> DataFrame:
        """The documents to embed: non-empty, of creators in ``tiers`` (None: every tier)."""
        band = scores.select("platform", "creator_id", "tier")
        if tiers is not None:
            band = band.where(band.tier.isin(list(tiers)))
        chosen = documents.where("document IS NOT NULL AND document <> ''")
        return chosen.join(band.drop("tier"), ["platform", "creator_id"], "inner")

    def view(self, name: str, frame: DataFrame) -> None:
        """Make ``frame`` readable by the translated queries under ``name``."""
        frame.createOrReplaceTempView(name)

    def view_of_arrow(self, name: str, table: pa.Table) -> None:
        """A small Arrow table from the driver (a lexicon) as the view ``name``."""
        self.of_arrow(table).createOrReplaceTempView(name)

    def of_arrow(self, table: pa.Table) -> DataFrame:
        """An Arrow table from the driver as a Spark frame of the same schema."""
        from pyspark.sql.pandas.types import from_arrow_schema

        return self.spark.createDataFrame(table.to_pandas(), from_arrow_schema(table.schema))

    def to_arrow(self, frame: DataFrame) -> pa.Table:
        """A small result brought to the driver."""
        table: pa.Table = frame.toArrow()
        return table

    def per_creator(
        self,
        frame: DataFrame,
        also: DataFrame | None,
        run: Callable[[pa.Table], pa.Table],
        schema: str | pa.Schema,
    ) -> DataFrame:
        """``run`` on each creator's rows of ``frame`` (as one Arrow table, beside that creator's
        columns of ``also``, NULL where it has none), on the executors; ``schema`` is its output's
        (Spark DDL or Arrow)."""
        keys = ["platform", "creator_id"]
        joined = frame if also is None else frame.join(also, keys, "left")

        # A plain function of one table: Spark reads the arguments a callable object takes wrong.
        def one_creator(rows: pa.Table) -> pa.Table:
            return run(rows)

        return joined.groupBy(*keys).applyInArrow(one_creator, _spark_schema(schema))

    def per_batch(
        self, frame: DataFrame, run: Callable[[pa.Table], pa.Table], schema: pa.Schema
    ) -> DataFrame:
        """``run`` on each Arrow batch of ``frame``'s rows, on the executors (rows that need no
        other rows: a creator's judgement from its evidence, its fee from its figures)."""

        def batches(rows: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in rows:
                yield from run(pa.Table.from_batches([batch])).cast(schema).to_batches()

        return frame.mapInArrow(batches, _spark_schema(schema))

    def saved(self, frame: DataFrame, folder: LakePath) -> DataFrame:
        """Write ``frame`` to ``folder`` as Parquet (replacing it) and read it back, so what
        follows reads the written rows instead of computing them again."""
        frame.write.mode("overwrite").parquet(str(folder))
        return self.spark.read.parquet(str(folder))


def _spark_schema(schema: str | pa.Schema) -> Any:
    """Spark's form of an output schema given as DDL or as an Arrow schema."""
    if isinstance(schema, str):
        return schema
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


__all__ = ["SparkLake"]
