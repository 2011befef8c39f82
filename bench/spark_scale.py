"""Benchmark: scoring on DuckDB and on Spark at three sizes of the real Kim dataset.

    .venv/bin/python bench/spark_scale.py [--shares 4,2,1] [--master local[2]]

Sizes: a quarter, a half and all of the Kim et al. creators (chosen by a hash of the handle,
with their posts and comments), imported into a fresh home per size and engine. Every figure is
the wall time of the command a user runs, in a child process:

- **duckdb**: ``microscout score``; its steps as it prints them.
- **spark**: ``microscout export --lake``, ``microscout score --engine spark`` (its steps: metrics,
  authenticity, fees, creator documents, embedding creators, niches) and
  ``microscout load-scores`` (the vector index and the creator views, on the serving machine).

Each engine's time per step is fitted against the number of creators on a log-log scale: a
slope of 1 grows linearly, below 1 the step has fixed costs that the size has not outgrown yet.
Peak memory is the largest resident set of the command's whole process tree (Spark's JVM and
Python workers included), sampled every 0.2 s. Prints a table and writes
``bench/results/spark_scale.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from _kim import KIM, bucket, kim_subset
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CLI = Path(sys.executable).parent / "microscout"
STEP = re.compile(r"^(?P<step>[^:\n]+): [\d,]+ in (?P<s>\d+(?:\.\d+)?) s$", re.MULTILINE)
console = Console()


def run(home: Path, master: str, *args: str) -> tuple[float, float, str]:
    """Run one CLI command on ``home``: wall seconds, peak resident MB of its process tree and
    its standard error."""
    env = {
        **os.environ,
        "MICROSCOUT_HOME": str(home),
        "MICROSCOUT_SPARK_MASTER": master,
        "COLUMNS": "200",
    }
    clock = time.perf_counter()
    child = subprocess.Popen(
        [str(CLI), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    process = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
        except psutil.Error:  # a process of the tree ended while it was read
            pass
        time.sleep(0.2)
    _, stderr = child.communicate()
    seconds = time.perf_counter() - clock
    if child.returncode not in (0, 3):  # 3: imported, with rows set aside in quarantine
        sys.exit(f"`microscout {' '.join(args)}` failed ({child.returncode}):\n{stderr}")
    return seconds, peak, stderr


def steps(stderr: str) -> dict[str, float]:
    return {m["step"].strip(): float(m["s"]) for m in STEP.finditer(stderr)}


def in_first_share(share: int, handle: str) -> bool:
    return bucket(handle, share) == 0


def measure(data: Path, home: Path, engine: str, master: str) -> dict[str, Any]:
    """Import ``data`` into a fresh ``home`` and score it on ``engine``."""
    shutil.rmtree(home, ignore_errors=True)
    run(home, master, "import", str(data), "--format", "kim")
    if engine == "duckdb":
        seconds, peak, err = run(home, master, "score")
        return {"total_s": seconds, "peak_mb": peak, "steps": steps(err)}
    lake = home / "lake"
    exported, _, _ = run(home, master, "export", "--lake", str(lake))
    scored, peak, err = run(home, master, "score", "--engine", "spark", "--lake", str(lake))
    loaded, peak_load, err_load = run(home, master, "load-scores", "--lake", str(lake))
    loaded_steps = {f"load: {k}": v for k, v in steps(err_load).items()}
    return {
        "total_s": exported + scored + loaded,
        "export_s": exported,
        "spark_score_s": scored,
        "load_s": loaded,
        "peak_mb": max(peak, peak_load),
        "steps": {"export": exported, **{f"spark: {k}": v for k, v in steps(err).items()}}
        | loaded_steps,
    }


def slopes(sizes: list[int], runs: list[dict[str, Any]]) -> dict[str, float]:
    """Per step (and in total), the slope of log seconds against log creators."""
    names = dict.fromkeys(n for r in runs for n in r["steps"])
    fitted = {}
    for name in [*names, "total_s"]:
        seconds = [r["total_s"] if name == "total_s" else r["steps"].get(name) for r in runs]
        if all(s is not None and s > 0 for s in seconds):
            slope = np.polyfit(np.log(sizes), np.log(np.asarray(seconds, float)), 1)[0]
            fitted[name] = round(float(slope), 2)
    return fitted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", default="4,2,1", help="1/N of the creators per size")
    parser.add_argument("--master", default="local[2]", help="Spark master of the spark runs")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data" / "spark_scale")
    args = parser.parse_args()
    if not (KIM / "influencers.txt").exists():
        sys.exit(f"the Kim dataset is not at {KIM}")
    shares = [int(s) for s in args.shares.split(",")]
    result: dict[str, Any] = {"master": args.master, "cores": os.cpu_count(), "sizes": []}
    runs: dict[str, list[dict[str, Any]]] = {"duckdb": [], "spark": []}
    for share in shares:
        data = args.data_dir / f"kim-1of{share}"
        if share == 1:
            data = KIM
        else:
            shutil.rmtree(data, ignore_errors=True)
            kim_subset(data, functools.partial(in_first_share, share))
        creators = sum(1 for _ in (data / "influencers.txt").open(encoding="utf-8")) - 2
        entry: dict[str, Any] = {"share": f"1/{share}", "creators": creators}
        for engine in ("duckdb", "spark"):
            home = args.data_dir / f"home-{engine}-1of{share}"
            entry[engine] = measure(data, home, engine, args.master)
            runs[engine].append(entry[engine])
            shutil.rmtree(home, ignore_errors=True)
            console.print(f"{creators:,} creators, {engine}: {entry[engine]['total_s']:.1f} s")
        result["sizes"].append(entry)
    sizes = [e["creators"] for e in result["sizes"]]
    result["slopes"] = {engine: slopes(sizes, runs[engine]) for engine in runs}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spark_scale.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    report(result)


def report(result: dict[str, Any]) -> None:
    for engine in ("duckdb", "spark"):
        table = Table(title=f"{engine}: seconds per step ({result['master']} for spark)")
        table.add_column("step")
        for entry in result["sizes"]:
            table.add_column(f"{entry['creators']:,} creators", justify="right")
        table.add_column("log-log slope", justify="right")
        names = dict.fromkeys(n for e in result["sizes"] for n in e[engine]["steps"])
        fitted = result["slopes"][engine]
        for name in names:
            cells = [e[engine]["steps"].get(name) for e in result["sizes"]]
            table.add_row(
                name, *[f"{c:.1f}" if c is not None else "" for c in cells], str(fitted.get(name))
            )
        table.add_row(
            "[b]total[/]",
            *[f"{e[engine]['total_s']:.1f}" for e in result["sizes"]],
            str(fitted.get("total_s")),
        )
        table.add_row("peak MB", *[f"{e[engine]['peak_mb']:.0f}" for e in result["sizes"]], "")
        console.print(table)
    console.print(f"wrote {RESULTS / 'spark_scale.json'}")


if __name__ == "__main__":
    main()
