"""Plans a brand would sign: the gates, the coordination cost and the macro comparison in words.

The warehouse is test_plan.py's (six skincare creators and a macro one, all passing the gates)
plus six skincare creators that each fail one gate.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.errors import ParameterError
from microscout.services.planning.candidates import keyword_candidates
from microscout.services.planning.plan import PlanRequest
from microscout.services.planning.plan import plan as make_plan
from microscout.services.planning.result import Plan
from tests.integration.test_plan import CREATORS_SPEC, _app, load_warehouse

FAILING: dict[str, dict[str, Any]] = {
    "risky": {"authenticity_verdict": "high risk", "audience_quality": 40.0},
    "meh": {"authenticity_verdict": "caution", "audience_quality": 70.0},
    "ghost": {"authenticity_verdict": "not vetted", "audience_quality": None},
    "sleepy": {"days_since_last_post": 150.0},
    "weak": {"passes_reach_gate": False, "reach_rate": 0.05},
    # 75/100 is the "ok" line, but the points were lost to a pod's comments
    "podded": {
        "authenticity_verdict": "ok",
        "audience_quality": 75.0,
        "audience_quality_reasons": json.dumps(
            [{"code": "engagement_pod", "points": -25, "flag": True, "message": "", "evidence": {}}]
        ),
    },
}
EXPECTED = {
    "risky": ["high_risk"],
    "meh": ["low_quality"],
    "ghost": ["unvetted"],
    "sleepy": ["inactive"],
    "weak": ["reach_gate"],
    "podded": ["faked_engagement"],
}
SPEC = CREATORS_SPEC + [(h, 30_000, 0.06, 100.0, "micro") for h in FAILING]


@pytest.fixture
def gated(tmp_path: Path) -> Iterator[tuple[Warehouse, Settings]]:
    settings = Settings(
        home=tmp_path / "home",
        plan_max_posts=1,
        duckdb_threads=2,
        plan_candidates="keyword",
        plan_coordination_cost=0,
    )
    load_warehouse(settings.warehouse_file, SPEC, FAILING)
    wh = Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2)
    yield wh, settings
    wh.close()


def plan(wh: Warehouse, settings: Settings, request: PlanRequest) -> Plan:
    return make_plan(wh, settings, request, keyword_candidates)


def test_no_creator_failing_a_gate_is_planned_and_each_is_listed_with_its_reason(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=5_000))
    chosen = {c.handle for c in result.creators}
    assert chosen == {"aa", "bb", "cc", "dd", "ee"}  # the budget buys every passing creator
    listed = {c.handle: c.codes for c in result.excluded}
    assert listed == EXPECTED
    reasons = {c.handle: c.reasons[0] for c in result.excluded}
    assert reasons["risky"] == "high risk by the vet (audience quality 40/100)"
    assert "150 days ago" in reasons["sleepy"]
    assert "5.0%" in reasons["weak"]
    assert result.gates is not None
    assert result.gates.excluded_by == {
        "high_risk": 1,
        "faked_engagement": 1,
        "unvetted": 1,
        "low_quality": 1,
        "inactive": 1,
        "reach_gate": 1,
    }
    assert "engagement pod" in reasons["podded"]
    assert (result.gates.candidates, result.gates.passed) == (11, 5)
    assert any("6 of 11 matching creators left out" in note for note in result.notes)


def test_unvetted_creators_are_planned_only_when_asked(gated: tuple[Warehouse, Settings]) -> None:
    wh, settings = gated
    asked = plan(wh, settings, PlanRequest(brief="skincare", budget=5_000, include_unvetted=True))
    assert "ghost" in {c.handle for c in asked.creators}
    assert "ghost" not in {c.handle for c in asked.excluded}
    ghost = next(c for c in asked.creators if c.handle == "ghost")
    assert ghost.audience_quality is None


def test_a_creator_included_by_name_is_planned_despite_a_gate_and_the_plan_says_so(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=5_000, include=("@risky",)))
    assert "risky" in {c.handle for c in result.creators}
    assert "risky" not in {c.handle for c in result.excluded}
    assert result.gates is not None
    assert result.gates.included_anyway == ["@risky"]
    assert any(n.startswith("@risky is in the plan because you included it") for n in result.notes)


def test_when_every_match_fails_a_gate_the_error_counts_them_by_gate(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    with pytest.raises(ParameterError, match="fail the plan's gates") as caught:
        plan(
            wh,
            settings,
            PlanRequest(brief="skincare", budget=5_000, exclude=("aa", "bb", "cc", "dd", "ee")),
        )
    assert caught.value.name == "--brief"


def test_the_coordination_cost_counts_against_the_budget_and_shrinks_the_team(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    request = PlanRequest(brief="skincare", budget=400)
    free = plan(wh, settings, request)
    costly = plan(wh, settings.model_copy(update={"plan_coordination_cost": 100.0}), request)
    assert free.totals.creators == 4
    assert costly.totals.creators == 2  # $100 fee + $100 coordination each
    assert costly.totals.cost == 400.0
    assert (costly.totals.fees, costly.totals.coordination) == (200.0, 200.0)
    assert costly.request.coordination_cost == 100.0
    assert all(c.coordination == 100.0 for c in costly.creators)
    assert costly.totals.cpe == pytest.approx(400.0 / costly.totals.expected_engagements)


def test_engaged_is_the_default_objective_and_counts_real_people_who_engage(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=200))
    assert result.request.objective == "engaged"
    # @aa and @cc: 20,000 followers each, all real, reach 50%, er 5% and 3%: one post engages
    # 20,000 x er people (reach x engaged share = 20,000 x 0.5 x er / 0.5).
    engaged = {c.handle: c.engaged_people for c in result.creators}
    assert engaged == {"aa": 1_000, "cc": 600}
    assert result.totals.engaged_people == pytest.approx(1_600, rel=0.15)
    assert result.totals.objective_value == result.totals.engaged_people


def test_the_macro_comparison_says_in_words_what_the_plan_wins_and_loses(
    gated: tuple[Warehouse, Settings],
) -> None:
    wh, settings = gated
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=3_500))
    versus = result.comparisons.versus_macro
    assert versus is not None
    assert versus.handle == "bigskin"
    measures = {m.name: m for m in versus.measures}
    assert list(measures) == [
        "unique reach",
        "engaged people",
        "engagements",
        "CPE",
        "audience quality",
    ]
    # @bigskin: 600,000 followers x 50% reach for $3,000; the plan spends $500 on 5 creators.
    assert measures["unique reach"].winner == "macro"
    assert measures["unique reach"].macro == 300_000
    assert measures["CPE"].winner == "plan"  # $500 / 2,800 against $3,000 / 12,000
    assert measures["audience quality"].winner == "even"
    assert versus.loses == ["unique reach", "engaged people", "engagements"]
    assert versus.wins == ["CPE"]
    assert "@bigskin" in versus.summary
    assert "wins on CPE (29% lower)" in versus.summary
    assert "loses on unique reach (88% fewer)" in versus.summary
    assert "by the same fee model" in versus.summary
    assert versus.summary.endswith("Even on audience quality.")


def test_a_macro_creator_failing_the_gates_is_not_the_comparison(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path / "home", plan_max_posts=1, duckdb_threads=2, plan_candidates="keyword"
    )
    risky_macro = {"bigskin": {"authenticity_verdict": "high risk", "audience_quality": 30.0}}
    load_warehouse(settings.warehouse_file, CREATORS_SPEC, risky_macro)
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        result = plan(wh, settings, PlanRequest(brief="skincare", budget=3_500))
    assert result.comparisons.macro is None
    assert result.comparisons.versus_macro is None


def test_the_command_lists_every_excluded_creator_and_writes_excluded_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    load_warehouse(home / "warehouse.duckdb", SPEC, FAILING)
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    monkeypatch.setenv("MICROSCOUT_PLAN_CANDIDATES", "keyword")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(), ["plan", "--brief", "skincare", "--budget", "3500", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())
    assert "Left out by the gates: 6 of 11" in words
    for handle in FAILING:
        assert f"@{handle}" in words
    assert "high risk by the vet (audience quality 40/100)" in words
    assert "Against one macro creator, @bigskin" in words
    assert "(fees $" in words  # the default coordination cost is counted and shown
    with (out / "excluded.csv").open(encoding="utf-8") as listing:
        rows = list(csv.DictReader(listing))
    assert {r["handle"]: r["codes"] for r in rows} == {h: c[0] for h, c in EXPECTED.items()}
