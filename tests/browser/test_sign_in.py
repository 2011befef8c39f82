"""Sign-in in a real browser: the login journey, CSRF tokens in real forms, a viewer refused,
and a signed-in user's browser tricked by a page on another loopback port changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.services.shortlists import create_shortlist, list_shortlists
from tests.accounts import PASSWORD, Team, team_home
from tests.browser.conftest import another_origin, serving


@pytest.fixture(scope="module")
def team(scored_demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Team:
    return team_home(scored_demo, tmp_path_factory.mktemp("browser-team"))


@pytest.fixture(scope="module")
def team_url(team: Team) -> Iterator[str]:
    with serving(team.settings) as url:
        yield url


def names(team: Team) -> set[str]:
    with open_workspace(team.settings) as ws:
        return {s.name for s in list_shortlists(ws)}


def sign_in(page: Page, team_url: str, name: str, then: str = "/shortlists") -> None:
    page.goto(f"{team_url}{then}")
    expect(page).to_have_url(f"{team_url}/login?next=%2Fshortlists")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{team_url}{then}")


def test_an_editor_signs_in_makes_a_list_and_signs_out(
    page: Page, team_url: str, team: Team
) -> None:
    sign_in(page, team_url, "eddie")
    expect(page.locator(".who")).to_contain_text("eddie")
    page.locator("form.filters input[name=name]").fill("Made in Chromium")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("h1")).to_contain_text("Made in Chromium")
    assert "Made in Chromium" in names(team)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{team_url}/login")
    page.goto(f"{team_url}/shortlists")
    expect(page).to_have_url(f"{team_url}/login?next=%2Fshortlists")


def test_a_viewer_is_refused_a_change_in_the_browser(page: Page, team_url: str, team: Team) -> None:
    sign_in(page, team_url, "vera")
    page.locator("form.filters input[name=name]").fill("Viewer's list")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("[data-error='403']")).to_contain_text("viewer")
    assert "Viewer's list" not in names(team)


@pytest.fixture
def trap(tmp_path: Path, team_url: str, team: Team) -> Iterator[tuple[str, int]]:
    """A page on another loopback port that, once loaded, posts forms to the app: create a
    list, delete one, make itself an API token. The same site (127.0.0.1), so a browser sends
    the session cookie along; only the app's checks stand in the way."""
    with open_workspace(team.settings) as ws:
        victim = create_shortlist(ws, "Client work, signed in", "")
    (tmp_path / "trap.html").write_text(
        f"""<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="create" method="post" action="{team_url}/shortlists" target="sink">
  <input name="name" value="planted while signed in"></form>
<form id="delete" method="post" action="{team_url}/shortlists/{victim.id}/delete" target="sink">
</form>
<form id="token" method="post" action="{team_url}/account/tokens" target="sink">
  <input name="scope" value="write"></form>
<script>
  document.getElementById("create").submit();
  setTimeout(() => {{ document.getElementById("delete").submit(); }}, 300);
  setTimeout(() => {{ document.getElementById("token").submit(); }}, 600);
  setTimeout(() => {{ document.title = "done"; }}, 1200);
</script></body></html>""",
        encoding="utf-8",
    )
    with another_origin(tmp_path) as origin:
        yield f"{origin}/trap.html", victim.id


def test_a_signed_in_browser_on_another_sites_page_changes_nothing(
    page: Page, team_url: str, team: Team, trap: tuple[str, int]
) -> None:
    sign_in(page, team_url, "olga")  # an owner, with no API token yet
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if r.url.startswith(team_url) else None)
    url, _ = trap
    page.goto(url)
    expect(page).to_have_title("done", timeout=15_000)
    now = names(team)
    assert "Client work, signed in" in now
    assert "planted while signed in" not in now
    assert len(answers) == 3
    assert set(answers) == {403}
    page.goto(f"{team_url}/account")
    expect(page.locator("table.lists tbody")).to_contain_text("No API token yet")
