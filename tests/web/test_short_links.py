"""Campaign short links served by the app: open to anyone (sign-in on), a visit counted once per
visitor and day, a bot sent on but not counted, an unknown code 404."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from microscout.bootstrap import open_warehouse, open_workspace
from microscout.config import Settings
from microscout.services.campaigns import manage
from microscout.services.campaigns.tracking import Tracking, tracking
from microscout.web import create_app
from tests.accounts import Team, team_home
from tests.local_web import LOCAL

BROWSER = {"User-Agent": "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15"}


@pytest.fixture(scope="module")
def team(scored_demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Team:
    return team_home(scored_demo, tmp_path_factory.mktemp("links"))


@pytest.fixture(scope="module")
def link(team: Team, micro: dict[str, str]) -> Tracking:
    with (
        open_workspace(team.settings) as ws,
        # opened as the app opens it: DuckDB refuses a second configuration of one file
        open_warehouse(team.settings, read_only=True) as wh,
    ):
        made = manage.create_campaign(
            ws,
            "Links",
            1000,
            date(2026, 1, 1),
            date(2026, 2, 1),
            landing_url="https://shop.example/p",
        )
        manage.add_creators(ws, wh, made.id, handles=[micro["handle"]])
        (found,) = tracking(ws, made.id, LOCAL)
    return found


@pytest.fixture
def anonymous(team: Team) -> Iterator[TestClient]:
    with TestClient(create_app(team.settings), base_url=LOCAL) as client:
        yield client


def _clicks(team: Team) -> int:
    with open_workspace(team.settings) as ws, ws.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM link_clicks")).scalar_one())


def test_a_short_link_sends_anyone_on_and_counts_a_visitor_once(
    anonymous: TestClient, team: Team, link: Tracking
) -> None:
    path = link.short_link.removeprefix(LOCAL)
    before = _clicks(team)
    first = anonymous.get(path, headers=BROWSER, follow_redirects=False)
    again = anonymous.get(path, headers=BROWSER, follow_redirects=False)
    bot = anonymous.get(
        path, headers={"User-Agent": "Slackbot-LinkExpanding 1.0"}, follow_redirects=False
    )
    assert first.status_code == again.status_code == bot.status_code == 302
    assert first.headers["location"] == link.target
    assert "utm_medium=influencer" in first.headers["location"]
    assert first.headers["cache-control"] == "no-store"
    assert _clicks(team) == before + 1


def test_an_unknown_short_link_is_404(anonymous: TestClient) -> None:
    assert (
        anonymous.get("/r/nosuchcode", headers=BROWSER, follow_redirects=False).status_code == 404
    )
