"""The campaign flow from the command line on the scored demo: plan → campaign → statuses →
links and codes → orders → report with predicted vs actual."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
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


@pytest.fixture
def own_home(scored_demo: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the scored demo this test may write to (it imports the campaign's post)."""
    home = tmp_path / "home"
    shutil.copytree(scored_demo.home, home, ignore=shutil.ignore_patterns("*.lock", "*.sqlite-*"))
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    monkeypatch.setenv("MICROSCOUT_WORKSPACE_URL", f"sqlite:///{tmp_path / 'ws.sqlite'}")
    monkeypatch.delenv("MICROSCOUT_SHOPIFY_SHOP_URL", raising=False)
    return tmp_path


def test_outreach_codes_and_every_results_import_feed_the_report(
    own_home: Path, scored_demo: Settings
) -> None:
    with duckdb.connect(str(scored_demo.warehouse_file), read_only=True) as con:
        row = con.execute(
            "SELECT c.platform, c.handle, c.creator_id FROM creator_scores s JOIN creators c "
            "USING (platform, creator_id) WHERE s.tier = 'micro' ORDER BY c.handle LIMIT 1"
        ).fetchone()
    assert row is not None
    platform, handle, creator_id = row
    made = _run(
        "campaign", "create", "Spring test", "--budget", "1000", "--start", "2026-03-01",
        "--end", "2026-03-31", "--hashtag", "springtest", "--landing-url", "https://b.example/",
        "--json",
    )  # fmt: skip
    campaign = str(json.loads(made[1])["id"])
    assert _run("campaign", "add", campaign, f"{platform}:{handle}")[0] == 0
    code, _, said = _run(
        "campaign", "outreach", campaign, "--out", str(own_home / "mail"), "--sender", "Ana"
    )
    assert code == 0
    assert "1 draft(s)" in said
    assert list((own_home / "mail").glob("*.eml"))
    code, listed, said = _run("campaign", "codes", campaign)
    assert code == 0
    assert "nothing sent" in said
    promo = listed.split()[0]
    assert _run("campaign", "agree", campaign, handle, "--fee", "200")[0] == 0
    assert _run("campaign", "status", campaign, handle, "content_live")[0] == 0
    # the creator's campaign post arrives through an ordinary import
    posts = own_home / "posts.csv"
    posts.write_text(
        "platform,post_id,creator_id,posted_at,caption,hashtags,reach,likes,comments\n"
        f"{platform},spring-1,{creator_id},2026-03-10T12:00:00Z,new favourites #springtest,"
        "springtest,1234,90,10\n",
        encoding="utf-8",
    )
    code, _, said = _run("import", str(posts))
    assert code == 0, said
    (own_home / "orders.csv").write_text(
        f"Name,Created at,Total,Discount Code\n#1,2026-03-12,40.00,{promo}\n", encoding="utf-8"
    )
    assert _run("campaign", "import-orders", campaign, str(own_home / "orders.csv"))[0] == 0
    (own_home / "traffic.csv").write_text(
        f"Session campaign,Session manual ad content,Sessions\nspring-test,{handle},25\n",
        encoding="utf-8",
    )
    assert _run("campaign", "import-sessions", campaign, str(own_home / "traffic.csv"))[0] == 0
    report = json.loads(_run("campaign", "report", campaign, "--json")[1])
    (creator,) = report["creators"]
    assert (creator["posts"], creator["actual_reach"], creator["engagements"]) == (1, 1234, 100)
    assert (creator["orders"], creator["revenue"], creator["sessions"]) == (1, 40.0, 25)
    assert report["totals"]["cpm"] == pytest.approx(200 / 1234 * 1000)
