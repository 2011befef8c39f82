"""The shortlists service (and its CLI) on real workspace stores — a SQLite file and a PostgreSQL
database — beside a real scored demo warehouse."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.cli.shortlists import shortlist_app
from microscout.config import Settings
from microscout.demo.build import build_demo
from microscout.errors import NotFoundError, ParameterError, StoreError
from microscout.services import shortlists as sl
from microscout.services.scoring.run import metric_params, score
from tests import workspace_stores

postgres_server = workspace_stores.postgres_server
workspace_url = workspace_stores.workspace_url

FIGURES = (
    "followers",
    "tier",
    "er_median",
    "reach_rate",
    "audience_quality",
    "authenticity_verdict",
    "fee_per_post",
)


@dataclass(frozen=True)
class Demo:
    home: Path
    settings: Settings
    handles: tuple[str, ...]  # five scored creators, each handle on one platform only


def _open(settings: Settings, read_only: bool = True) -> Warehouse:
    return Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2, read_only=read_only)


def _scored_demo(home: Path) -> Demo:
    settings = Settings(home=home, duckdb_memory_limit="1GB", duckdb_threads=2)
    with _open(settings, read_only=False) as warehouse:
        build_demo(warehouse, 300, seed=3)
        score(warehouse, metric_params(settings), [])
        rows = warehouse.fetch_arrow(
            "SELECT handle FROM creator_scores WHERE tier = 'micro' AND lower(handle) IN "
            "(SELECT lower(handle) FROM creators GROUP BY 1 HAVING count(*) = 1) "
            "ORDER BY handle LIMIT 5"
        ).to_pylist()
    return Demo(home, settings, tuple(r["handle"] for r in rows))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One scored 300-creator demo warehouse, only read by the tests that share it."""
    return _scored_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def wh(demo: Demo) -> Iterator[Warehouse]:
    with _open(demo.settings) as warehouse:
        yield warehouse


@pytest.fixture
def ws(workspace_url: str) -> Iterator[Workspace]:
    with Workspace(workspace_url) as workspace:
        yield workspace


def _rows(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row, to prove a refused change left the store as it was."""
    with ws.engine.connect() as connection:
        return {
            table: [
                tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            ]
            for table in ("shortlists", "shortlist_entries")
        }


def _scores(warehouse: Warehouse, handle: str) -> dict[str, Any]:
    row: dict[str, Any] = warehouse.fetch_arrow(
        f"SELECT platform, creator_id, {', '.join(FIGURES)} FROM creator_scores WHERE handle = ?",
        [handle],
    ).to_pylist()[0]
    return row


@pytest.fixture
def filled(ws: Workspace, wh: Warehouse, demo: Demo) -> int:
    """A shortlist holding the first three demo creators, the second with a note."""
    made = sl.create_shortlist(ws, "Spring launch", "vegan snacks, EU")
    sl.add_creators(ws, wh, made.id, demo.handles[:3])
    sl.set_note(ws, made.id, demo.handles[1], "asked for rates")
    return made.id


# -- creating and naming ---------------------------------------------------------------------
def test_a_new_shortlist_is_listed_with_no_creators(ws: Workspace) -> None:
    made = sl.create_shortlist(ws, "  Spring launch  ", "vegan snacks")
    listed = sl.list_shortlists(ws)
    assert [(s.id, s.name, s.description, s.entries) for s in listed] == [
        (made.id, "Spring launch", "vegan snacks", 0)
    ]
    assert made.created_at.utcoffset() is not None


def test_the_list_counts_each_shortlists_creators(ws: Workspace, wh: Warehouse, demo: Demo) -> None:
    first = sl.create_shortlist(ws, "A")
    second = sl.create_shortlist(ws, "B")
    sl.add_creators(ws, wh, first.id, demo.handles[:2])
    sl.add_creators(ws, wh, second.id, demo.handles[:5])
    assert [(s.name, s.entries) for s in sl.list_shortlists(ws)] == [("A", 2), ("B", 5)]


def test_a_name_of_exactly_100_characters_is_accepted(ws: Workspace) -> None:
    assert sl.create_shortlist(ws, "n" * 100).name == "n" * 100


BAD_NAMES = {
    "empty": ("", "is empty"),
    "blank": ("   \t", "is empty"),
    "too-long": ("n" * 101, "101 characters"),
}


@pytest.mark.parametrize(("name", "problem"), BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_a_bad_name_is_refused_and_nothing_is_written(
    ws: Workspace, filled: int, name: str, problem: str
) -> None:
    before = _rows(ws)
    with pytest.raises(ParameterError, match=problem) as refused:
        sl.create_shortlist(ws, name)
    assert refused.value.name == "name"
    with pytest.raises(ParameterError, match=problem):
        sl.update_shortlist(ws, filled, name=name)
    assert _rows(ws) == before


def test_a_name_already_taken_in_another_case_is_refused(ws: Workspace, filled: int) -> None:
    other = sl.create_shortlist(ws, "Autumn")
    before = _rows(ws)
    with pytest.raises(ParameterError, match="already called 'Spring launch'") as refused:
        sl.create_shortlist(ws, " SPRING LAUNCH ")
    assert refused.value.name == "name"
    with pytest.raises(ParameterError, match="already called"):
        sl.update_shortlist(ws, other.id, name="spring Launch")
    assert _rows(ws) == before


def test_a_name_differing_only_in_non_ascii_case_is_taken_too(ws: Workspace) -> None:
    sl.create_shortlist(ws, "Été à Paris")
    with pytest.raises(ParameterError, match="already called"):
        sl.create_shortlist(ws, "ÉTÉ À PARIS")


def test_renaming_and_describing_changes_only_what_is_given(ws: Workspace, filled: int) -> None:
    before = sl.list_shortlists(ws)[0]
    renamed = sl.update_shortlist(ws, filled, name="Spring LAUNCH")  # its own name, new case
    assert (renamed.name, renamed.description, renamed.entries) == (
        "Spring LAUNCH",
        "vegan snacks, EU",
        3,
    )
    described = sl.update_shortlist(ws, filled, description="now UK too")
    assert (described.name, described.description) == ("Spring LAUNCH", "now UK too")
    assert described.updated_at > before.updated_at
    assert described.created_at == before.created_at


def test_a_description_over_2000_characters_is_refused(ws: Workspace, filled: int) -> None:
    before = _rows(ws)
    with pytest.raises(ParameterError, match="2001 characters") as refused:
        sl.update_shortlist(ws, filled, description="d" * 2001)
    assert refused.value.name == "description"
    assert _rows(ws) == before


# -- unknown ids -----------------------------------------------------------------------------
UNKNOWN_ID_CALLS: dict[str, Callable[[Workspace, Warehouse, str], object]] = {
    "show": lambda ws, wh, h: sl.get_shortlist(ws, wh, 999),
    "rename": lambda ws, wh, h: sl.update_shortlist(ws, 999, name="Other"),
    "delete": lambda ws, wh, h: sl.delete_shortlist(ws, 999),
    "add": lambda ws, wh, h: sl.add_creators(ws, wh, 999, [h]),
    "note": lambda ws, wh, h: sl.set_note(ws, 999, h, "hello"),
    "remove": lambda ws, wh, h: sl.remove_creator(ws, 999, h),
    "export": lambda ws, wh, h: sl.export_csv(ws, wh, 999),
}


@pytest.mark.parametrize("call", UNKNOWN_ID_CALLS.values(), ids=UNKNOWN_ID_CALLS.keys())
def test_an_unknown_shortlist_id_is_not_found_and_nothing_is_written(
    ws: Workspace,
    wh: Warehouse,
    demo: Demo,
    filled: int,
    call: Callable[[Workspace, Warehouse, str], object],
) -> None:
    before = _rows(ws)
    with pytest.raises(NotFoundError, match="no shortlist with id 999"):
        call(ws, wh, demo.handles[0])
    assert _rows(ws) == before


# -- entries ---------------------------------------------------------------------------------
def test_adding_creators_stores_their_warehouse_keys(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    detail = sl.get_shortlist(ws, wh, filled)
    expected = [
        (s["platform"], s["creator_id"]) for s in (_scores(wh, h) for h in demo.handles[:3])
    ]
    assert [(i.platform, i.creator_id) for i in detail.items] == expected
    assert [i.handle for i in detail.items] == list(demo.handles[:3])


def test_handles_are_matched_ignoring_case_and_an_at_sign(
    ws: Workspace, wh: Warehouse, demo: Demo
) -> None:
    made = sl.create_shortlist(ws, "Loose")
    result = sl.add_creators(ws, wh, made.id, [f" @{demo.handles[0].upper()}"])
    assert [r.handle for r in result.added] == [demo.handles[0]]


def test_one_unknown_handle_adds_none_of_the_handles(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    before = _rows(ws)
    with pytest.raises(NotFoundError, match="nobody_at_all_42"):
        sl.add_creators(ws, wh, filled, [demo.handles[3], "nobody_at_all_42", demo.handles[4]])
    assert _rows(ws) == before


def test_adding_a_creator_already_there_updates_its_note_not_an_error(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    handle = demo.handles[1]
    result = sl.add_creators(ws, wh, filled, [handle, demo.handles[3]], note="second look")
    assert [r.handle for r in result.already] == [handle]
    assert [r.handle for r in result.added] == [demo.handles[3]]
    again = sl.add_creators(ws, wh, filled, [handle])  # no --note: the note stays
    assert [r.handle for r in again.already] == [handle]
    assert again.added == ()
    items = {i.handle: i for i in sl.get_shortlist(ws, wh, filled).items}
    assert len(items) == 4
    assert items[handle].note == "second look"
    assert items[demo.handles[3]].note == "second look"
    assert items[demo.handles[0]].note == ""


def test_adding_no_handles_is_refused(ws: Workspace, wh: Warehouse, filled: int) -> None:
    with pytest.raises(ParameterError, match="at least one handle"):
        sl.add_creators(ws, wh, filled, [])


def test_a_note_of_2000_characters_is_kept_and_2001_refused(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    sl.set_note(ws, filled, demo.handles[0], "n" * 2000)
    before = _rows(ws)
    for attempt in (
        lambda: sl.set_note(ws, filled, demo.handles[0], "n" * 2001),
        lambda: sl.add_creators(ws, wh, filled, [demo.handles[4]], note="n" * 2001),
    ):
        with pytest.raises(ParameterError, match="2001 characters") as refused:
            attempt()
        assert refused.value.name == "note"
    assert _rows(ws) == before
    assert sl.get_shortlist(ws, wh, filled).items[0].note == "n" * 2000


def test_noting_or_removing_a_creator_not_on_the_list_is_not_found(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    before = _rows(ws)
    with pytest.raises(NotFoundError, match=f"'{demo.handles[4]}' is not on shortlist"):
        sl.set_note(ws, filled, demo.handles[4], "hello", warehouse=wh)
    with pytest.raises(NotFoundError, match="'ghost' is not on shortlist"):
        sl.remove_creator(ws, filled, "@ghost", warehouse=wh)
    assert _rows(ws) == before


def test_removing_a_creator_keeps_the_others(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    removed = sl.remove_creator(ws, filled, demo.handles[1].upper())
    assert removed.handle == demo.handles[1]
    left = [i.handle for i in sl.get_shortlist(ws, wh, filled).items]
    assert left == [demo.handles[0], demo.handles[2]]


def test_deleting_a_shortlist_deletes_its_entries_and_no_others(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    other = sl.create_shortlist(ws, "Other")
    sl.add_creators(ws, wh, other.id, demo.handles[3:5])
    gone = sl.delete_shortlist(ws, filled)
    assert (gone.name, gone.entries) == ("Spring launch", 3)
    assert [(s.name, s.entries) for s in sl.list_shortlists(ws)] == [("Other", 2)]
    rows = _rows(ws)["shortlist_entries"]
    assert len(rows) == 2
    with pytest.raises(NotFoundError):
        sl.get_shortlist(ws, wh, filled)


# -- figures ---------------------------------------------------------------------------------
def test_show_gives_each_creator_its_current_scores(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    detail = sl.get_shortlist(ws, wh, filled)
    assert detail.shortlist.entries == 3
    for item in detail.items:
        expected = _scores(wh, item.handle)
        assert {f: getattr(item, f) for f in FIGURES} == {f: expected[f] for f in FIGURES}
        assert item.in_warehouse
        assert item.warning is None
        assert 10_000 <= (item.followers or 0) < 50_000
        assert item.tier == "micro"
    assert detail.items[1].note == "asked for rates"
    as_dict = detail.as_dict()
    assert as_dict["name"] == "Spring launch"
    assert len(as_dict["items"]) == 3


def test_figures_are_read_at_show_time_and_departed_creators_still_show(
    ws: Workspace, tmp_path: Path
) -> None:
    own = _scored_demo(tmp_path / "own")  # this test changes its warehouse
    rescored, unscored, departed = own.handles[:3]
    with _open(own.settings, read_only=False) as warehouse:
        made = sl.create_shortlist(ws, "Moving target")
        sl.add_creators(ws, warehouse, made.id, own.handles[:4], note="keep")
        warehouse.duck.execute(
            "UPDATE creator_scores SET followers = 12345, fee_per_post = 99.5 WHERE handle = ?",
            [rescored],
        )
        warehouse.duck.execute("DELETE FROM creator_scores WHERE handle = ?", [unscored])
        for table in ("creator_scores", "creators"):
            warehouse.duck.execute(f"DELETE FROM {table} WHERE handle = ?", [departed])
        items = {i.handle: i for i in sl.get_shortlist(ws, warehouse, made.id).items}
        exported = list(csv.DictReader(io.StringIO(sl.export_csv(ws, warehouse, made.id))))
    assert (items[rescored].followers, items[rescored].fee_per_post) == (12345, 99.5)
    assert items[unscored].in_warehouse
    assert items[unscored].followers is None
    assert "not scored yet" in (items[unscored].warning or "")
    gone = items[departed]
    assert not gone.in_warehouse
    assert gone.note == "keep"
    assert all(getattr(gone, f) is None for f in FIGURES)
    assert "no longer in the warehouse" in (gone.warning or "")
    assert items[own.handles[3]].warning is None
    by_handle = {r["handle"]: r for r in exported}
    assert by_handle[departed]["followers"] == ""
    assert by_handle[departed]["note"] == "keep"
    assert by_handle[rescored]["followers"] == "12345"


def test_the_csv_export_has_a_header_and_one_row_per_creator(
    ws: Workspace, wh: Warehouse, demo: Demo, filled: int
) -> None:
    tricky = 'rates: "€400, maybe less"\nsecond line'
    sl.set_note(ws, filled, demo.handles[2], tricky)
    exported = sl.export_csv(ws, wh, filled)
    reader = csv.reader(io.StringIO(exported))
    header = next(reader)
    assert header == [
        "platform",
        "creator_id",
        "handle",
        "followers",
        "tier",
        "er_median",
        "reach_rate",
        "audience_quality",
        "authenticity_verdict",
        "fee_per_post",
        "note",
        "added_at",
        "warning",
    ]
    rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert [r["handle"] for r in rows] == list(demo.handles[:3])
    assert [r["note"] for r in rows] == ["", "asked for rates", tricky]
    for row in rows:
        expected = _scores(wh, row["handle"])
        assert int(row["followers"]) == expected["followers"]
        assert float(row["er_median"]) == pytest.approx(expected["er_median"], rel=1e-12)
        assert row["audience_quality"] == (
            "" if expected["audience_quality"] is None else str(expected["audience_quality"])
        )


def test_an_empty_shortlist_exports_only_the_header(ws: Workspace, wh: Warehouse) -> None:
    made = sl.create_shortlist(ws, "Empty")
    assert sl.export_csv(ws, wh, made.id).splitlines() == [",".join(sl.CSV_COLUMNS)]
    assert sl.get_shortlist(ws, wh, made.id).items == ()


def test_a_store_that_fails_underneath_is_a_store_error(ws: Workspace) -> None:
    with ws.engine.begin() as connection:
        connection.execute(text("DROP TABLE shortlist_entries"))
    with pytest.raises(StoreError, match=r"the workspace .* failed"):
        sl.list_shortlists(ws)


# -- the CLI ---------------------------------------------------------------------------------
runner = CliRunner()


@pytest.fixture
def cli(demo: Demo, workspace_url: str, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("MICROSCOUT_HOME", str(demo.home))
    monkeypatch.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("MICROSCOUT_WORKSPACE_URL", workspace_url)
    app = typer.Typer()
    app.add_typer(shortlist_app, name="shortlist")
    return app


def test_the_cli_runs_a_shortlist_from_creation_to_export(
    cli: typer.Typer, demo: Demo, tmp_path: Path
) -> None:
    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["shortlist", *args])
        assert result.exit_code == code, result.output
        return result.stdout

    assert "created shortlist #1 'Spring'" in run("create", "Spring", "--description", "EU")
    taken = runner.invoke(cli, ["shortlist", "create", "spring"])
    assert taken.exit_code == 2
    assert "already called 'Spring'" in taken.output
    run("add", "1", *demo.handles[:2], "--note", "first pass")
    run("add", "1", "nobody_at_all_42", code=4)
    run("note", "1", demo.handles[0], "call Monday")
    run("remove", "1", demo.handles[1])
    listed = json.loads(run("list", "--json"))
    assert [(s["name"], s["entries"]) for s in listed] == [("Spring", 1)]
    shown = json.loads(run("show", "1", "--json"))
    assert [(i["handle"], i["note"]) for i in shown["items"]] == [(demo.handles[0], "call Monday")]
    assert demo.handles[0] in run("show", "1")
    out_file = tmp_path / "spring.csv"
    run("export", "1", "--output", str(out_file))
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [r["handle"] for r in rows] == [demo.handles[0]]
    assert run("show", "1", "--csv") == out_file.read_text(encoding="utf-8")
    run("show", "7", code=4)
    assert "deleted shortlist #1 'Spring' and its 1 creator" in run("delete", "1")
    assert json.loads(run("list", "--json")) == []
