"""Opening a Spark session for one scoring run, from the ``spark_master`` setting."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from microscout.errors import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Shuffle partitions on a local master: Spark's default of 200 makes hundreds of tiny tasks on a
# laptop; adaptive execution still merges small ones. A cluster keeps its own configuration.
LOCAL_SHUFFLE_PARTITIONS = 16


@contextlib.contextmanager
def spark_session(master: str, scratch: Path) -> Iterator[SparkSession]:
    """A session on ``master`` ("local[2]", "spark://host:7077", "yarn" …), stopped afterwards.

    ``scratch`` holds Spark's own temporary files. On a local master the driver listens on the
    loopback interface only and the Python workers run this interpreter (its packages and the
    exported text model are then theirs too).
    """
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ConfigError(
            "the Spark engine needs Java 17 or later (Debian: apt-get install "
            "openjdk-17-jre-headless), or JAVA_HOME set"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the Spark engine needs pyspark: pip install 'microscout[spark]'"
        ) from None
    scratch.mkdir(parents=True, exist_ok=True)
    builder = (
        SparkSession.builder.master(master)
        .appName("microscout-score")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # the CLI shows its own progress
        .config("spark.sql.session.timeZone", "UTC")
        # platform values are names; never let Spark guess another type from a folder name
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.warehouse.dir", str(scratch / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch}")
    )
    if master.startswith("local"):
        # The JVM starts the Python workers with this variable's interpreter (a session made
        # from Python ignores spark.pyspark.python); one set by the user wins.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (
            builder.config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.local.dir", str(scratch / "local"))
            .config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


__all__ = ["LOCAL_SHUFFLE_PARTITIONS", "spark_session"]
