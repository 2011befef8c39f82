"""The benchmark's phases, each run in its own child process so its peak memory is its own.

The parent starts ``score.py --phase NAME`` and reaps it with ``os.wait4``, which returns that one
child's resource usage: ``ru_maxrss`` is then the peak resident memory of exactly that phase
(DuckDB's native allocations included), even when the child dies before it can report anything.
The child writes its timings to a small JSON file the parent reads back.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _data import FILES, Dataset, DatasetParams, existing, generate, write_sidecar

# Creators first: the importer gives posts of unknown creators a minimal row, which a creators
# file imported afterwards would then have to update instead of insert.
IMPORT_ORDER = ("creators", "posts", "follower_snapshots", "comments")
assert set(IMPORT_ORDER) == set(FILES)


@dataclass(frozen=True)
class Limits:
    """When the parent stops a phase: a benchmark must not fill a shared disk or run forever."""

    timeout_s: float
    min_free_disk_gb: float
    spill_dir: Path  # DuckDB's temp folder: bench.duckdb.tmp


@dataclass(frozen=True)
class PhaseResult:
    """What one child reported, plus what the parent measured from outside."""

    name: str
    report: dict[str, Any]  # empty when the phase failed
    peak_rss_mb: float
    cpu_s: float  # user + system, all threads: less sensitive to a busy machine than wall time
    wall_s: float  # including interpreter start and imports
    peak_spill_gb: float
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        """The phase's own timing (without start-up), or None when it failed."""
        return None if self.error else float(self.report["seconds"])


def run_child(name: str, args: list[str], result_file: Path, limits: Limits) -> PhaseResult:
    """Run ``score.py --phase name``, watching disk and time, and measure its peak RSS."""
    result_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).with_name("score.py")), "--phase", name]
    command += [*args, "--result", str(result_file)]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    peak_spill = 0
    stopped: str | None = None
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak_spill = max(peak_spill, _folder_bytes(limits.spill_dir))
        free_gb = shutil.disk_usage(limits.spill_dir.parent).free / 2**30
        elapsed = time.perf_counter() - started
        if stopped is None and free_gb < limits.min_free_disk_gb:
            stopped = f"stopped: only {free_gb:.1f} GB disk left (DuckDB spilling)"
        elif stopped is None and elapsed > limits.timeout_s:
            stopped = f"stopped: still running after {limits.timeout_s:.0f} s"
        if stopped is not None:
            child.terminate()
        time.sleep(0.5)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen.wait
    wall = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
    cpu = usage.ru_utime + usage.ru_stime
    spill_gb = peak_spill / 2**30
    if child.returncode != 0 or stopped is not None:
        # A killed DuckDB leaves its spill files behind; they can be tens of GB.
        shutil.rmtree(limits.spill_dir, ignore_errors=True)
        error = stopped or f"exit code {child.returncode}"
        return PhaseResult(name, {}, peak_mb, cpu, wall, spill_gb, error)
    report: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    return PhaseResult(name, report, peak_mb, cpu, wall, spill_gb)


def _folder_bytes(folder: Path) -> int:
    try:
        return sum(entry.stat().st_size for entry in folder.iterdir() if entry.is_file())
    except OSError:  # absent, or a file vanished while DuckDB cleaned up
        return 0


def write_report(result_file: Path, report: dict[str, Any]) -> None:
    """Called by the child at the end of its phase."""
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {**report, "self_peak_rss_mb": self_peak}
    result_file.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")


# -- the phases (run inside the child) ----------------------------------------------------------
def phase_generate(folder: Path, params: DatasetParams) -> dict[str, Any]:
    """Write the Parquet files unless the sidecar says identical ones are already there."""
    found = existing(folder, params)
    if found is not None:
        return {"reused": True, "rows": found.rows, "seconds": 0.0}
    clock = time.perf_counter()
    rows = generate(folder, params)
    seconds = time.perf_counter() - clock
    write_sidecar(Dataset(folder, params, rows, seconds))
    return {"reused": False, "rows": rows, "seconds": seconds}


def fresh_warehouse_path(folder: Path) -> Path:
    """Delete the previous benchmark warehouse (and its WAL and spill folder)."""
    path = folder / "bench.duckdb"
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    shutil.rmtree(f"{path}.tmp", ignore_errors=True)
    return path


def phase_import(folder: Path, warehouse_path: Path) -> dict[str, Any]:
    """Import every file with the project's importer, one call per file, as a user would."""
    from microscout.bootstrap import open_warehouse
    from microscout.config import load_settings
    from microscout.services.ingest.importer import import_path

    settings = load_settings(warehouse_path=warehouse_path)
    files: dict[str, Any] = {}
    clock = time.perf_counter()
    warehouse = open_warehouse(settings)
    try:
        for name in IMPORT_ORDER:
            step = time.perf_counter()
            summary = import_path(warehouse, folder / f"{name}.parquet")
            files[name] = {
                "seconds": time.perf_counter() - step,
                "format": summary.format,
                "inserted": summary.inserted,
                "updated": summary.updated,
                "rejected": summary.rejected,
                "tables": {t: s.counts.inserted for t, s in summary.tables.items()},
            }
            print(f"  imported {name}: {summary.inserted:,} rows in {files[name]['seconds']:.1f} s")
            if summary.rejected:
                print(
                    f"  ! {summary.rejected:,} rows rejected, e.g. {summary.rejects[0].describe()}"
                )
        counts = {name: warehouse.count(name) for name in IMPORT_ORDER}
    finally:
        warehouse.close()  # the checkpoint on close is part of what an import costs
    return {
        "seconds": time.perf_counter() - clock,
        "files": files,
        "counts": counts,
        **_duckdb_settings(settings.duckdb_memory_limit, settings.duckdb_threads),
    }


def phase_score(warehouse_path: Path) -> dict[str, Any]:
    """Time ``services.score.score`` on the imported warehouse with default settings."""
    from microscout.bootstrap import open_warehouse
    from microscout.config import load_settings
    from microscout.services.scoring.run import metric_params, score

    settings = load_settings(warehouse_path=warehouse_path)
    warehouse = open_warehouse(settings)
    try:
        clock = time.perf_counter()
        run = score(warehouse, metric_params(settings))
        seconds = time.perf_counter() - clock
    finally:
        warehouse.close()
    return {
        "seconds": seconds,
        "run_seconds": run.seconds,
        "run_id": run.run_id,
        "creators": run.creators,
        **_duckdb_settings(settings.duckdb_memory_limit, settings.duckdb_threads),
    }


def phase_pandas(folder: Path, out: Path) -> dict[str, Any]:
    """Time the pandas baseline from reading the Parquet files to one row per creator."""
    from _pandas_metrics import Laps, pandas_scores

    from microscout.config import load_settings
    from microscout.services.scoring.run import metric_params

    params = metric_params(load_settings())
    laps = Laps()
    clock = time.perf_counter()
    scores = pandas_scores(folder, params, laps)
    seconds = time.perf_counter() - clock
    scores.reset_index().to_parquet(out)  # for the correctness check; not part of the timing
    for step, spent in laps.seconds.items():
        print(f"  pandas {step}: {spent:.1f} s")
    return {"seconds": seconds, "creators": len(scores), "steps": laps.seconds}


def _duckdb_settings(memory_limit: str, threads: int | None) -> dict[str, Any]:
    return {"duckdb_memory_limit": memory_limit, "duckdb_threads": threads or os.cpu_count()}
