"""The plan service and command on a small warehouse whose best plan is known by construction.

Six skincare creators on Instagram: @aa and @bb rank highest but share 95% of their audience;
@cc has an audience of its own; @dd has no audience sample but commenters; @ee has neither (the
model estimate); @bigskin is a macro creator. A budget for two creators should buy @aa or @bb plus
@cc, not the overlapping top two of the ranked list.

Every creator passes the plan's gates (vetted "ok", audience quality 90, a post 3 days ago, the
reach gate passed), and the fixtures set the coordination cost to 0, so these tests see the
solver and the figures alone; test_plan_gates.py tests the gates and the coordination cost.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.schema import AUDIENCE_SAMPLES, COMMENTS, CREATOR_SCORES, CREATORS
from microscout.errors import NotFoundError, ParameterError
from microscout.services.planning.candidates import keyword_candidates
from microscout.services.planning.plan import PlanRequest
from microscout.services.planning.plan import plan as make_plan
from microscout.services.planning.result import Plan
from tests.scoring_data import arrow_rows

CREATORS_SPEC = [
    # handle, followers, er, fee, tier
    ("aa", 20_000, 0.050, 100.0, "micro"),
    ("bb", 20_000, 0.045, 100.0, "micro"),
    ("cc", 20_000, 0.030, 100.0, "micro"),
    ("dd", 10_000, 0.020, 100.0, "micro"),
    ("ee", 10_000, 0.010, 100.0, "micro"),
    ("gamer", 20_000, 0.090, 100.0, "micro"),
    ("bigskin", 600_000, 0.020, 3_000.0, "macro"),
]


def _audience(handle: str) -> range:
    ranges = {
        "aa": range(0, 200),
        "bb": range(10, 210),  # 190 of 200 shared with @aa
        "cc": range(1000, 1200),
        "gamer": range(5000, 5200),
        "bigskin": range(9000, 9200),
    }
    return ranges.get(handle, range(0))


# What the plan's gates read, set so that every creator passes them.
PASSING = {"audience_quality": 90.0, "authenticity_verdict": "ok", "days_since_last_post": 3.0}


def load_warehouse(
    path: Path,
    spec: list[tuple[str, int, float, float, str]] = CREATORS_SPEC,
    scored: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """The warehouse above; ``scored`` overrides score columns by handle (extra ``spec`` rows
    are skincare creators without an audience sample)."""
    creators, scores, audience, comments = [], [], [], []
    for handle, followers, er, fee, tier in spec:
        niche = "680" if handle == "gamer" else "559"
        bio = "gaming streams" if handle == "gamer" else "skincare for sensitive skin"
        key = {"platform": "instagram", "creator_id": f"id_{handle}"}
        creators.append(
            {
                **key,
                "handle": handle,
                "followers": followers,
                "country": "US",
                "niches": niche,
                "bio": bio,
            }
        )
        scores.append(
            {
                **key,
                "handle": handle,
                "followers": followers,
                "tier": tier,
                "er_median": er,
                "reach_rate": 0.5,
                "passes_reach_gate": True,
                "fee_per_post": fee,
                "fee_basis": "test",
                **PASSING,
                **(scored or {}).get(handle, {}),
            }
        )
        audience += [{**key, "follower_id": f"f{i}"} for i in _audience(handle)]
    for i in range(150):
        comments.append(
            {
                "platform": "instagram",
                "creator_id": "id_dd",
                "post_id": "p1",
                "comment_id": f"c{i}",
                "author": f"fan{i}",
            }
        )
    with Warehouse(path, memory_limit="1GB", threads=2) as wh, wh.transaction():
        wh.append(CREATORS, arrow_rows(CREATORS, creators))
        wh.append(CREATOR_SCORES, arrow_rows(CREATOR_SCORES, scores))
        wh.append(AUDIENCE_SAMPLES, arrow_rows(AUDIENCE_SAMPLES, audience))
        wh.append(COMMENTS, arrow_rows(COMMENTS, comments))


@pytest.fixture
def planned(tmp_path: Path) -> Iterator[tuple[Warehouse, Settings]]:
    # The planner's logic on a hand-built warehouse: candidates from the keyword matcher, whose
    # ranking is known here; semantic candidates are tested with search (test_search.py).
    settings = Settings(
        home=tmp_path / "home",
        plan_max_posts=1,
        duckdb_threads=2,
        plan_candidates="keyword",
        plan_coordination_cost=0,
    )
    load_warehouse(settings.warehouse_file)
    wh = Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2)
    yield wh, settings
    wh.close()


def plan(wh: Warehouse, settings: Settings, request: PlanRequest) -> Plan:
    """The plan service with the keyword matcher as its candidate source."""
    return make_plan(wh, settings, request, keyword_candidates)


def test_plan_picks_creators_who_do_not_share_an_audience_over_the_top_two(
    planned: tuple[Warehouse, Settings],
) -> None:
    wh, settings = planned
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=200))
    chosen = {c.handle for c in result.creators}
    assert "cc" in chosen
    assert len(chosen & {"aa", "bb"}) == 1
    top = result.comparisons.ranked_top
    assert top.creators == ["aa", "bb"]
    assert result.totals.unique_reach > top.unique_reach
    assert result.totals.audience_duplication < top.audience_duplication  # type: ignore[operator]
    assert "gamer" not in {c.handle for c in result.creators}
    assert result.totals.cost == 200.0
    assert result.solver.exact_status == "Optimal"
    assert result.solver.greedy_gap == pytest.approx(0.0, abs=1e-9)


def test_plan_totals_add_up_to_the_creators_figures(planned: tuple[Warehouse, Settings]) -> None:
    wh, settings = planned
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=200))
    t = result.totals
    assert t.expected_engagements == sum(c.expected_engagements for c in result.creators)  # type: ignore[misc]
    assert t.cpm == pytest.approx(t.cost / t.unique_reach * 1000, rel=1e-3)
    assert t.cpe == pytest.approx(t.cost / t.expected_engagements)
    # Two disjoint audiences of 20,000 x 0.5 reached once: about 20,000 people in total.
    assert t.unique_reach == pytest.approx(20_000, rel=0.15)
    assert [p.budget for p in result.frontier] == [100.0, 150.0, 200.0, 300.0, 400.0]


def test_creators_without_samples_use_commenters_then_the_labelled_model_estimate(
    planned: tuple[Warehouse, Settings],
) -> None:
    wh, settings = planned
    result = plan(
        wh, settings, PlanRequest(brief="skincare", budget=300, include=("@dd", "instagram:ee"))
    )
    basis = {c.handle: c.overlap_basis for c in result.creators}
    assert basis["dd"] == "commenters"
    assert basis["ee"] == "model estimate"
    assert any("model estimate" in note for note in result.notes)


def test_quotes_replace_the_model_fee(planned: tuple[Warehouse, Settings]) -> None:
    wh, settings = planned
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=120, quotes={"cc": 20.0}))
    fees = {c.handle: (c.fee_per_post, c.fee_basis) for c in result.creators}
    assert fees["cc"] == (20.0, "quote")


def test_the_macro_comparison_buys_what_the_budget_allows_of_one_macro_creator(
    planned: tuple[Warehouse, Settings],
) -> None:
    wh, settings = planned
    result = plan(wh, settings, PlanRequest(brief="skincare", budget=3_500))
    macro = result.comparisons.macro
    assert macro is not None
    assert macro.handle == "bigskin"
    assert macro.posts == 1
    assert macro.cost == 3_000.0
    assert macro.unique_reach == 300_000  # 600,000 x 0.5, all counted real
    assert plan(wh, settings, PlanRequest(brief="skincare", budget=200)).comparisons.macro is None


@pytest.mark.parametrize(
    ("request_", "option"),
    [
        (PlanRequest(brief="skincare", budget=50), "--budget"),
        (PlanRequest(brief="skincare", budget=500, min_creators=6), "--min-creators"),
        (
            PlanRequest(brief="skincare", budget=500, min_creators=3, max_creators=2),
            "--min-creators",
        ),
        (PlanRequest(brief="skincare", budget=500, include=("aa",), exclude=("aa",)), "--include"),
        (PlanRequest(brief="skincare", budget=500, objective="clicks"), "--objective"),  # type: ignore[arg-type]
        (PlanRequest(brief="knitting", budget=500), "--brief"),
        (
            PlanRequest(brief="skincare", budget=500, min_creators=2, max_per_country=1),
            "--max-per-country",
        ),
    ],
)
def test_impossible_requests_say_which_constraint_cannot_be_met(
    planned: tuple[Warehouse, Settings], request_: PlanRequest, option: str
) -> None:
    wh, settings = planned
    with pytest.raises(ParameterError) as caught:
        plan(wh, settings, request_)
    assert caught.value.name == option


def test_an_unknown_handle_to_include_is_not_found(planned: tuple[Warehouse, Settings]) -> None:
    wh, settings = planned
    with pytest.raises(NotFoundError, match="@nobody"):
        plan(wh, settings, PlanRequest(brief="skincare", budget=500, include=("nobody",)))


def _app() -> typer.Typer:
    from microscout.cli.plan import plan as plan_command

    app = typer.Typer()
    app.command()(plan_command)
    app.command("noop")(lambda: None)  # two commands keep `plan` a sub-command
    return app


def test_the_plan_command_prints_the_plan_and_writes_json_csv_png_and_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    load_warehouse(home / "warehouse.duckdb")
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    monkeypatch.setenv("MICROSCOUT_PLAN_CANDIDATES", "keyword")
    monkeypatch.setenv("MICROSCOUT_PLAN_MAX_POSTS", "1")
    monkeypatch.setenv("MICROSCOUT_PLAN_COORDINATION_COST", "0")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(), ["plan", "--brief", "skincare", "--budget", "200", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "@cc" in result.output
    assert "no single-macro comparison" in result.output
    # the plan and the ranked top each show their overlap, so the two can be compared
    words = " ".join(result.output.split())  # Rich wraps long lines at the terminal width
    assert words.count("mean pairwise Jaccard") == 2
    assert "vs the top" in words
    for name in ("plan.json", "plan.csv", "frontier.png", "frontier.html"):
        assert (out / name).stat().st_size > 0
    assert (out / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "frontier.html").read_text()
    assert "data:image/png;base64," in page
    assert "http" not in page.replace("http-equiv", "")
    assert (out / "plan.csv").read_text().splitlines()[0].startswith("platform,handle")


def test_the_plan_command_explains_an_impossible_budget_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    load_warehouse(home / "warehouse.duckdb")
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    monkeypatch.setenv("MICROSCOUT_PLAN_CANDIDATES", "keyword")
    result = CliRunner().invoke(
        _app(), ["plan", "--brief", "skincare", "--budget", "10", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "--budget" in result.output
    assert "cheapest $100" in result.output
    assert "Traceback" not in result.output
