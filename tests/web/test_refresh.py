"""A data refresh is not downtime: while `score` writes, the app answers from the last data."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters, default_stages, writing_warehouse
from microscout.cli import app as cli
from microscout.config import Settings
from microscout.errors import BusyError
from microscout.services.scoring.run import metric_params, score
from microscout.web import create_app
from tests.local_web import LOCAL


def _runs(settings: Settings) -> int:
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2, read_only=True) as wh:
        return wh.count("score_runs")


@pytest.fixture
def home(scored_demo: Settings, tmp_path: Path) -> Settings:
    """A copy of the scored demo: this test writes to it."""
    shutil.copytree(scored_demo.home, tmp_path / "home")
    return scored_demo.model_copy(update={"home": tmp_path / "home"})


def test_pages_answer_while_score_writes_and_show_the_new_run_after(
    home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _runs(home)
    entered, scored = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def rescore() -> None:
        try:
            with writing_warehouse(home) as warehouse:
                entered.set()
                score(warehouse, metric_params(home), default_stages(Adapters(home)))
                scored.wait(timeout=60)  # hold the write open until pages were asked for
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            entered.set()

    with TestClient(create_app(home), raise_server_exceptions=False, base_url=LOCAL) as client:
        creator = client.get("/api/v1/creators", params={"tier": "micro", "limit": 1}).json()
        urls = [
            "/search?brief=healthy+treats+for+dogs&min_followers=10000&max_followers=50000",
            f"/creators/{creator['items'][0]['platform']}/{creator['items'][0]['handle']}",
            "/api/v1/creators?limit=5",
        ]
        writer = threading.Thread(target=rescore)
        writer.start()
        assert entered.wait(timeout=60)
        # a second writer is refused at once, by the command as by the library
        second = writing_warehouse(home)
        with pytest.raises(BusyError, match="another import or score is writing"):
            second.__enter__()
        monkeypatch.setenv("MICROSCOUT_HOME", str(home.home))
        busy = CliRunner().invoke(cli, ["score"])
        assert busy.exit_code == 6
        assert "another import or score is writing" in busy.stderr
        assert "Traceback" not in busy.output
        statuses = [client.get(url).status_code for _ in range(3) for url in urls]
        assert _runs(home) == before  # nothing swapped in yet: the last committed data
        scored.set()
        while writer.is_alive():
            statuses += [client.get(url).status_code for url in urls]
        writer.join()
        assert not failures
        statuses += [client.get(url).status_code for url in urls]
    assert statuses
    assert set(statuses) == {200}
    assert _runs(home) == before + 1


def test_a_failed_write_leaves_the_warehouse_as_it_was(home: Settings) -> None:
    before = _runs(home)
    stamp = home.warehouse_file.stat().st_mtime_ns

    def delete_then_fail() -> None:
        with writing_warehouse(home) as warehouse:
            warehouse.duck.execute("DELETE FROM creators")
            raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError, match="stopped"):
        delete_then_fail()
    assert _runs(home) == before
    assert home.warehouse_file.stat().st_mtime_ns == stamp
    assert not any(home.home.glob("*.next.*"))
    with Warehouse(home.warehouse_file, memory_limit="1GB", threads=2, read_only=True) as wh:
        assert wh.count("creators") > 0
