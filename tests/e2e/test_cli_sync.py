"""`microscout connect …` and `microscout sync …` as a person runs them, against the local fake
platforms: a sync killed with SIGKILL and run again ends with the rows of one never killed, and
no credential shows in anything the commands print, log or export."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from microscout.cli import app
from tests.fake_platforms import (
    BRAND_IG_ID,
    INSTAGRAM_TOKEN,
    YOUTUBE_KEY,
    FakePlatforms,
    build_world,
    connect_tiktok,
    fake_platforms,
)

MICROSCOUT = str(Path(sys.executable).with_name("microscout"))
TIKTOK_TOKEN = "act.creatorOwnTikTokToken0123456789"  # noqa: S105 (the fake's own)
runner = CliRunner()


def _env(served: FakePlatforms, home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    return {**env, **served.settings_env(), "MICROSCOUT_HOME": str(home), **extra}


def _cli(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [MICROSCOUT, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def _rows(home: Path) -> dict[str, list[Any]]:
    tables = {}
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        for table in ("creators", "posts", "follower_snapshots", "comments"):
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND column_name <> 'fetched_at' ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            query = f"SELECT {', '.join(columns)} FROM {table}"
            tables[table] = sorted(con.execute(query).fetchall(), key=repr)
    return tables


def _kill_after(served: FakePlatforms, env: dict[str, str], args: list[str], requests: int) -> bool:
    """Start the sync, SIGKILL it once the fake has answered ``requests`` more calls; whether
    it was killed (False: it finished first)."""
    start = len(served.requests)
    process = subprocess.Popen(
        [MICROSCOUT, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if len(served.requests) - start >= requests:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.wait()
    return False


def test_a_sync_killed_with_sigkill_ends_with_the_rows_of_one_never_killed(
    tmp_path: Path,
) -> None:
    world = build_world(5, channels=40, videos=20, ig_accounts=0)
    channels = tmp_path / "channels.txt"
    channels.write_text("# a list as people keep them\n" + "\n".join(world.channels) + "\n")
    args = ["sync", "youtube", "--file", str(channels)]
    with fake_platforms(world) as served:
        killed_home, whole_home = tmp_path / "killed", tmp_path / "whole"
        # Landing every 4 channels, so kills fall in fetches, in landings and between them.
        killed = _env(served, killed_home, MICROSCOUT_SYNC_LAND_EVERY="4")
        whole = _env(served, whole_home)
        for env in (killed, whole):
            connected = _cli(env, "connect", "youtube", "--stdin", stdin=YOUTUBE_KEY + "\n")
            assert connected.returncode == 0, connected.stderr
        kills = [_kill_after(served, killed, args, n) for n in (20, 31, 25)]
        assert all(kills)  # each run was cut short before the end
        status = json.loads(_cli(killed, "sync", "--status", "--json").stdout)
        (job,) = status["jobs"]
        assert 0 < job["landed"] < 40  # some landed before the kills, not all
        assert job["status"] == "interrupted"  # killed: its process is gone
        finished = _cli(killed, *args)
        assert finished.returncode == 0, finished.stderr
        assert "40 of 40 accounts landed" in finished.stdout
        assert _cli(whole, *args).returncode == 0
    assert _rows(killed_home) == _rows(whole_home)
    assert len(_rows(whole_home)["posts"]) == sum(
        1 for c in world.channels.values() for v in c.videos if not v.deleted
    )
    assert not (killed_home / "sync" / str(job["job"])).exists()  # nothing left pending
    status = json.loads(_cli(killed, "sync", "--status", "--json").stdout)
    assert [j["status"] for j in status["jobs"]] == ["done"]  # resumed, not started anew


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [k for k in os.environ if k.startswith("MICROSCOUT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, said


def test_no_credential_shows_in_output_errors_doctor_or_exports(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(9, channels=3, videos=5, ig_accounts=2, ig_media=4)
    connect_tiktok(world, TIKTOK_TOKEN, "trail_tess", videos=3)
    with fake_platforms(world) as served:
        for name, value in served.settings_env().items():
            monkeypatch.setenv(name, value)
        said: list[str] = []

        def run(*args: str, stdin: str | None = None, expect: int = 0) -> str:
            code, text = _run(*args, stdin=stdin)
            assert code == expect, text
            said.append(text)
            return text

        run("connect", "youtube", "--stdin", stdin=YOUTUBE_KEY + "\n")
        run(
            "connect",
            "instagram",
            "--stdin",
            "--account-id",
            BRAND_IG_ID,
            stdin=INSTAGRAM_TOKEN + "\n",
        )
        run("connect", "tiktok", "--creator", "trail_tess", "--stdin", stdin=TIKTOK_TOKEN + "\n")
        wrong = run("connect", "youtube", "--stdin", stdin="AIzaWrongKey-0123456789\n", expect=2)
        assert "API key not valid" in wrong
        assert "nothing was stored" in wrong
        listed = run("connections", "--json")
        assert {c["masked"] for c in json.loads(listed)} == {"••••cdef", "••••6789"}
        run("connections")
        first, second, *_ = world.channels
        # 1 unit used by the check; a channel of 5 videos takes 3, and 5 for its comments
        monkeypatch.setenv("MICROSCOUT_YOUTUBE_DAILY_QUOTA", "10")
        out_of_quota = run("sync", "youtube", "--channel", first, "--channel", second, expect=9)
        assert "the quota resets at" in out_of_quota
        assert "1 of 2 accounts landed" in out_of_quota
        monkeypatch.delenv("MICROSCOUT_YOUTUBE_DAILY_QUOTA")
        assert "2 of 2" in run("sync", "youtube", "--channel", first, "--channel", second)
        run("sync", "instagram", "--username", next(iter(world.ig_accounts)))
        run("sync", "tiktok")
        world.instagram_expired = True
        expired = run("sync", "instagram", "--username", "film_1", expect=9)
        assert "code 190" in expired
        run("doctor", expect=1)  # the expired token is a failed check
        run("sync", "--status")
        run("sync", "status", "--json")
        run("score")
        run("creators", "--json")
        run("creators", "--csv")
        run("quarantine")
        run("audit")
    text = "\n".join(said)
    for secret in (YOUTUBE_KEY, INSTAGRAM_TOKEN, TIKTOK_TOKEN, "AIzaWrongKey-0123456789"):
        assert secret not in text
        assert secret[4:-4] not in text  # not even most of it
    for path in home.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in (YOUTUBE_KEY, INSTAGRAM_TOKEN, TIKTOK_TOKEN):
                assert secret.encode() not in content, path
