"""How well microscout tells real audiences from fake ones, on three kinds of evidence.

1. InstaFake (Akyon & Kalfaoglu 2019): stratified 5-fold cross-validation of the rules default and
   the trained model. The trained model's cut-off is chosen *inside* each training fold by its
   own 5-fold cross-validation (nested), so no test row ever shapes it.
2. SRF (held out): the model trained on all of InstaFake and the rules default, applied once to
   SRF's 975 hand-labelled followers. Nothing is fitted, tuned or chosen on SRF.
3. The demo workspace: creators flagged by the audience-quality stage against the problems the
   generator planted, per kind of problem.

Prints one table and writes ``bench/results/authenticity_eval.json``.

    .venv/bin/python bench/authenticity_eval.py [--creators 20000] [--home EXISTING_DEMO_HOME]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from microscout.adapters.models.follower_model import read_labelled
from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.authenticity.followers import Profiles, rule_probability
from microscout.core.authenticity.model import mcc, train

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "authenticity_eval.json"
SRF_MAPPING = {
    "label": "rating",
    "username": "Username",
    "posts": "Number.of.posts",
    "following": "Number.of.people.they.follow",
    "followers": "Number.of.followers",
    "has_picture": "has_profile_picture",
    "is_private": "Private.account",
}
# The reason code that flags each planted problem.
PROBLEM_CODES = {
    "bought_followers": "follower_spike",
    "fake_audience": "fake_followers",
    "engagement_pod": "engagement_pod",
    "inactive": "inactive",
    "low_reach": "low_reach",
}


def classification(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    t, p = y.astype(bool), predicted.astype(bool)
    tp, fp, fn = int(np.sum(t & p)), int(np.sum(~t & p)), int(np.sum(t & ~p))
    real_kept = float(np.mean(~p[~t]))
    caught = float(np.mean(p[t]))
    return {
        "accuracy": float(np.mean(t == p)),
        "balanced_accuracy": (real_kept + caught) / 2,
        "mcc": mcc(t, p),
        "fake_f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "real_kept": real_kept,
        "fakes_caught": caught,
        "n": int(t.shape[0]),
    }


def _subset(p: Profiles, rows: np.ndarray) -> Profiles:
    return Profiles(**{k: getattr(p, k)[rows] for k in Profiles.__dataclass_fields__})


def instafake() -> dict[str, Any]:
    from sklearn.model_selection import StratifiedKFold

    data = read_labelled(DATA / "instafake", "instafake")
    y = data.labels
    rules = rule_probability(data.profiles) >= 0.5
    trained = np.zeros(y.shape[0], dtype=bool)
    thresholds = []
    splitter = StratifiedKFold(5, shuffle=True, random_state=0)
    for fold_train, fold_test in splitter.split(np.zeros(y.shape[0]), y):
        model = train(_subset(data.profiles, fold_train), y[fold_train])
        thresholds.append(model.threshold)
        probs = model.probability(_subset(data.profiles, fold_test))
        trained[fold_test] = probs >= model.threshold
    return {
        "rules": classification(y, rules),
        "trained": {**classification(y, trained), "fold_thresholds": thresholds},
        "all_real": classification(y, np.zeros(y.shape[0], dtype=bool)),
        "published": {"accuracy": 0.96, "source": "Akyon & Kalfaoglu 2019, SMOTE-NC"},
    }


def srf() -> dict[str, Any]:
    source = read_labelled(DATA / "instafake", "instafake")
    model = train(source.profiles, source.labels)  # InstaFake only; threshold from its own CV
    held_out = read_labelled(
        DATA / "srf_fake_followers" / "labelled_1000_inclprivate.csv", "csv", SRF_MAPPING
    )
    y = held_out.labels
    return {
        "rules": classification(y, rule_probability(held_out.profiles) >= 0.5),
        "trained": {
            **classification(y, model.probability(held_out.profiles) >= model.threshold),
            "threshold": model.threshold,
        },
        "published": {
            "real_kept": 0.963,
            "fakes_caught": 0.774,
            "accuracy": 0.944,
            "source": "SRF Data 2017, in-domain random forest, cut-off 0.3",
        },
    }


def _demo_home(creators: int, home: Path | None, workdir: Path) -> tuple[Settings, float]:
    from microscout.bootstrap import Adapters
    from microscout.demo.build import build_demo
    from microscout.services.scoring.run import metric_params, score
    from microscout.services.vetting.stage import authenticity_stage

    if home is not None:
        settings = Settings(home=home)
        stage = authenticity_stage(settings, Adapters(settings).follower_model)
        with Warehouse(settings.warehouse_file) as warehouse:
            params = metric_params(settings)
            started = time.perf_counter()
            score(warehouse, params, (stage,))
            return settings, time.perf_counter() - started
    settings = Settings(home=workdir)
    stage = authenticity_stage(settings, Adapters(settings).follower_model)
    with Warehouse(settings.warehouse_file) as warehouse:
        build_demo(warehouse, creators, 42)
        started = time.perf_counter()
        score(warehouse, metric_params(settings), (stage,))
        return settings, time.perf_counter() - started


def _pr(truth: np.ndarray, flagged: np.ndarray) -> dict[str, float | int]:
    tp = int(np.sum(truth & flagged))
    return {
        "precision": tp / max(1, int(flagged.sum())),
        "recall": tp / max(1, int(truth.sum())),
        "planted": int(truth.sum()),
        "flagged": int(flagged.sum()),
    }


def demo(creators: int, home: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="authenticity-eval-") as tmp:
        settings, seconds = _demo_home(creators, home, Path(tmp))
        with Warehouse(settings.warehouse_file, read_only=True) as warehouse:
            rows = warehouse.fetch_arrow(
                "SELECT g.problems, s.audience_quality_reasons, s.authenticity_verdict "
                "FROM creator_scores s JOIN demo_ground_truth g USING (platform, creator_id)"
            ).to_pylist()
    problems = [set(filter(None, str(r["problems"]).split("|"))) for r in rows]
    flags = [
        {x["code"] for x in json.loads(r["audience_quality_reasons"] or "[]") if x["flag"]}
        for r in rows
    ]
    per_problem = {
        kind: _pr(np.array([kind in p for p in problems]), np.array([code in f for f in flags]))
        for kind, code in PROBLEM_CODES.items()
    }
    overall = _pr(
        np.array([bool(p) for p in problems]),
        np.array([r["authenticity_verdict"] != "ok" for r in rows]),
    )
    return {
        **overall,
        "creators": len(rows),
        "flagged_means": "verdict caution or high risk",
        "stage_seconds": seconds,
        "per_problem": per_problem,
    }


def _row(name: str, m: dict[str, Any], keys: tuple[str, ...]) -> str:
    cells = [f"{m[k]:.1%}" if k != "mcc" else f"{m[k]:.3f}" for k in keys]
    return f"  {name:<34}" + "".join(f"{c:>12}" for c in cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=20_000, help="demo size when building")
    parser.add_argument("--home", type=Path, help="re-score this existing demo workspace instead")
    args = parser.parse_args()

    timed: dict[str, float] = {}

    def run(name: str, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        started = time.perf_counter()
        result = step()
        timed[name] = time.perf_counter() - started
        return result

    results = {
        "instafake": run("instafake", instafake),
        "srf": run("srf", srf),
        "demo": run("demo", lambda: demo(args.creators, args.home)),
    }
    results["seconds"] = timed
    keys = ("accuracy", "balanced_accuracy", "mcc", "fake_f1", "real_kept", "fakes_caught")
    header = "".join(f"{k.replace('_', ' ')[:11]:>12}" for k in keys)
    lines = ["", f"  {'InstaFake, stratified 5-fold CV':<34}{header}"]
    fake = results["instafake"]
    lines.append(_row("rules default", fake["rules"], keys))
    lines.append(_row("trained model (nested threshold)", fake["trained"], keys))
    lines.append(_row("everything real", fake["all_real"], keys))
    lines.append(f"  {'paper (SMOTE-NC)':<34}{'96.0%':>12}{'—':>12}" + f"{'—':>12}" * 4)
    lines += ["", f"  {'SRF, held out (trained on InstaFake)':<34}{header}"]
    s = results["srf"]
    lines.append(_row("rules default", s["rules"], keys))
    lines.append(
        _row(f"trained model (cut-off {s['trained']['threshold']:.3f})", s["trained"], keys)
    )
    lines.append(
        f"  {'SRF in-domain forest (published)':<34}{'94.4%':>12}"
        + f"{'—':>12}" * 3
        + f"{'96.3%':>12}{'77.4%':>12}"
    )
    d = results["demo"]
    lines += ["", f"  Demo workspace ({d['creators']:,} creators): planted problem → flag"]
    lines.append(f"  {'problem':<34}{'precision':>12}{'recall':>12}{'planted':>12}{'flagged':>12}")
    for kind, m in d["per_problem"].items():
        lines.append(
            f"  {kind:<34}{m['precision']:>12.3f}{m['recall']:>12.3f}"
            f"{m['planted']:>12,}{m['flagged']:>12,}"
        )
    lines.append(
        f"  {'any problem → caution/high risk':<34}{d['precision']:>12.3f}{d['recall']:>12.3f}"
        f"{d['planted']:>12,}{d['flagged']:>12,}"
    )
    lines.append("\n  seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timed.items()))
    print("\n".join(lines))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\n  wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
