"""Checking the pandas baseline against the warehouse, and reporting the figures."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from argparse import Namespace
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import psutil
from _phases import PhaseResult
from rich.console import Console
from rich.table import Table

KEY = ["platform", "creator_id"]
# The metrics the brief requires to agree; the others are checked too, to the same tolerance.
REQUIRED = ("er_median", "er_mean", "er_ci_low", "er_ci_high", "reach_rate", "posts_per_week")
ALSO = (
    "erv_median",
    "comment_like_ratio",
    "share_rate",
    "engagement_cv",
    "sponsored_er_median",
    "organic_er_median",
    "reply_rate",
    "growth_30d",
    "growth_90d",
    "spike_ratio",
    "n_posts_window",
    "er_n",
    "reply_n",
    "snapshots_n",
)
TOLERANCE = 1e-9
SRC = Path(__file__).resolve().parents[1] / "src" / "microscout"

TARGET_SCORE_S = 60.0
TARGET_RSS_MB = 6 * 1024.0
TARGET_SPEEDUP = 10.0


@dataclass(frozen=True)
class Comparison:
    creators: int
    max_abs_diff: dict[str, float]
    null_mismatches: dict[str, int]
    flag_mismatches: int
    examples: list[dict[str, Any]]

    def _agree(self, metric: str) -> bool:
        return self.max_abs_diff[metric] <= TOLERANCE and not self.null_mismatches[metric]

    @property
    def ok(self) -> bool:
        """The metrics the benchmark must get right agree, and every creator is on both sides."""
        rows = not self.null_mismatches["creator rows"]
        return rows and all(self._agree(metric) for metric in REQUIRED)

    @property
    def extras_ok(self) -> bool:
        """The other metrics agree too (a disagreement is reported, but does not fail the run)."""
        return all(self._agree(metric) for metric in ALSO) and not self.flag_mismatches

    def as_dict(self) -> dict[str, Any]:
        return {
            "creators_compared": self.creators,
            "tolerance": TOLERANCE,
            "required": list(REQUIRED),
            "max_abs_diff": self.max_abs_diff,
            "null_mismatches": self.null_mismatches,
            "spike_flag_mismatches": self.flag_mismatches,
            "ok": self.ok,
            "extras_ok": self.extras_ok,
            "disagreements": self.examples,
        }


def compare(pandas_file: Path, warehouse_path: Path, sample: int, seed: int) -> Comparison:
    """Pandas result vs ``creator_scores`` on ``sample`` random creators (0 = every creator)."""
    theirs = pd.read_parquet(pandas_file)
    if 0 < sample < len(theirs):
        theirs = theirs.sample(n=sample, random_state=seed)
    columns = [*REQUIRED, *ALSO, "spike_flag"]
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        con.register("wanted", theirs[KEY])
        ours = con.execute(
            f"SELECT s.platform, s.creator_id, {', '.join('s.' + c for c in columns)} "
            "FROM creator_scores s JOIN wanted w USING (platform, creator_id)"
        ).df()
    both = theirs.merge(ours, on=KEY, how="outer", suffixes=("_pd", "_sql"), indicator=True)
    missing = int((both["_merge"] != "both").sum())
    diffs: dict[str, float] = {}
    nulls: dict[str, int] = {"creator rows": missing}
    worst: list[dict[str, Any]] = []
    for column in (*REQUIRED, *ALSO):
        a = both[f"{column}_pd"].astype("float64")
        b = both[f"{column}_sql"].astype("float64")
        nulls[column] = int((a.isna() != b.isna()).sum())
        gap = (a - b).abs()
        diffs[column] = float(gap.max()) if gap.notna().any() else 0.0
        bad = (gap > TOLERANCE) | (a.isna() != b.isna())
        if bad.any():
            # The worst one: a NULL on one side only counts as infinitely far.
            badness = gap.fillna(np.inf).where(bad, -1.0).to_numpy()
            row = both.iloc[int(np.argmax(badness))]
            worst.append(
                {
                    "metric": column,
                    "platform": row["platform"],
                    "creator_id": row["creator_id"],
                    "pandas": _json_number(row[f"{column}_pd"]),
                    "sql": _json_number(row[f"{column}_sql"]),
                }
            )
    flags_pd = both["spike_flag_pd"].astype("boolean")
    flags_sql = both["spike_flag_sql"].astype("boolean")
    flag_bad = int((flags_pd.fillna(False) != flags_sql.fillna(False)).sum())
    flag_bad += int((flags_pd.isna() != flags_sql.isna()).sum())
    return Comparison(len(both), diffs, nulls, flag_bad, worst)


def summarise(
    args: Namespace, results: Mapping[str, PhaseResult], loads: Mapping[str, float]
) -> dict[str, Any]:
    """The figures for the table and the JSON file; a failed phase leaves its time as None."""
    generated = results["generate"].report
    imported = results["import"].report
    scored = results["score"].report if "score" in results else {}
    score_s = results["score"].seconds if "score" in results else None
    pandas_s = results["pandas"].seconds if "pandas" in results else None
    speedup = pandas_s / score_s if pandas_s is not None and score_s else None
    rss = {name: round(result.peak_rss_mb, 1) for name, result in results.items()}
    peak = max(rss.get("import", 0.0), rss.get("score", 0.0))
    cores = os.cpu_count() or 1
    return {
        "benchmark": "score",
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "creators": args.creators,
        "posts": int(generated["rows"]["posts"]),
        "rows": generated["rows"],
        "seed": args.seed,
        "generate_s": _round(results["generate"].seconds),
        "generate_reused": bool(generated["reused"]),
        "import_s": _round(results["import"].seconds),
        "import_files": imported.get("files"),
        "score_s": _round(score_s),
        "pandas_s": _round(pandas_s),
        "speedup_vs_pandas": _round(speedup),
        "pandas_steps_s": results["pandas"].report.get("steps") if "pandas" in results else None,
        "peak_rss_mb": peak,
        "rss_mb": rss,
        "cpu_s": {name: round(result.cpu_s, 1) for name, result in results.items()},
        "spill_gb": {name: round(result.peak_spill_gb, 2) for name, result in results.items()},
        "load_average": loads,
        "busy_machine": any(load > cores for load in loads.values()),
        "errors": {name: result.error for name, result in results.items() if result.error},
        "duckdb_memory_limit": scored.get(
            "duckdb_memory_limit", imported.get("duckdb_memory_limit")
        ),
        "duckdb_threads": scored.get("duckdb_threads", imported.get("duckdb_threads")),
        # A scoring phase that did not finish fails its targets rather than skipping them.
        "targets": {
            "score_s": "score" in results and score_s is not None and score_s <= TARGET_SCORE_S,
            "peak_rss": peak <= TARGET_RSS_MB,
            "speedup": (
                None
                if "pandas" not in results or results["pandas"].error
                else speedup is not None and speedup >= TARGET_SPEEDUP
            ),
        },
        "machine": machine(),
        "code": code_version(),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def code_version() -> dict[str, Any]:
    """Which scoring and import code produced the figures (the working tree may be uncommitted)."""
    files = sorted((SRC / "core" / "metrics").glob("*.py"))
    files += [SRC / "services" / "score.py", SRC / "services" / "ingest.py"]
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.read_bytes())

    def git(*command: str) -> str:
        done = subprocess.run(
            ["git", *command], cwd=SRC.parents[1], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    return {
        "git_head": git("rev-parse", "--short", "HEAD"),
        "src_modified": bool(git("status", "--porcelain", "src")),
        "metrics_sha256": digest.hexdigest()[:16],
    }


def _json_number(value: Any) -> float | None:
    """NaN and NA as null: ``json`` would otherwise write NaN, which is not JSON."""
    return None if pd.isna(value) else float(value)


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
    }


def _verdict(ok: bool | None) -> str:
    if ok is None:
        return "[dim]n/a[/dim]"
    return "[green]pass[/green]" if ok else "[red]FAIL[/red]"


def print_table(figures: dict[str, Any], console: Console) -> None:
    """The phases with their time and memory, then the targets with pass/fail."""
    phases = Table(title=f"scoring benchmark — {figures['creators']:,} creators")
    for name in ("phase", "rows", "seconds", "CPU s", "peak RSS (MB)", "spill (GB)"):
        phases.add_column(name, justify="left" if name == "phase" else "right")
    rows = figures["rows"]
    posts = f"{figures['posts']:,} posts"
    labels = {
        "generate": ("generate" + (" (reused)" if figures["generate_reused"] else ""), rows),
        "import": ("import", posts),
        "score": ("score (DuckDB)", posts),
        "pandas": ("pandas baseline", posts),
    }
    for phase, (label, count) in labels.items():
        text = f"{sum(count.values()):,}" if isinstance(count, dict) else count
        seconds = figures.get(f"{phase}_s")
        if phase in figures["errors"]:
            shown = "[red]FAILED[/red]"
        elif phase not in figures["rss_mb"]:
            shown = "skipped"
        else:
            shown = f"{seconds:,.1f}"
        phases.add_row(
            label,
            text,
            shown,
            _cell(figures["cpu_s"].get(phase), "{:,.1f}"),
            _cell(figures["rss_mb"].get(phase), "{:,.0f}"),
            _cell(figures["spill_gb"].get(phase), "{:,.1f}"),
        )
    console.print(phases)
    for phase, error in figures["errors"].items():
        console.print(f"[red]{phase} failed: {error}[/red]")

    targets = Table(title="targets")
    for name in ("figure", "value", "target", "result"):
        targets.add_column(name)
    checks = figures["targets"]
    targets.add_row(
        "score_s", _cell(figures["score_s"], "{:,.1f} s"), "≤ 60 s", _verdict(checks["score_s"])
    )
    targets.add_row(
        "peak RSS (import, score)",
        f"{figures['peak_rss_mb']:,.0f} MB",
        "≤ 6,144 MB",
        _verdict(checks["peak_rss"]),
    )
    targets.add_row(
        "speedup vs pandas",
        _cell(figures["speedup_vs_pandas"], "{:.1f}×"),
        "≥ 10×",
        _verdict(checks["speedup"]),
    )
    console.print(targets)
    m = figures["machine"]
    console.print(
        f"machine: {m['cores']} cores, {m['ram_gb']} GB RAM; DuckDB memory_limit "
        f"{figures['duckdb_memory_limit']}, threads {figures['duckdb_threads']}; "
        f"code {figures['code']['git_head']}"
        + (" + uncommitted changes" if figures["code"]["src_modified"] else "")
    )
    if figures["busy_machine"]:
        loads = ", ".join(f"{k} {v:.1f}" for k, v in figures["load_average"].items())
        console.print(
            f"[yellow]the machine was busy (1-minute load average {loads} on {m['cores']} "
            "cores): wall times are inflated; CPU seconds are the steadier figure[/yellow]"
        )


def _cell(value: float | None, template: str) -> str:
    return "—" if value is None else template.format(value)


def print_comparison(comparison: Comparison, console: Console) -> None:
    table = Table(title=f"pandas vs creator_scores on {comparison.creators:,} creators")
    for name in ("metric", "max |Δ|", "NULL mismatches"):
        table.add_column(name)
    for metric, diff in comparison.max_abs_diff.items():
        mark = "" if metric in REQUIRED else " (extra)"
        style = "" if diff <= TOLERANCE and not comparison.null_mismatches[metric] else "[red]"
        table.add_row(
            f"{style}{metric}{mark}", f"{diff:.3g}", str(comparison.null_mismatches[metric])
        )
    table.add_row("spike_flag (extra)", "—", f"{comparison.flag_mismatches} differ")
    console.print(table)
    for example in comparison.examples:
        console.print(f"[red]disagreement[/red]: {example}")
    if comparison.ok and not comparison.extras_ok:
        console.print(
            "[yellow]the required metrics agree; an extra metric above does not — "
            "see which implementation follows docs/metrics.md[/yellow]"
        )


def write_json(path: Path, figures: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
