"""Benchmark: import and score a large synthetic warehouse, against the same metrics in pandas.

    .venv/bin/python bench/score.py [--creators N] [--posts-per-creator P] [--seed S]
                                    [--skip-pandas] [--check-sample K] [--data-dir DIR]
                                    [--timeout SECONDS] [--min-free-disk-gb GB]

1. generates canonical Parquet files under ``bench/data/`` (reused when the parameters match);
2. imports them into a fresh ``bench/data/bench.duckdb`` with ``services.ingest.import_path``;
3. scores it with ``services.score.score`` under the default settings (4GB, one thread per core);
4. computes the same metrics with pandas from the Parquet files (the baseline);
5. checks both agree on a random sample of creators, prints a table and writes
   ``bench/results/score.json``.

Each of generate, import, score and pandas runs in its own child process, so the peak RSS reported
for a phase is that phase's alone. Exit status: 0 done, 1 the two implementations disagree on a
required metric, 2 a phase failed or was stopped (time limit, disk nearly full from DuckDB
spilling), 3 another run holds ``bench/data``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
from pathlib import Path

from _data import DatasetParams
from _phases import (
    Limits,
    PhaseResult,
    fresh_warehouse_path,
    phase_generate,
    phase_import,
    phase_pandas,
    phase_score,
    run_child,
    write_report,
)
from _report import compare, print_comparison, print_table, summarise, write_json
from rich.console import Console

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"  # the default of --data-dir
RESULTS = HERE / "results" / "score.json"
WAREHOUSE = "bench.duckdb"
PANDAS_OUT = "pandas_scores.parquet"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--posts-per-creator", type=int, default=30)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--comments-per-post", type=float, default=0.1, help="share of posts with a sampled comment"
    )
    parser.add_argument("--skip-pandas", action="store_true", help="no baseline, no check")
    parser.add_argument(
        "--check-sample", type=int, default=1000, help="creators compared; 0 compares all"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DATA,
        help="where the Parquet files and the warehouse go (default bench/data)",
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds before a phase is stopped"
    )
    parser.add_argument(
        "--min-free-disk-gb",
        type=float,
        default=20.0,
        help="stop a phase when DuckDB's spilling leaves less free disk than this",
    )
    # Internal: the parent re-runs this script with --phase to measure each phase on its own.
    parser.add_argument(
        "--phase", choices=["generate", "import", "score", "pandas"], help=argparse.SUPPRESS
    )
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    return args


def dataset_params(args: argparse.Namespace) -> DatasetParams:
    return DatasetParams(
        creators=args.creators,
        posts_per_creator=args.posts_per_creator,
        seed=args.seed,
        comments_per_post=args.comments_per_post,
    )


def run_phase(args: argparse.Namespace) -> None:
    """Inside a child: do one phase and write its report for the parent."""
    assert args.result is not None
    if args.phase == "generate":
        report = phase_generate(args.data_dir, dataset_params(args))
    elif args.phase == "import":
        report = phase_import(args.data_dir, fresh_warehouse_path(args.data_dir))
    elif args.phase == "score":
        report = phase_score(args.data_dir / WAREHOUSE)
    else:
        report = phase_pandas(args.data_dir, args.data_dir / PANDAS_OUT)
    write_report(args.result, report)


def child_args(args: argparse.Namespace) -> list[str]:
    return [
        "--creators",
        str(args.creators),
        "--posts-per-creator",
        str(args.posts_per_creator),
        "--seed",
        str(args.seed),
        "--comments-per-post",
        str(args.comments_per_post),
        "--data-dir",
        str(args.data_dir),
    ]


def run_all(args: argparse.Namespace, console: Console) -> int:
    """The parent: run the phases one child at a time, check, report; the exit status."""
    data = args.data_dir
    limits = Limits(args.timeout, args.min_free_disk_gb, data / f"{WAREHOUSE}.tmp")
    forwarded = child_args(args)
    results: dict[str, PhaseResult] = {}
    loads: dict[str, float] = {}
    for name in ("generate", "import", "score", "pandas"):
        if name == "pandas" and args.skip_pandas:
            continue
        if name == "score" and results["import"].error:
            continue
        console.rule(name)
        load_before = os.getloadavg()[0]
        result = run_child(name, forwarded, data / f"phase_{name}.json", limits)
        results[name] = result
        loads[name] = max(load_before, os.getloadavg()[0])
        console.print(describe(result))
        if name == "generate" and result.error:
            return 2

    figures = summarise(args, results, loads)
    comparison_ok: bool | None = None
    if "pandas" in results and "score" in results and not figures["errors"]:
        console.rule("correctness")
        comparison = compare(data / PANDAS_OUT, data / WAREHOUSE, args.check_sample, args.seed)
        print_comparison(comparison, console)
        comparison_ok = comparison.ok
        figures["correctness"] = comparison.as_dict()
    console.rule("results")
    print_table(figures, console)
    write_json(RESULTS, figures)
    console.print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    if comparison_ok is False:
        console.print(
            "[bold red]pandas and creator_scores DISAGREE[/bold red]: one of the two "
            "implementations is wrong; see the disagreements above."
        )
        return 1
    return 2 if figures["errors"] else 0


def describe(result: PhaseResult) -> str:
    measured = (
        f"peak RSS {result.peak_rss_mb:,.0f} MB, CPU {result.cpu_s:,.1f} s, "
        f"child wall {result.wall_s:,.1f} s"
    )
    if result.peak_spill_gb >= 0.01:
        measured += f", DuckDB spilled up to {result.peak_spill_gb:,.1f} GB"
    if result.error:
        return f"[red]{result.name} FAILED ({result.error})[/red]: {measured}"
    return f"{result.name}: {result.seconds:,.1f} s ({measured})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phase is not None:
        run_phase(args)
        return 0
    console = Console()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    # Two runs sharing bench/data would delete each other's warehouse and spill files.
    with (args.data_dir / ".lock").open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            console.print(
                f"[red]another bench/score.py run (pid {holder}) is using {args.data_dir}; "
                "wait for it to finish[/red]"
            )
            return 3
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        return run_all(args, console)


if __name__ == "__main__":
    sys.exit(main())
