"""Syncs against the local fake platforms (tests/fake_platforms.py) into real warehouse and
workspace files: the counts that land, scoring on them, and every way a sync stops — quota,
rate limits, a refused credential, an unreachable platform — each resumable to the same rows."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pydantic import SecretStr

from microscout.adapters.secrets import CredentialBox
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.bootstrap import score_and_publish, writing_warehouse
from microscout.config import Settings
from microscout.errors import ParameterError
from microscout.services.sync import credentials
from microscout.services.sync.jobs import JobView, job_views
from microscout.services.sync.quota import quota_state
from microscout.services.sync.run import sync_connected, sync_instagram, sync_youtube
from microscout.services.sync.sources import SyncContext
from tests.fake_platforms import (
    BRAND_IG_ID,
    INSTAGRAM_TOKEN,
    YOUTUBE_KEY,
    FakePlatforms,
    build_world,
    connect_tiktok,
    fake_platforms,
    video_comments,
)

KEY = b"a signing key for the sync tests"


@dataclass
class Rig:
    world: FakePlatforms
    settings: Settings
    workspace: Workspace
    waits: list[float]

    def context(self, **overrides: Any) -> SyncContext:
        settings = self.settings.model_copy(update=overrides)
        return SyncContext(
            self.workspace,
            settings,
            CredentialBox(KEY),
            lambda: writing_warehouse(settings),
            sleep=self.waits.append,
        )

    def rows(self, table: str, exclude: tuple[str, ...] = ("fetched_at",)) -> list[Any]:
        if not self.settings.warehouse_file.exists():
            return []
        with duckdb.connect(str(self.settings.warehouse_file), read_only=True) as con:
            names = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if r[0] not in exclude
            ]
            found = con.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
        return sorted(found, key=repr)

    def count(self, sql: str) -> int:
        with duckdb.connect(str(self.settings.warehouse_file), read_only=True) as con:
            row = con.execute(sql).fetchone()
        assert row is not None
        return int(row[0])


@contextlib.contextmanager
def home_on(served: FakePlatforms, home: Path) -> Iterator[Rig]:
    """A home whose connectors point at the running fake, with the brand's credentials."""
    settings = Settings(
        home=home,
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        youtube_api_base_url=served.youtube_base,
        instagram_graph_base_url=served.instagram_base,
        tiktok_api_base_url=served.tiktok_base,
        sync_retry_seconds=0.0,
        sync_max_wait_seconds=5.0,
    )
    with Workspace(settings.workspace_database_url) as ws:
        box = CredentialBox(KEY)
        credentials.connect(ws, box, credentials.candidate("youtube", YOUTUBE_KEY))
        instagram = credentials.candidate("instagram", INSTAGRAM_TOKEN, account_id=BRAND_IG_ID)
        credentials.connect(ws, box, instagram)
        yield Rig(served, settings, ws, [])


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Rig]:
    world = build_world(3, channels=12, videos=20, ig_accounts=6, ig_media=12, personal=2)
    with fake_platforms(world) as served, home_on(served, tmp_path / "home") as rig:
        yield rig


def _connect(rig: Rig, platform: str, secret: str, **given: str) -> None:
    typed = credentials.candidate(platform, secret, **given)
    credentials.connect(rig.workspace, CredentialBox(KEY), typed)


def _done(view: JobView) -> JobView:
    assert view.status == "done", view.message
    return view


def test_a_full_sync_lands_the_right_counts_and_scores(tmp_path: Path) -> None:
    world = build_world(11, channels=80, videos=50, ig_accounts=40, ig_media=30, personal=5)
    with fake_platforms(world) as served, home_on(served, tmp_path / "home") as rig:
        _full_sync(world, rig)


def _full_sync(world: FakePlatforms, rig: Rig) -> None:
    channels = list(world.channels)
    yt = _done(sync_youtube(rig.context(), channels))
    usernames = list(world.ig_accounts)
    ig = _done(sync_instagram(rig.context(), usernames))

    # What the fake world holds, counted from its own objects.
    videos = [v for c in world.channels.values() for v in c.videos if not v.deleted]
    visible = sum(1 for c in world.channels.values() if not c.hidden)
    personal = sorted(a.username for a in world.ig_accounts.values() if not a.business)
    media = [m for a in world.ig_accounts.values() if a.business for m in a.media]
    assert (yt.landed, yt.total, ig.landed, ig.total) == (80, 80, 45, 45)
    assert sorted(ig.skipped) == personal  # personal accounts: skipped with their reason
    assert all("not a business" in reason for reason in ig.skipped.values())

    count = rig.count
    assert count("SELECT count(*) FROM creators WHERE platform = 'youtube'") == 80
    assert count("SELECT count(*) FROM posts WHERE platform = 'youtube'") == len(videos) > 3_500
    assert count("SELECT count(*) FROM creators WHERE platform = 'instagram'") == 40
    assert count("SELECT count(*) FROM posts WHERE platform = 'instagram'") == len(media) == 1200
    snapshots = "SELECT count(*) FROM follower_snapshots WHERE platform = 'youtube'"
    assert count(snapshots) == visible  # a hidden subscriber count is no snapshot
    # Unknown stays NULL: hidden likes, hidden subscribers, reach without insights.
    hidden_likes = sum(1 for v in videos if v.likes is None)
    assert count("SELECT count(*) FROM posts WHERE platform='youtube' AND likes IS NULL") == (
        hidden_likes
    )
    hidden_subs = 80 - visible
    nulls = "SELECT count(*) FROM creators WHERE platform='youtube' AND followers IS NULL"
    assert count(nulls) == hidden_subs
    assert count("SELECT count(*) FROM posts WHERE reach IS NOT NULL") == 0
    one = next(c for c in world.channels.values() if not c.hidden)
    followers = f"SELECT followers FROM creators WHERE creator_id = '{one.id}'"
    assert count(followers) == one.subscribers
    assert (
        count("SELECT count(*) FROM posts WHERE source NOT IN ('youtube-api', 'instagram-api')")
        == 0
    )
    # 3 quota units a channel (channel, one uploads page, one videos call), and one for each
    # of the 5 newest videos whose comments are read.
    assert quota_state(rig.workspace, 10_000).used == (3 + 5) * 80
    sampled = [
        t
        for c in world.channels.values()
        for v in [v for v in c.videos if not v.deleted][:5]
        for t in video_comments(world, v)
    ]
    assert count("SELECT count(*) FROM comments WHERE platform = 'youtube'") == len(sampled)
    replies = "SELECT count(*) FROM comments WHERE is_reply_by_creator"
    assert count(replies) == sum(
        t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"]
        == t["snippet"]["channelId"]
        for t in sampled
    )

    scoring = rig.settings.model_copy(update={"embedding_max_tokens": 32, "index_tiers": "any"})
    with Warehouse(scoring.warehouse_file, memory_limit="1GB", threads=2) as wh:
        run = score_and_publish(wh, scoring)
    assert run.creators == 120
    scored = "SELECT count(*) FROM creator_scores WHERE er_median IS NOT NULL"
    assert count(scored) >= 120 - hidden_subs  # a channel with no follower count has no rate


def test_running_it_again_inserts_nothing_new(small: Rig) -> None:
    channels = list(small.world.channels)
    _done(sync_youtube(small.context(), channels))
    first = {t: small.rows(t, ("fetched_at", "followers")) for t in ("creators", "posts")}
    snapshots = small.count("SELECT count(*) FROM follower_snapshots")
    _done(sync_youtube(small.context(), channels))
    assert {t: small.rows(t, ("fetched_at", "followers")) for t in first} == first
    assert small.count("SELECT count(*) FROM follower_snapshots") == snapshots  # one a day


def test_an_account_stored_from_a_file_keeps_its_id(small: Rig, tmp_path: Path) -> None:
    from microscout.services.ingest.importer import import_path

    account = next(a for a in small.world.ig_accounts.values() if a.business)
    file = tmp_path / "creators.csv"
    file.write_text(
        "platform,creator_id,handle,followers\n"
        f"instagram,{account.username},{account.username},{account.followers - 100}\n"
    )
    yesterday = time.time() - 86_400
    os.utime(file, (yesterday, yesterday))  # exported a day before the sync
    with Warehouse(small.settings.warehouse_file) as wh:
        import_path(wh, file)
    _done(sync_instagram(small.context(), [account.username]))
    assert small.count("SELECT count(*) FROM creators") == 1  # the same creator, not a second
    stored = f"SELECT count(*) FROM posts WHERE creator_id = '{account.username}'"
    assert small.count(stored) == len(account.media)
    followers = f"SELECT followers FROM creators WHERE creator_id = '{account.username}'"
    assert small.count(followers) == account.followers  # the newer fetch won


def test_a_search_finds_channels_and_costs_100_units_a_page(small: Rig) -> None:
    view = _done(sync_youtube(small.context(), search="sourdough", most=10, comments=0))
    expected = [c.id for c in small.world.channels.values() if "sourdough" in c.description]
    assert view.total == len(expected) == 3
    assert small.count("SELECT count(*) FROM creators") == 3
    assert quota_state(small.workspace, 10_000).used == 100 + 3 * 3


def test_the_quota_stops_the_sync_before_it_runs_out_and_the_rest_follows_later(
    small: Rig, tmp_path: Path
) -> None:
    channels = list(small.world.channels)
    stopped = sync_youtube(small.context(youtube_daily_quota=20), channels, comments=0)
    assert stopped.status == "stopped"
    assert "units" in stopped.message
    assert "resets at" in stopped.message
    assert "run the same command again" in stopped.message
    assert stopped.landed == 6  # 18 units: six channels; the seventh would pass 20
    assert quota_state(small.workspace, 20).used == 18
    assert small.count("SELECT count(*) FROM creators") == 6  # what was fetched is kept

    finished = _done(sync_youtube(small.context(youtube_daily_quota=1000), channels, comments=0))
    assert finished.id == stopped.id  # the same job, resumed
    with home_on(small.world, tmp_path / "reference") as reference:
        _done(sync_youtube(reference.context(), channels, comments=0))
        for table in ("creators", "posts", "follower_snapshots"):
            assert small.rows(table) == reference.rows(table), table


def test_youtube_saying_quota_exceeded_stops_and_marks_the_day_used(small: Rig) -> None:
    small.world.youtube_units_left = 7
    stopped = sync_youtube(small.context(), list(small.world.channels), comments=0)
    assert stopped.status == "stopped"
    assert "quota is used up" in stopped.message
    assert quota_state(small.workspace, 10_000).left == 0
    assert stopped.landed == 2


def test_server_errors_are_retried_and_a_dead_platform_stops_resumably(small: Rig) -> None:
    channels = list(small.world.channels)
    small.world.fail_next = 2
    _done(sync_youtube(small.context(), channels[:2]))
    assert len(small.waits) == 2  # backed off twice, then answered
    small.world.fail_next = 10_000
    stopped = sync_youtube(small.context(), channels)
    assert stopped.status == "stopped"
    assert "503" in stopped.message
    assert "check the connection" in stopped.message
    small.world.fail_next = 0
    assert _done(sync_youtube(small.context(), channels)).landed == len(channels)


def test_instagram_slows_down_near_its_limit_and_stops_past_the_wait(small: Rig) -> None:
    names = list(small.world.ig_accounts)[:3]
    small.world.instagram_usage = 90.0
    _done(sync_instagram(small.context(), names))
    assert small.waits  # spaced out, not stopped
    assert all(0 < w <= 10 for w in small.waits)
    small.waits.clear()
    small.world.instagram_usage = 100.0  # access back in 30 min: longer than the sync waits
    stopped = sync_instagram(small.context(), list(small.world.ig_accounts))
    assert stopped.status == "stopped"
    assert "100% of its limit" in stopped.message
    assert small.waits == []
    small.world.instagram_usage = 5.0
    assert _done(sync_instagram(small.context(), list(small.world.ig_accounts))).id == stopped.id


def test_a_sync_with_no_credential_says_how_to_connect_and_waits(small: Rig) -> None:
    credentials.disconnect(small.workspace, "youtube")
    with pytest.raises(ParameterError, match="microscout connect youtube"):
        sync_youtube(small.context(), list(small.world.channels)[:2])
    (job,) = job_views(small.workspace, small.settings.home)
    assert job.status == "stopped"
    assert "no youtube credential" in job.message
    _connect(small, "youtube", YOUTUBE_KEY)
    assert _done(sync_youtube(small.context(), list(small.world.channels)[:2])).id == job.id


def test_a_rate_limit_error_stops_and_resumes(small: Rig) -> None:
    small.world.instagram_rate_limit_next = 1
    names = list(small.world.ig_accounts)
    stopped = sync_instagram(small.context(), names)
    assert stopped.status == "stopped"
    assert "rate limit" in stopped.message
    assert _done(sync_instagram(small.context(), names)).landed == len(names)


def test_an_expired_token_stops_the_job_and_marks_the_credential(small: Rig) -> None:
    small.world.instagram_expired = True
    names = list(small.world.ig_accounts)
    stopped = sync_instagram(small.context(), names)
    assert stopped.status == "stopped"
    assert "code 190" in stopped.message
    assert "microscout connect instagram" in stopped.message
    (shown,) = [
        c
        for c in credentials.connections(small.workspace, small.settings)
        if c.platform == "instagram"
    ]
    assert shown.state == "expired"
    assert "Session has expired" in shown.state_message
    small.world.instagram_expired = False
    assert _done(sync_instagram(small.context(), names)).id == stopped.id


def test_connected_creators_bring_their_true_reach(small: Rig) -> None:
    account = next(a for a in small.world.ig_accounts.values() if a.business)
    small.world.ig_tokens["IGQcreatorOwnToken-0123456789"] = account.id
    _connect(
        small,
        "instagram",
        "IGQcreatorOwnToken-0123456789",
        account_id=account.id,
        creator=account.username,
    )
    connect_tiktok(small.world, "act.tiktokCreatorToken0123456789", "runner_rae", videos=45)
    _connect(small, "tiktok", "act.tiktokCreatorToken0123456789", creator="runner_rae")
    _connect(small, "tiktok", "act.revokedToken0123456789", creator="gone")
    tiktok = sync_connected(small.context(), "tiktok")
    assert tiktok.status == "done"
    assert "ask @gone to connect again" in tiktok.skipped["gone"]
    assert small.count("SELECT count(*) FROM posts WHERE platform = 'tiktok'") == 45  # 3 pages
    _done(sync_connected(small.context(), "instagram"))
    expected = sum(m.reach for m in account.media)
    assert (
        small.count(
            "SELECT sum(reach) FROM posts "
            "WHERE platform = 'instagram' AND source = 'instagram-insights'"
        )
        == expected
    )
    states = {
        (c.platform, c.creator): c.state
        for c in credentials.connections(small.workspace, small.settings)
    }
    assert states[("tiktok", "gone")] == "expired"
    assert states[("tiktok", "runner_rae")] == "valid"


def test_stored_secrets_are_sealed_and_an_environment_key_wins(small: Rig) -> None:
    raw = Path(small.settings.workspace_file or "").read_bytes()
    assert YOUTUBE_KEY.encode() not in raw
    assert INSTAGRAM_TOKEN.encode() not in raw
    env = small.settings.model_copy(
        update={"youtube_api_key": SecretStr("AIzaFromTheEnvironment00")}
    )
    found = credentials.credential(small.workspace, CredentialBox(KEY), env, "youtube")
    assert found is not None
    assert found.origin == "environment"
    assert "AIzaFromTheEnvironment00" not in repr(found)
    with pytest.raises(ParameterError, match="sealed with another key"):
        credentials.credential(
            small.workspace, CredentialBox(b"another key"), small.settings, "youtube"
        )


def test_a_campaign_s_results_fill_in_from_a_sync(small: Rig) -> None:
    from datetime import UTC, datetime, timedelta

    from microscout.services.campaigns import manage
    from microscout.services.campaigns.report import campaign_report
    from microscout.services.sync.run import sync_campaign

    accounts = [a for a in small.world.ig_accounts.values() if a.business][:3]
    # Only each account's newest post is in the warehouse before the campaign's sync.
    _done(sync_instagram(small.context(), [a.username for a in accounts], posts=1))
    connected = accounts[0]
    small.world.ig_tokens["IGQconnectedCreator-0123456789"] = connected.id
    _connect(
        small,
        "instagram",
        "IGQconnectedCreator-0123456789",
        account_id=connected.id,
        creator=connected.username,
    )
    today = datetime.now(UTC).date()
    made = manage.create_campaign(
        small.workspace, "Spring", 3000, today - timedelta(days=20), today, brand_handle="brandco"
    )
    with Warehouse(small.settings.warehouse_file, read_only=True) as wh:
        manage.add_creators(
            small.workspace, wh, made.id, handles=[f"instagram:{a.username}" for a in accounts]
        )
    for account in accounts[:2]:  # the third is only shortlisted: not fetched, not counted
        manage.agree(small.workspace, made.id, account.username, fee=400.0, posts=1)
    with Warehouse(small.settings.warehouse_file, read_only=True) as wh:
        assert campaign_report(small.workspace, wh, made.id).totals.posts == 0

    view = _done(sync_campaign(small.context(), made.id))
    assert view.total == 2
    assert view.campaign_id == made.id
    with Warehouse(small.settings.warehouse_file, read_only=True) as wh:
        report = campaign_report(small.workspace, wh, made.id)
    start = datetime.combine(today - timedelta(days=20), datetime.min.time(), tzinfo=UTC)

    def theirs(account: Any) -> list[Any]:
        return [m for m in account.media if "@brandco" in m.caption and m.timestamp >= start]

    by_handle = {c.handle: c for c in report.creators}
    for account in accounts[:2]:
        assert by_handle[account.username].posts == len(theirs(account)) >= 1
    assert by_handle[accounts[2].username].posts == 0
    # The connected creator's posts carry their true reach (insights); the other's have none.
    assert by_handle[connected.username].reach == sum(m.reach for m in theirs(connected))
    assert by_handle[connected.username].reach_basis.startswith("reach of")
    assert by_handle[accounts[1].username].reach in (None, 0)


def test_no_secret_reaches_the_logs(small: Rig, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    own = next(iter(small.world.ig_accounts.values()))
    creator_token, tiktok_token = "IGQloggedCreatorToken-0123456789", "act.loggedTikTok0123456789"
    small.world.ig_tokens[creator_token] = own.id
    _connect(small, "instagram", creator_token, account_id=own.id, creator=own.username)
    connect_tiktok(small.world, tiktok_token, "logged_lu", videos=3)
    _connect(small, "tiktok", tiktok_token, creator="logged_lu")
    _connect(small, "tiktok", "act.expiredTikTokToken0123456789", creator="gone_gus")
    with caplog.at_level(logging.DEBUG):
        _done(sync_youtube(small.context(), list(small.world.channels)[:2]))
        _done(sync_instagram(small.context(), list(small.world.ig_accounts)[:2]))
        _done(sync_connected(small.context(), "instagram"))
        tiktok = _done(sync_connected(small.context(), "tiktok"))
        small.world.instagram_expired = True
        sync_instagram(small.context(), list(small.world.ig_accounts))
    logged = caplog.text + repr([r.__dict__ for r in caplog.records]) + repr(tiktok)
    assert "HTTP Request" in logged  # httpx did log its requests
    secrets = (YOUTUBE_KEY, INSTAGRAM_TOKEN, creator_token, tiktok_token)
    for secret in (*secrets, "act.expiredTikTokToken0123456789"):
        assert secret not in logged
    for secret in secrets:
        assert all(secret not in r for r in small.world.requests)  # never in a URL


def test_a_crash_between_the_warehouse_commit_and_the_checkpoint_changes_no_row(
    small: Rig, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from microscout.services.sync import jobs

    channels = list(small.world.channels)
    real = jobs.record_landing
    crashes = iter([True, False])

    def crash_once(*args: Any, **kwargs: Any) -> None:
        if next(crashes, False):  # the warehouse has the rows; the job does not know yet
            raise KeyboardInterrupt
        real(*args, **kwargs)

    monkeypatch.setattr(jobs, "record_landing", crash_once)
    with pytest.raises(KeyboardInterrupt):
        sync_youtube(small.context(sync_land_every=4), channels)
    (job,) = job_views(small.workspace, small.settings.home)
    assert job.status == "stopped"
    assert "interrupted" in job.message
    assert job.landed == 0
    assert job.pending == 4  # landed in the warehouse, still pending for the job
    assert small.count("SELECT count(*) FROM creators") == 4
    assert _done(sync_youtube(small.context(sync_land_every=4), channels)).id == job.id
    with home_on(small.world, tmp_path / "reference") as reference:
        _done(sync_youtube(reference.context(), channels))
        for table in ("creators", "posts", "follower_snapshots", "comments"):
            assert small.rows(table) == reference.rows(table), table


def test_an_item_the_platform_will_not_give_is_skipped_not_a_stuck_job(small: Rig) -> None:
    names = list(small.world.ig_accounts)
    # An odd username the Graph API answers with an unexpected error code: skipped, job done.
    view = _done(sync_instagram(small.context(), [*names[:2], "bad(name"]))
    assert "bad(name" in view.skipped
    assert view.landed == 3


def test_a_clear_text_base_url_is_refused_before_any_key_is_sent(small: Rig) -> None:
    plain = small.context(youtube_api_base_url="http://youtube.example/v3")
    with pytest.raises(ParameterError, match=r"youtube_api_base_url.*not an https URL"):
        sync_youtube(plain, list(small.world.channels)[:1])
    assert not any("youtube.example" in r for r in small.world.requests)


def test_pasted_secrets_that_are_not_one_ascii_token_are_refused() -> None:
    with pytest.raises(ParameterError, match="printable ASCII"):
        credentials.candidate("youtube", "AIzaSyA-0123456789\u200babcdef")
    with pytest.raises(ParameterError, match="more than one pasted"):
        credentials.candidate("youtube", "AIzaSyA-0123 456789abcdef")
    with pytest.raises(ParameterError, match="YouTube has no connected creators"):
        credentials.candidate("youtube", YOUTUBE_KEY, creator="tess")


def test_a_job_another_live_process_runs_is_not_run_twice(small: Rig) -> None:
    import socket
    import subprocess

    from sqlalchemy import update

    from microscout.adapters.workspace.sync_rows import SyncJob
    from microscout.errors import BusyError

    channels = list(small.world.channels)[:2]
    stopped = sync_youtube(small.context(youtube_daily_quota=1), channels)
    assert stopped.status == "stopped"
    other = subprocess.Popen(["sleep", "60"])
    try:
        with small.workspace.session() as session:
            session.execute(
                update(SyncJob).values(
                    status="running", runner=f"{socket.gethostname()}:{other.pid}"
                )
            )
        with pytest.raises(BusyError, match="is running in process"):
            sync_youtube(small.context(), channels)
    finally:
        other.kill()
        other.wait()
    (job,) = job_views(small.workspace, small.settings.home)
    assert job.status == "interrupted"  # its process is gone
    assert _done(sync_youtube(small.context(), channels)).id == stopped.id
