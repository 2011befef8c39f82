"""The campaign flow from the command line on the scored demo: plan → campaign → statuses →
links and codes → orders → report with predicted vs actual."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microscout.cli import app
from microscout.config import Settings

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def env(scored_demo: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MICROSCOUT_HOME", str(scored_demo.home))
    monkeypatch.setenv("MICROSCOUT_WORKSPACE_URL", f"sqlite:///{tmp_path / 'ws.sqlite'}")
    return tmp_path


def test_the_whole_campaign_flow_from_the_command_line(env: Path) -> None:
    code, _, said = _run(
        "plan", "--brief", "healthy treats for dogs", "--budget", "3000", "--out", str(env / "plan")
    )
    assert code == 0, said
    planned = json.loads((env / "plan" / "plan.json").read_text())["creators"]
    code, made, _ = _run(
        "campaign", "create", "Dogs in spring", "--budget", "3000", "--start", "2025-01-01",
        "--end", "2026-12-31", "--brand", "Woofy", "--landing-url", "https://woofy.example/",
        "--json",
    )  # fmt: skip
    assert code == 0
    campaign = str(json.loads(made)["id"])
    assert _run("campaign", "add", campaign, "--plan", str(env / "plan" / "plan.json"))[0] == 0
    shown = json.loads(_run("campaign", "show", campaign, "--json")[1])["creators"]
    assert [c["handle"] for c in shown] == [c["handle"] for c in planned]
    first = shown[0]["handle"]
    assert _run("campaign", "status", campaign, first, "contacted")[0] == 0
    assert _run("campaign", "status", campaign, first, "paid")[0] == 2  # no agreed fee yet
    assert _run(
        "campaign", "agree", campaign, first, "--fee", "250", "--deliverables", "1 reel",
        "--due", "2026-04-20", "--usage-rights", "=reposting for 14 days",
    )[0] == 0  # fmt: skip
    code, exported, _ = _run("campaign", "agreements", campaign)
    assert code == 0
    (agreed,) = list(csv.DictReader(io.StringIO(exported)))
    assert (agreed["handle"], agreed["fee"], agreed["due_on"]) == (first, "250.0", "2026-04-20")
    assert agreed["usage_rights"] == "'=reposting for 14 days"  # a formula opens as text
    assert "Paid partnership" in agreed["disclosure"] or "paid promotion" in agreed["disclosure"]
    (env / "brief.toml").write_text(
        'goal = "Show the treats in a real walk"\n'
        'audience = "Dog owners in cities"\n'
        'must_mentions = ["grain-free", "made in small batches"]\n'
        'approval = "facts_and_disclosure"\n',
        encoding="utf-8",
    )
    code, sent, said = _run(
        "campaign", "brief", campaign, "--from", str(env / "brief.toml"), "--markdown"
    )
    assert code == 0
    assert "## Yours to decide" in sent
    assert "Disclosure (required)" in sent
    assert "leaves the creative to the creator" in said
    links = json.loads(_run("campaign", "links", campaign, "--json")[1])
    assert all(link["target"].startswith("https://woofy.example/?utm_source=") for link in links)
    orders = env / "orders.csv"
    orders.write_text(
        "Name,Created at,Currency,Total,Discount Code\n"
        f"#1,2026-02-01 10:00:00 +0000,USD,60.00,{links[0]['promo_code']}\n"
        "#2,not a date,USD,10.00,\n",
        encoding="utf-8",
    )
    code, _, said = _run("campaign", "import-orders", campaign, str(orders))
    assert code == 3  # one row kept aside
    assert "1 order(s) imported" in said
    assert "1 rejected" in said
    report = json.loads(_run("campaign", "report", campaign, "--json")[1])
    totals = report["totals"]
    for key in (
        "spend",
        "reach",
        "engagements",
        "clicks",
        "orders",
        "revenue",
        "cpm",
        "cpe",
        "roas",
    ):
        assert key in totals
    assert (totals["spend"], totals["orders"], totals["revenue"]) == (250.0, 1, 60.0)
    assert totals["roas"] == pytest.approx(60 / 250)
    rows = {c["handle"]: c for c in report["creators"]}
    assert rows[first]["status"] == "agreed"
    assert rows[first]["predicted_reach"] == planned[0]["expected_reach"]
    assert "actual_reach" in rows[first]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (
            (
                "campaign",
                "create",
                "X",
                "--budget",
                "10",
                "--start",
                "2026-13-01",
                "--end",
                "2026-12-01",
            ),
            2,
            "--start",
        ),
        (("campaign", "show", "no such campaign"), 4, "no campaign"),
        (("campaign", "add", "1"), 2, "exactly one of --plan, --shortlist or handles"),
    ],
)
def test_bad_campaign_commands_say_what_is_wrong(
    env: Path, args: tuple[str, ...], code: int, says: str
) -> None:
    exit_code, _, said = _run(*args)
    assert exit_code == code
    assert says in said
