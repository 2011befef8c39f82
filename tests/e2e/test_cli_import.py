"""`microscout import` and `quarantine` end to end: link warnings, skips, refusals, listings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microscout.cli import app

runner = CliRunner()
POSTS = "platform,post_id,username\ninstagram,p1,ana\ntiktok,v1,mia\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace holding two posts, one on instagram and one on tiktok."""
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
    posts = tmp_path / "posts.csv"
    posts.write_text(POSTS, encoding="utf-8")
    result = runner.invoke(app, ["import", str(posts)])
    assert result.exit_code == 0, result.output
    return tmp_path


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_canonical_comments_import_with_every_comment_linked(home: Path) -> None:
    path = _write(
        home, "comments.csv", "comment_id,post_id,author,text\nc1,p1,zoe,hi\nc2,v1,max,yo\n"
    )
    result = runner.invoke(app, ["import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["tables"]["comments"]["inserted"] == 2
    assert (summary["rejected"], summary["warnings"], summary["skipped"]) == (0, [], [])


def test_comments_whose_post_is_missing_warn_with_counts_and_lines(home: Path) -> None:
    path = _write(home, "comments.csv", "comment_id,post_id,author\nc1,p1,zoe\nc2,gone,max\n")
    result = runner.invoke(app, ["import", str(path), "--platform", "instagram", "--json"])
    assert result.exit_code == 0, result.output
    (warning,) = json.loads(result.stdout)["warnings"]
    assert (warning["table"], warning["links_to"], warning["rows"], warning["lines"]) == (
        "comments",
        "posts",
        1,
        [3],
    )
    again = runner.invoke(app, ["import", str(path), "--platform", "instagram"])
    assert again.exit_code == 0, again.output
    assert "warning: 1 comments row of" in again.stderr
    assert "link to no stored post (line 3)" in again.stderr


def test_platform_contradicting_the_stored_posts_exits_2_naming_lines(home: Path) -> None:
    path = _write(home, "comments.csv", "comment_id,post_id,author\nc1,p1,zoe\nc2,v1,max\n")
    result = runner.invoke(app, ["import", str(path), "--platform", "instagram"])
    assert result.exit_code == 2
    assert "error: --platform:" in result.stderr
    assert "line 3 (post 'v1' is stored on tiktok)" in result.stderr
    listed = json.loads(runner.invoke(app, ["quarantine", "--json"]).stdout)
    assert listed == {"total": 0, "rows": []}


def test_a_folder_names_the_file_it_skipped(home: Path) -> None:
    folder = home / "world"
    folder.mkdir()
    _write(folder, "creators.csv", "platform,handle,followers\ninstagram,ana,100\n")
    _write(folder, "truth.csv", "handle,platform,true_niche\nana,instagram,IAB1\n")
    result = runner.invoke(app, ["import", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    (skipped,) = json.loads(result.stdout)["skipped"]
    assert skipped["file"] == str(folder / "truth.csv")
    assert "true_niche" in skipped["reason"]
    text = runner.invoke(app, ["import", str(folder)])
    assert "skipped: " in text.stderr
    assert "truth.csv" in text.stderr


def test_quarantine_lists_rejected_rows_with_file_line_column_and_reason(home: Path) -> None:
    path = _write(
        home,
        "comments.csv",
        "comment_id,post_id,author,likes\nc1,p1,zoe,-2\nc2,nope,max,1\nc3,v1,lou,x\n",
    )
    imported = runner.invoke(app, ["import", str(path), "--json"])
    assert imported.exit_code == 3, imported.output
    import_id = json.loads(imported.stdout)["import_id"]
    listed = json.loads(runner.invoke(app, ["quarantine", "--json"]).stdout)
    assert listed["total"] == 3
    assert [
        (r["source_file"], r["line"], r["column_name"], r["target_table"]) for r in listed["rows"]
    ] == [
        (str(path), 2, "likes", "comments"),
        (str(path), 3, "post_id", "comments"),
        (str(path), 4, "likes", "comments"),
    ]
    assert "post 'nope' is not in the warehouse" in listed["rows"][1]["reason"]
    assert json.loads(listed["rows"][0]["raw"])["likes"] == "-2"
    assert {r["import_id"] for r in listed["rows"]} == {import_id}
    table = runner.invoke(app, ["quarantine", "--import-id", import_id, "--limit", "2"])
    assert table.exit_code == 0, table.output
    assert "3 rejected rows (the first 2; raise --limit for more)" in table.stdout
    assert f"{path}, line 2, column 'likes': negative count '-2' (comments; import " in table.stdout
    assert "line 4" not in table.stdout


def test_quarantine_of_an_unknown_import_exits_4(home: Path) -> None:
    result = runner.invoke(app, ["quarantine", "--import-id", "nope"])
    assert result.exit_code == 4
    assert "no import with id 'nope'" in result.stderr


def test_quarantine_says_when_nothing_was_rejected(home: Path) -> None:
    result = runner.invoke(app, ["quarantine"])
    assert result.exit_code == 0, result.output
    assert "no rejected rows" in result.stderr


def test_a_reimport_lists_its_rejects_under_its_own_import_id(home: Path) -> None:
    path = _write(home, "comments.csv", "comment_id,post_id,author\nc1,nope,zoe\n")
    runner.invoke(app, ["import", str(path)])
    again = runner.invoke(app, ["import", str(path), "--json"])
    assert again.exit_code == 3, again.output
    import_id = json.loads(again.stdout)["import_id"]
    listed = json.loads(
        runner.invoke(app, ["quarantine", "--import-id", import_id, "--json"]).stdout
    )
    assert listed["total"] == 1
    assert listed["rows"][0]["line"] == 2
