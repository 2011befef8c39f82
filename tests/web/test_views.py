"""Creator views: first page views read one keyed row, and the page is the warehouse's page."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from microscout.adapters.views import ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import score_and_publish, writing_warehouse
from microscout.config import Settings
from microscout.demo.build import build_demo
from microscout.services.browse.views import publish_views, views_current
from microscout.services.scoring.run import ScoreRun, metric_params
from microscout.web import create_app
from tests.local_web import LOCAL

BRIEFS = (
    "healthy treats for dogs",
    "cast iron pans for home cooks",
    "gentle sunscreen for sensitive skin",
    "running shoes for marathon training",
)


@pytest.fixture(scope="module")
def viewed_home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small demo scored as `microscout score` scores it: micro creators get views."""
    settings = Settings(
        home=tmp_path_factory.mktemp("views") / "home",
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        embedding_max_tokens=64,
        web_page_cache=False,
    )
    with writing_warehouse(settings) as warehouse:
        build_demo(warehouse, 300, seed=5)
        score_and_publish(warehouse, settings)
    return settings


def _without_views(settings: Settings, folder: Path) -> Settings:
    """A copy of the home with no view store: every page is read from the warehouse."""
    shutil.copytree(settings.home, folder, ignore=shutil.ignore_patterns("*.views.sqlite"))
    return settings.model_copy(update={"home": folder})


def _creators(settings: Settings, tier: str) -> list[tuple[str, str]]:
    with Warehouse(settings.warehouse_file, read_only=True) as wh:
        rows = wh.fetch_arrow(
            "SELECT platform, handle FROM creator_scores WHERE tier = ? ORDER BY handle LIMIT 12",
            [tier],
        ).to_pylist()
    return [(r["platform"], r["handle"]) for r in rows]


@pytest.fixture
def clients(viewed_home: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    # one signing key for both, so their forms carry the same CSRF token
    key = {"secret_key": SecretStr("one key for both apps")}
    plain = _without_views(viewed_home, tmp_path / "plain").model_copy(update=key)
    with (
        TestClient(create_app(viewed_home.model_copy(update=key)), base_url=LOCAL) as viewed,
        TestClient(create_app(plain), base_url=LOCAL) as read,
    ):
        yield viewed, read


def test_views_hold_the_micro_band_and_name_their_run(viewed_home: Settings) -> None:
    store = ViewStore.open(viewed_home.views_file)
    assert store is not None
    micro = _creators(viewed_home, "micro")
    assert micro
    for platform, handle in micro:
        view = store.by_handle(handle, platform)
        assert view is not None
        assert view.scores["tier"] == "micro"
        assert len(view.recent) <= 30
        assert [p["posted_at"] for p in view.dated] == sorted(
            (p["posted_at"] for p in view.dated), reverse=True
        )
    for platform, handle in _creators(viewed_home, "nano")[:3]:
        assert store.by_handle(handle, platform) is None  # outside index_tiers: the warehouse
    with Warehouse(viewed_home.warehouse_file, read_only=True) as wh:
        assert views_current(wh, store, viewed_home)
        assert not views_current(wh, store, viewed_home.model_copy(update={"window_max_posts": 5}))
        assert not views_current(wh, store, viewed_home.model_copy(update={"index_tiers": "any"}))


def test_pages_from_views_are_the_pages_from_the_warehouse(
    viewed_home: Settings, clients: tuple[TestClient, TestClient]
) -> None:
    viewed, read = clients
    profiles = _creators(viewed_home, "micro") + _creators(viewed_home, "nano")[:2]
    urls = [f"/creators/{platform}/{handle}" for platform, handle in profiles]
    urls += [f"/search?brief={b.replace(' ', '+')}" for b in BRIEFS]
    urls += ["/search?brief=dog+treats&tier=any&min_followers=&max_followers="]
    # the API answers from the same views: its JSON is the warehouse's too
    urls += [f"/api/v1/search?brief={b.replace(' ', '+')}" for b in BRIEFS[:2]]
    urls += [f"/api/v1/creators/{platform}/{handle}/similar" for platform, handle in profiles[:3]]
    for url in urls:
        with_views, without = viewed.get(url), read.get(url)
        assert with_views.status_code == without.status_code == 200, url
        assert with_views.text == without.text, url
    # the views were read: the viewed app holds a current store, the other none
    state_viewed, state_read = viewed.app.state.microscout, read.app.state.microscout  # type: ignore[attr-defined]
    lent = state_viewed.warehouses.acquire()
    try:
        assert state_viewed.views.for_warehouse(lent) is not None
    finally:
        state_viewed.warehouses.release(lent)
    lent = state_read.warehouses.acquire()
    try:
        assert state_read.views.for_warehouse(lent) is None
    finally:
        state_read.warehouses.release(lent)


def test_an_import_after_the_run_retires_the_views(viewed_home: Settings, tmp_path: Path) -> None:
    home = viewed_home.model_copy(update={"home": tmp_path / "home"})
    shutil.copytree(viewed_home.home, home.home)
    store = ViewStore.open(home.views_file)
    assert store is not None
    csv = tmp_path / "one.csv"
    csv.write_text("handle,platform,followers\nnew.creator,instagram,12000\n", encoding="utf-8")
    from microscout.services.ingest.importer import import_path

    with writing_warehouse(home) as warehouse:
        import_path(warehouse, csv)
    with Warehouse(home.warehouse_file, read_only=True) as wh:
        assert not views_current(wh, store, home)
    with writing_warehouse(home) as warehouse:
        score_and_publish(warehouse, home)
    fresh = ViewStore.open(home.views_file)
    assert fresh is not None
    assert fresh.meta["run_id"] != store.meta["run_id"]
    with Warehouse(home.warehouse_file, read_only=True) as wh:
        assert views_current(wh, fresh, home)


def test_a_new_store_keeps_the_vocabulary_of_an_unchanged_document(
    viewed_home: Settings, tmp_path: Path
) -> None:
    home = viewed_home.model_copy(update={"home": tmp_path / "home"})
    shutil.copytree(viewed_home.home, home.home)
    store = ViewStore.open(home.views_file)
    assert store is not None
    (kept, kept_words), (redone, redone_words) = list(store.vocabularies().items())[:2]
    store.close()
    # Mark one stored vocabulary, and make another's document hash differ from the warehouse's.
    with sqlite3.connect(home.views_file) as con:
        con.execute(
            "UPDATE views SET vocabulary = 'zzmarker' WHERE platform = ? AND creator_id = ?", kept
        )
        con.execute(
            "UPDATE views SET vocabulary = 'zzstale', doc_hash = 'old' "
            "WHERE platform = ? AND creator_id = ?",
            redone,
        )
    with Warehouse(home.warehouse_file, read_only=True) as wh:
        run_id = wh.scalar("SELECT run_id FROM score_runs ORDER BY started_at DESC LIMIT 1")
    with writing_warehouse(home) as warehouse:
        run = ScoreRun(run_id, 0, 0.0, metric_params(home))
        publish_views(warehouse, home, run)
    fresh = ViewStore.open(home.views_file)
    assert fresh is not None
    now = fresh.vocabularies()
    assert now[kept] == (kept_words[0], "zzmarker")  # carried over: its document is unchanged
    assert now[redone] == redone_words  # tokenised again: its stored hash no longer matched
