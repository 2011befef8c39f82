"""The plan's gates applied to its candidates: who may be planned, and who is left out and why.

The rules are :mod:`microscout.core.planning.gates`'s; the thresholds come from the settings
(``plan_min_audience_quality``, ``plan_max_days_since_post``, ``reach_gate``) and the request
(``include_unvetted``). A creator the user includes by name is planned even when it fails a
gate, and the plan says so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from microscout.config import Settings
from microscout.core.planning import GATES, GateFigures, GateRules, gate_failures
from microscout.services.planning.result import ExcludedCreator, GateReport

Key = tuple[str, str]


def gate_rules(settings: Settings, include_unvetted: bool) -> GateRules:
    """The gates' thresholds from the settings and the request."""
    return GateRules(
        min_audience_quality=settings.plan_min_audience_quality,
        max_days_since_post=settings.plan_max_days_since_post,
        reach_gate=settings.reach_gate,
        include_unvetted=include_unvetted,
    )


def figures(row: Mapping[str, Any]) -> GateFigures:
    """What the gates read of one candidate's row (pool or macro figures)."""
    return GateFigures(
        followers=row["followers"],
        verdict=row["authenticity_verdict"],
        audience_quality=row["audience_quality"],
        days_since_last_post=row["days_since_last_post"],
        reach_rate=row["reach_rate"],
        passes_reach_gate=row["passes_reach_gate"],
        red_flags=red_flags(row.get("audience_quality_reasons")),
    )


def red_flags(reasons_json: str | None) -> tuple[str, ...]:
    """The codes of the red flags in a stored ``audience_quality_reasons`` list."""
    if not reasons_json:
        return ()
    return tuple(r["code"] for r in json.loads(reasons_json) if r.get("flag"))


def passes(row: Mapping[str, Any], rules: GateRules) -> bool:
    """Whether a creator passes every gate."""
    return not gate_failures(figures(row), rules)


@dataclass(frozen=True)
class Gated:
    """Candidates split by the gates: those that may be planned (rank order kept), those left
    out, and the notes the split leaves on the plan."""

    kept: list[dict[str, Any]]
    excluded: list[ExcludedCreator]
    report: GateReport
    notes: list[str]


def _excluded(row: Mapping[str, Any], codes: list[str], reasons: list[str]) -> ExcludedCreator:
    followers = row["followers"]
    return ExcludedCreator(
        platform=str(row["platform"]),
        handle=str(row["handle"]),
        followers=None if followers is None else int(followers),
        relevance=round(float(row["relevance"]), 3),
        reasons=reasons,
        codes=codes,
    )


def apply_gates(rows: list[dict[str, Any]], rules: GateRules, forced: Set[Key]) -> Gated:
    """Split ``rows`` by the gates; ``forced`` creators (included by name) stay in whatever they
    fail, unless they have no follower count, which nothing can plan."""
    kept: list[dict[str, Any]] = []
    excluded: list[ExcludedCreator] = []
    anyway: list[str] = []
    notes: list[str] = []
    for row in rows:
        failures = gate_failures(figures(row), rules)
        codes = [f.code for f in failures]
        key = (str(row["platform"]), str(row["creator_id"]))
        if not failures or (key in forced and "no_followers" not in codes):
            kept.append(row)
            if failures:
                anyway.append(f"@{row['handle']}")
                reasons = "; ".join(f.reason for f in failures)
                notes.append(f"@{row['handle']} is in the plan because you included it: {reasons}")
            continue
        excluded.append(_excluded(row, codes, [f.reason for f in failures]))
    counts = Counter(code for creator in excluded for code in creator.codes)
    report = GateReport(
        min_audience_quality=rules.min_audience_quality,
        max_days_since_post=rules.max_days_since_post,
        reach_gate=rules.reach_gate,
        include_unvetted=rules.include_unvetted,
        candidates=len(rows),
        passed=len(kept),
        excluded_by={code: counts[code] for code in GATES if counts[code]},
        included_anyway=anyway,
    )
    return Gated(kept, excluded, report, notes)


def nothing_left(gated: Gated) -> str:
    """Why no candidate is left, naming how many each gate removed."""
    by = ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in gated.report.excluded_by.items())
    return (
        f"all {gated.report.candidates} matching creators fail the plan's gates ({by}); "
        "see the settings plan_min_audience_quality and plan_max_days_since_post, or "
        "include unvetted creators"
    )


__all__ = [
    "Gated",
    "apply_gates",
    "figures",
    "gate_rules",
    "nothing_left",
    "passes",
    "red_flags",
]
