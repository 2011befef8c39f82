"""Benchmark of the portfolio planner.

(a) 10,000 candidates with audience sketches -> a plan: seconds from sketches to the greedy plan
    (coordinated points, instance, feasibility, lazy greedy), target <= 2 s.
(b) random instances of 300 candidates: the lazy-greedy answer's gap to the HiGHS optimum,
    (optimum - greedy) / optimum; target median <= 1%, worst <= 3%. When HiGHS stops at its time
    limit the gap is measured against its proven bound (an over-statement of the gap).

Audiences are drawn as in the demo: community pools per (niche, country) shared by that cell's
creators, skewed towards each pool's first members, plus a niche-wide pool. Prints a table and
writes bench/results/plan.json. Run: .venv/bin/python bench/plan.py [--instances 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from microscout.core.audience import build_sketches, coordinated_points, mix64
from microscout.core.planning import (
    Constraints,
    Goal,
    build_instance,
    check_feasible,
    greedy,
    quiet_highs,
    solve_milp,
)

RESULTS = Path(__file__).parent / "results" / "plan.json"


def synthetic(
    rng: np.random.Generator, n: int, sample: int, niches: int = 12, countries: int = 10
) -> dict[str, Any]:
    """Candidates with follower counts, reach rates, fees and audience-id hashes."""
    niche = rng.integers(0, niches, n)
    country = rng.integers(0, countries, n)
    cell = niche * countries + country
    per_cell = np.bincount(cell, minlength=niches * countries)
    cell_pool = np.maximum(3 * sample, 0.3 * per_cell * sample).astype(np.int64)
    niche_pool = np.maximum(3 * sample, 0.15 * np.bincount(niche, minlength=niches) * sample)
    owner = np.repeat(np.arange(n), sample)
    from_niche = rng.random(n * sample) < 0.25
    u = rng.random(n * sample) ** 1.6
    member = np.where(
        from_niche,
        (niche_pool[niche[owner]] * u).astype(np.int64) + 10**9 * (niche[owner] + 1),
        (cell_pool[cell[owner]] * u).astype(np.int64) + 10**7 * (cell[owner] + 1),
    )
    followers = np.exp(rng.uniform(np.log(10_000), np.log(50_000), n))
    er = rng.lognormal(np.log(0.03), 0.5, n)
    fees = np.round(followers / 100 * np.sqrt(np.clip(er / 0.02, 0.5, 2)), 2)
    return {
        "owner": owner,
        "hashes": mix64(member.astype(np.uint64)),
        "followers": followers,
        "reach": rng.uniform(0.08, 0.45, n),
        "real": rng.uniform(0.8, 1.0, n),
        "fees": fees,
        "niche": niche,
    }


def instance_from(data: dict[str, Any], n: int, points: int, replicas: int, sketches: Any = None):  # type: ignore[no-untyped-def]
    if sketches is None:
        sketches = build_sketches(data["owner"], data["hashes"], n, 1024)
    owner, kept = coordinated_points(sketches, points)
    counts = np.bincount(owner, minlength=n).astype(float)
    people = data["followers"] * data["real"] / np.maximum(counts, 1)
    salts = mix64(np.arange(n, dtype=np.uint64) + np.uint64(77))
    return build_instance(
        owner, kept, data["fees"], people, data["reach"], salts, max_posts=3, replicas=replicas
    )


def bench_large(console: Console, n: int = 10_000) -> dict[str, Any]:
    data = synthetic(np.random.default_rng(1), n, sample=200)
    clock = time.perf_counter()
    sketches = build_sketches(data["owner"], data["hashes"], n, 1024)
    sketch_s = time.perf_counter() - clock
    budget = 25_000.0
    runs = []
    for _ in range(3):
        clock = time.perf_counter()
        inst = instance_from(data, n, 128, 4, sketches)
        check_feasible(inst.fees, budget, Constraints())
        plan = greedy(inst, Goal(), budget, Constraints())
        runs.append(time.perf_counter() - clock)
    seconds = statistics.median(runs)
    console.print(
        f"(a) {n:,} candidates, {int(data['owner'].shape[0]):,} audience ids: sketches built in "
        f"{sketch_s:.2f} s; sketches -> plan {seconds:.2f} s (median of 3), "
        f"{int((plan.posts > 0).sum())} creators, reach {plan.value:,.0f}"
    )
    return {
        "candidates": n,
        "seconds": round(seconds, 3),
        "sketch_seconds": round(sketch_s, 3),
        "creators": int((plan.posts > 0).sum()),
        "target_seconds": 2.0,
    }


def bench_gap(
    console: Console, instances: int, objective: str, time_limit: float, n: int = 300
) -> dict[str, Any]:
    gaps, proven, times, rows = [], 0, [], []
    for seed in range(instances):
        rng = np.random.default_rng(1000 + seed)
        data = synthetic(rng, n, sample=100)
        inst = instance_from(data, n, 64, 2)
        budget = float(rng.uniform(0.03, 0.12) * data["fees"].sum())
        goal = Goal(objective, 2)
        found = greedy(inst, goal, budget, Constraints())
        exact = solve_milp(
            inst,
            goal,
            budget,
            Constraints(),
            time_limit=time_limit,
            start=found,
            new_solver=quiet_highs,
        )
        reference = max(exact.value, found.value)
        if not exact.optimal and exact.bound is not None:
            reference = max(reference, exact.bound)
        proven += int(exact.optimal)
        times.append(exact.seconds)
        gaps.append((reference - found.value) / reference if reference > 0 else 0.0)
        rows.append(
            {
                "seed": 1000 + seed,
                "gap": gaps[-1],
                "optimal": exact.optimal,
                "greedy": found.value,
                "exact": exact.value,
                "bound": exact.bound,
                "seconds": round(exact.seconds, 2),
            }
        )
        console.print(
            f"  {objective} #{seed}: gap {gaps[-1]:.2%} "
            f"({'optimal' if exact.optimal else 'vs bound'}, {exact.seconds:.1f} s)"
        )
    proven_gaps = [g for g, r in zip(gaps, rows, strict=True) if r["optimal"]]
    result = {
        "instances": instances,
        "candidates": n,
        "objective": objective,
        "median": float(np.median(gaps)),
        "worst": float(np.max(gaps)),
        "mean": float(np.mean(gaps)),
        "proven_optimal": proven,
        "milp_median_seconds": float(np.median(times)),
        "time_limit": time_limit,
        "worst_proven": max(proven_gaps) if proven_gaps else None,
        "per_instance": rows,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=50)
    parser.add_argument("--frequency-instances", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    console = Console()
    large = bench_large(console)
    gap = bench_gap(console, args.instances, "reach", args.time_limit)
    freq = (
        bench_gap(console, args.frequency_instances, "frequency", args.time_limit)
        if args.frequency_instances > 0
        else None
    )
    table = Table(title="Lazy greedy vs the HiGHS optimum (300 candidates each)")
    for column in (
        "objective",
        "instances",
        "proven optimal",
        "median gap",
        "worst gap",
        "mean gap",
        "HiGHS median s",
        "target",
    ):
        table.add_column(column, justify="left" if column == "objective" else "right")
    for row, target in ((gap, "median ≤ 1%, worst ≤ 3%"), (freq, "—")):
        if row is None:
            continue
        table.add_row(
            row["objective"],
            str(row["instances"]),
            str(row["proven_optimal"]),
            f"{row['median']:.2%}",
            f"{row['worst']:.2%}",
            f"{row['mean']:.2%}",
            f"{row['milp_median_seconds']:.1f}",
            target,
        )
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"large": large, "gap": gap, "gap_frequency": freq}, indent=2), encoding="utf-8"
    )
    console.print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
