"""The CLI end to end on a small demo workspace: commands, output formats and error messages."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from microscout.adapters.warehouse.migrations import LATEST_VERSION
from microscout.cli import app
from microscout.core.schema import CREATOR_SCORES
from microscout.services.browse.detail import CreatorDetail
from microscout.services.browse.listing import ALL_COLUMNS

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One small scored demo workspace shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MICROSCOUT_HOME", str(path))
        mp.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
        result = runner.invoke(app, ["demo", "--creators", "400", "--seed", "3", "--no-serve"])
        assert result.exit_code == 0, result.output
        assert "micro" in result.stdout
        yield path


@pytest.fixture
def env(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    return home


def test_stats_json_counts_every_creator(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["count"] == 400
    assert sum(stats["by_platform"].values()) == 400
    assert 0 < stats["metrics"]["er_median"]["median"] < 0.5


def test_tier_filter_keeps_only_the_micro_band(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--tier", "micro", "--limit", "500", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert rows
    assert all(10_000 <= r["followers"] < 50_000 for r in rows)


def test_metric_bounds_and_sorting(env: Path) -> None:
    args = ["creators", "--min", "er_median=0.02", "--sort", "er_median", "--ascending", "--json"]
    rows = json.loads(runner.invoke(app, args).stdout)["rows"]
    values = [r["er_median"] for r in rows]
    assert values
    assert min(values) >= 0.02
    assert values == sorted(values)


def test_csv_and_parquet_outputs(env: Path, tmp_path: Path) -> None:
    csv_out = runner.invoke(app, ["creators", "--limit", "5", "--csv"]).stdout.splitlines()
    assert csv_out[0].startswith("platform,handle,followers")
    assert len(csv_out) == 6
    target = tmp_path / "c.parquet"
    assert runner.invoke(app, ["creators", "--limit", "7", "--parquet", str(target)]).exit_code == 0
    assert pq.read_table(target).num_rows == 7


def test_json_carries_every_stored_score_column_and_says_what_the_limit_cut(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--limit", "5", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["total"] == 400
    assert payload["next_offset"] == 5
    assert payload["note"] == "showing 5 of 400 creators; --limit N or --all to see more"
    assert payload["note"] in result.stderr
    assert len(payload["rows"]) == 5
    row = payload["rows"][0]
    assert list(row) == list(ALL_COLUMNS)
    assert {c.name for c in CREATOR_SCORES.columns} <= set(row)
    assert isinstance(row["null_reasons"], list)
    assert row["authenticity_verdict"] in ("ok", "caution", "high risk")
    assert row["fake_follower_ci_low"] <= row["fake_follower_share"] <= row["fake_follower_ci_high"]
    assert row["niche_name"]
    codes = [r["code"] for r in json.loads(row["audience_quality_reasons"])]
    assert row["reason_codes"] == codes


def test_all_lists_every_creator_without_a_note(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--all", "--json", "--columns", "handle"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["rows"]) == payload["total"] == 400
    assert payload["note"] is None
    assert payload["next_offset"] is None
    assert "showing" not in result.stderr


def test_tier_any_keeps_every_tier(env: Path) -> None:
    args = ["creators", "--tier", "any", "--all", "--json", "--columns", "tier"]
    rows = json.loads(runner.invoke(app, args).stdout)["rows"]
    assert len(rows) == 400
    assert {r["tier"] for r in rows} >= {"nano", "micro", "mid"}


def test_csv_joins_null_reasons_and_names_columns_asked_for(env: Path) -> None:
    args = ["creators", "--all", "--columns", "handle,null_reasons,cpe"]
    rows = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["rows"]
    many = next(r for r in rows if len(r["null_reasons"]) >= 2)
    result = runner.invoke(app, [*args, "--csv"])
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == ["handle", "null_reasons", "cpe"]
    cell = next(r["null_reasons"] for r in table if r["handle"] == many["handle"])
    assert cell == "; ".join(many["null_reasons"])
    assert "showing" not in result.stderr


def test_parquet_keeps_every_column_and_null_reasons_as_a_list(env: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.parquet"
    result = runner.invoke(app, ["creators", "--limit", "3", "--parquet", str(target)])
    assert result.exit_code == 0, result.output
    written = pq.read_table(target)
    assert written.column_names == list(ALL_COLUMNS)
    assert pa.types.is_list(written.schema.field("null_reasons").type)
    assert "showing 3 of 400 creators" in result.stderr


def test_an_unknown_column_is_refused_naming_the_choices(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--columns", "handle,charm"])
    assert result.exit_code == 2
    assert "--columns: unknown column 'charm'; choose summary, all or from" in result.stderr


def test_the_table_shows_the_summary_and_the_cut_on_stderr(env: Path) -> None:
    result = runner.invoke(app, ["creators", "--limit", "3"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "audience quality" in result.stdout
    assert "showing 3 of 400 creators; --limit N or --all to see more" in result.stderr


def test_show_prints_every_metric_with_its_sample_size(env: Path) -> None:
    listed = json.loads(runner.invoke(app, ["creators", "--limit", "1", "--json"]).stdout)["rows"]
    handle = listed[0]["handle"]
    result = runner.invoke(app, ["show", "@" + handle.upper()])
    assert result.exit_code == 0, result.output
    for metric in ("er_median", "reach_rate", "posts_per_week", "growth_30d"):
        assert metric in result.stdout
    payload = json.loads(runner.invoke(app, ["show", handle, "--json"]).stdout)
    assert payload["scores"]["handle"] == handle


def test_show_json_is_the_api_detail_beside_the_stored_rows(env: Path) -> None:
    listed = json.loads(runner.invoke(app, ["creators", "--limit", "1", "--json"]).stdout)["rows"]
    handle = listed[0]["handle"]
    payload = json.loads(runner.invoke(app, ["show", handle, "--json"]).stdout)
    assert set(payload) == {*CreatorDetail.model_fields, "creator", "scores"}
    detail = CreatorDetail.model_validate(payload)
    assert detail.handle == handle
    assert detail.scored
    er = next(m for m in detail.metrics if m.name == "er_median")
    assert er.value == payload["scores"]["er_median"]
    assert er.sample_size == payload["scores"]["er_n"]
    assert payload["creator"]["handle"] == handle


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "nobody_at_all_here"], 4, "no creator with handle 'nobody_at_all_here'"),
        (["creators", "--tier", "huge"], 2, "--tier: 'huge' is not one of"),
        (["creators", "--min", "charm=3"], 2, "--min: unknown metric 'charm'"),
        (["creators", "--min", "er_median"], 2, "is not METRIC=NUMBER"),
        (["creators", "--limit", "0"], 2, "--limit: must be at least 1"),
        (["creators", "--sort", "nonsense"], 2, "--sort: unknown column 'nonsense'"),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_code(
    env: Path, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_invalid_settings_exit_5_naming_the_variable(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROSCOUT_WINDOW_DAYS", "-3")
    result = runner.invoke(app, ["score"])
    assert result.exit_code == 5
    assert "MICROSCOUT_WINDOW_DAYS" in result.stderr


def test_doctor_reports_a_healthy_workspace(env: Path) -> None:
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert f"schema v{LATEST_VERSION}" in result.stdout
    assert "up to date" in result.stdout


def test_doctor_fails_on_an_unreachable_workspace_and_never_shows_its_password(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # port 1 on loopback: nothing listens there, so the connection is refused at once
    url = "postgresql+psycopg://scout:hunter2secret@127.0.0.1:1/microscout?connect_timeout=2"
    monkeypatch.setenv("MICROSCOUT_WORKSPACE_URL", url)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1, result.output
    row = next(line for line in result.stdout.splitlines() if "workspace" in line)
    assert "fail" in row
    assert "hunter2secret" not in result.output
    assert "127.0.0.1:1" in result.stdout


def test_import_of_a_missing_file_is_bad_input(env: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.stderr


def test_import_then_score_then_show_a_generic_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "fresh"))
    creators = tmp_path / "creators.csv"
    creators.write_text('Username,#Followers,Country\nlea.cooks,"12,500",DE\n', encoding="utf-8")
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "post_id,username,timestamp,likes,comments,caption\n"
        "p1,lea.cooks,2026-01-02T10:00:00,250,10,Sunday sourdough\n"
        "p2,lea.cooks,2026-01-09T10:00:00,1.2k,40,Lentil soup for a cold week\n",
        encoding="utf-8",
    )
    for path in (creators, posts):
        result = runner.invoke(app, ["import", str(path), "--platform", "instagram"])
        assert result.exit_code == 0, result.output
    assert "not scored yet" in runner.invoke(app, ["creators"]).stderr
    for args in (
        ["creators", "--json"],
        ["creators", "--stats"],
        ["creators", "--stats", "--json"],
    ):
        unscored = runner.invoke(app, args)
        assert unscored.exit_code == 4
        assert unscored.stdout == ""
        assert "1 creator imported but not scored yet: run `microscout score`" in unscored.stderr
    scored = runner.invoke(app, ["score"])
    assert scored.exit_code == 0
    # not a terminal: one line per step when it ends, with its count and seconds
    steps = re.findall(r"^(.+): ([\d,]+) in \d+\.\d s$", scored.stderr, re.MULTILINE)
    assert [name for name, _ in steps] == [
        "metrics",
        "authenticity",
        "embedding creators",
        "niches and search index",
        "fees",
        "creator views",
    ]
    # creators scored at each step; the one micro creator, with its posts, embedded and viewed
    assert set(dict(steps).values()) == {"1"}
    card = json.loads(runner.invoke(app, ["show", "lea.cooks", "--json"]).stdout)
    assert card["scores"]["er_median"] == pytest.approx((260 / 12_500 + 1_240 / 12_500) / 2)
    assert card["scores"]["tier"] == "micro"


def _stored_followers(home: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute("SELECT handle, followers FROM creators").fetchall())


def test_absurd_counts_are_quarantined_by_line_and_column_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "bounds"
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    creators = tmp_path / "creators.csv"
    creators.write_text(
        "Username,#Followers\n"
        "past.int64,9223372036854775808\n"
        "fine.one,12500\n"
        "nine.quintillion,9200000000000000000\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(creators), "--platform", "instagram", "--json"])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    line_two, line_four = json.loads(result.stdout)["rejects"]
    assert "line 2, column '#Followers': count out of range" in line_two
    assert "line 4, column '#Followers'" in line_four
    assert "import_max_followers" in line_four
    assert _stored_followers(home) == {"fine.one": 12_500}


def test_twelve_dot_zero_zero_zero_is_never_twelve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "decimal"
    monkeypatch.setenv("MICROSCOUT_HOME", str(home))
    semicolons = tmp_path / "semicolons.csv"  # ;-separated: "." groups thousands there
    semicolons.write_text("Username;Followers\nlea.cooks;12.000\nmax.runs;1.234.567\n")
    commas = tmp_path / "commas.csv"  # ,-separated: "12.000" could be 12 or 12,000
    commas.write_text("Username,Followers\nana.bakes,12.000\n")
    done = runner.invoke(app, ["import", str(semicolons), "--platform", "instagram"])
    assert done.exit_code == 0, done.output
    refused = runner.invoke(app, ["import", str(commas), "--platform", "instagram", "--json"])
    assert refused.exit_code == 3, refused.output
    [reject] = json.loads(refused.stdout)["rejects"]
    assert "line 2, column 'Followers': ambiguous count '12.000'" in reject
    told = runner.invoke(app, ["import", str(commas), "--platform", "instagram", "--decimal", ","])
    assert told.exit_code == 0, told.output
    assert _stored_followers(home) == {
        "lea.cooks": 12_000,
        "max.runs": 1_234_567,
        "ana.bakes": 12_000,
    }


def test_a_cli_change_is_audited_as_this_machine_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "audited"))
    made = runner.invoke(app, ["shortlist", "create", "Spring drop"])
    assert made.exit_code == 0, made.output
    log = runner.invoke(app, ["audit", "--json"])
    assert log.exit_code == 0, log.output
    [change] = [c for c in json.loads(log.stdout) if c["entity"] == "shortlists"]
    assert (change["actor"], change["origin"], change["action"]) == (
        getpass.getuser(),
        "cli",
        "created",
    )
    assert change["detail"]["name"] == "Spring drop"
    bad = runner.invoke(app, ["audit", "--limit", "0"])
    assert bad.exit_code == 2
    assert "--limit" in bad.stderr
