"""Sign-in on: who may read and write, with sessions, CSRF tokens and API tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.services import accounts
from microscout.services.audit import recent_changes
from microscout.web import create_app
from tests.accounts import PASSWORD, Team, bearer, team_home
from tests.local_web import LOCAL, csrf_token, form

# Combined Log Format: host ident user [time] "request" status bytes "referer" "agent"
ACCESS_LINE = re.compile(
    r"^(?P<host>\S+) - (?P<user>\S+) \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "
    r'"(?P<request>[^"]*)" (?P<status>[0-9]{3}) (?P<bytes>[0-9]+|-) "(?P<referer>[^"]*)" '
    r'"(?P<agent>[^"]*)"$'
)


@pytest.fixture(scope="module")
def team(scored_demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Team:
    return team_home(scored_demo, tmp_path_factory.mktemp("team"))


@pytest.fixture
def app_client(team: Team) -> Iterator[TestClient]:
    """A client with no session (each test signs in as it needs)."""
    with TestClient(create_app(team.settings), base_url=LOCAL) as client:
        yield client


def _sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login", data={"name": name, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def _shortlist_names(team: Team) -> set[str]:
    with open_workspace(team.settings) as ws:
        from microscout.services.shortlists import list_shortlists

        return {s.name for s in list_shortlists(ws)}


def test_without_a_session_pages_go_to_login_and_the_api_answers_401(
    app_client: TestClient, team: Team
) -> None:
    page = app_client.get("/shortlists?sort=name", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fshortlists%3Fsort%3Dname"
    write = app_client.post("/shortlists", data={"name": "sneaky"}, follow_redirects=False)
    assert (write.status_code, write.headers["location"]) == (303, "/login")
    api = app_client.get("/api/v1/shortlists")
    assert api.status_code == 401
    assert api.headers["www-authenticate"].startswith("Bearer")
    assert api.json()["error"]["code"] == "unauthorized"
    api_write = app_client.post("/api/v1/shortlists", json={"name": "sneaky"})
    assert api_write.status_code == 401
    assert "sneaky" not in _shortlist_names(team)
    # what stays open: the login page, the files pages load, the API's description
    for url in ("/login", "/static/app.css", "/api/v1/openapi.json", "/api/v1/docs"):
        assert app_client.get(url).status_code == 200, url


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    app_client: TestClient,
) -> None:
    wrong_password = app_client.post("/login", data={"name": "eddie", "password": "x" * 12})
    no_such_user = app_client.post("/login", data={"name": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert accounts.WRONG_LOGIN in wrong_password.text
    assert accounts.WRONG_LOGIN in no_such_user.text
    assert "microscout_session" not in wrong_password.headers.get("set-cookie", "")


def test_signing_in_sets_a_guarded_cookie_and_returns_to_the_page_asked_for(
    app_client: TestClient,
) -> None:
    response = app_client.post(
        "/login",
        data={"name": "EDDIE", "password": PASSWORD, "next": "/shortlists"},
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, "/shortlists")
    cookie = response.headers["set-cookie"].lower()
    assert "microscout_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    page = app_client.get("/shortlists")
    assert page.status_code == 200
    assert "eddie" in page.text
    assert "Sign out" in page.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_after_sign_in_the_next_page_is_always_on_this_site(
    app_client: TestClient, target: str
) -> None:
    response = app_client.post(
        "/login",
        data={"name": "eddie", "password": PASSWORD, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/search"


def test_an_editor_writes_with_the_forms_csrf_token_only(
    app_client: TestClient, team: Team
) -> None:
    _sign_in(app_client, "eddie")
    forged = app_client.post("/shortlists", data={"name": "Forged list"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "CSRF" in forged.text
    wrong = app_client.post(
        "/shortlists", data={"name": "Forged list", "csrf_token": "x" * 43}, follow_redirects=False
    )
    assert wrong.status_code == 403
    assert "Forged list" not in _shortlist_names(team)
    made = app_client.post(
        "/shortlists", data=form(app_client, {"name": "Eddie's list"}), follow_redirects=False
    )
    assert made.status_code == 303
    assert "Eddie's list" in _shortlist_names(team)
    with open_workspace(team.settings) as ws:
        change = recent_changes(ws, 1)[0]
    assert (change.actor, change.entity, change.detail["name"]) == (
        "eddie",
        "shortlists",
        "Eddie's list",
    )


def test_a_token_of_one_session_does_not_work_for_another(team: Team) -> None:
    with (
        TestClient(create_app(team.settings), base_url=LOCAL) as first,
        TestClient(create_app(team.settings), base_url=LOCAL) as second,
    ):
        _sign_in(first, "eddie")
        _sign_in(second, "eddie")
        stolen = csrf_token(first)
        assert stolen != csrf_token(second)
        response = second.post(
            "/shortlists", data={"name": "Crossed", "csrf_token": stolen}, follow_redirects=False
        )
    assert response.status_code == 403


def test_a_viewer_reads_but_cannot_write(app_client: TestClient, team: Team) -> None:
    _sign_in(app_client, "vera")
    assert app_client.get("/shortlists").status_code == 200
    refused = app_client.post("/shortlists", data=form(app_client, {"name": "Vera's list"}))
    assert refused.status_code == 403
    assert "viewer" in refused.text
    assert "Vera's list" not in _shortlist_names(team)
    assert app_client.get("/audit").status_code == 403


def test_only_owners_read_the_audit_log(app_client: TestClient) -> None:
    _sign_in(app_client, "eddie")
    assert app_client.get("/audit").status_code == 403
    assert 'href="/audit"' not in app_client.get("/shortlists").text
    app_client.post("/logout", data=form(app_client, {}))
    _sign_in(app_client, "olga")
    audit = app_client.get("/audit")
    assert audit.status_code == 200
    # users were added: their records are there, their password hashes are not
    assert "created users" in audit.text
    assert "$argon2" not in audit.text


def test_signing_out_ends_the_session_for_good(app_client: TestClient) -> None:
    _sign_in(app_client, "eddie")
    cookie = app_client.cookies.get("microscout_session")
    assert cookie
    out = app_client.post("/logout", data=form(app_client, {}), follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    # the old cookie, sent again, opens nothing
    app_client.cookies.set("microscout_session", cookie)
    assert app_client.get("/shortlists", follow_redirects=False).status_code == 303


def test_a_new_password_signs_the_user_out_everywhere(app_client: TestClient, team: Team) -> None:
    from microscout.adapters.secrets import Passwords

    _sign_in(app_client, "vera")
    with open_workspace(team.settings) as ws:
        accounts.set_password(ws, Passwords(), "vera", PASSWORD)  # the same one: still ends it
    assert app_client.get("/shortlists", follow_redirects=False).status_code == 303


def test_api_tokens_act_with_their_scope_and_their_users_role(
    app_client: TestClient, team: Team
) -> None:
    assert app_client.get("/api/v1/shortlists", headers=bearer(team.editor_read)).status_code == 200
    read_write = app_client.post(
        "/api/v1/shortlists", json={"name": "By read token"}, headers=bearer(team.editor_read)
    )
    assert read_write.status_code == 403
    assert "read token" in read_write.json()["error"]["message"]
    viewer_write = app_client.post(
        "/api/v1/shortlists", json={"name": "By viewer"}, headers=bearer(team.viewer_write)
    )
    assert viewer_write.status_code == 403
    revoked = app_client.get("/api/v1/shortlists", headers=bearer(team.revoked))
    assert revoked.status_code == 401
    unknown = app_client.get("/api/v1/shortlists", headers=bearer("ms_" + "A" * 43))
    assert unknown.status_code == 401
    made = app_client.post(
        "/api/v1/shortlists", json={"name": "By write token"}, headers=bearer(team.editor_write)
    )
    assert made.status_code == 201
    assert {"By write token"} == _shortlist_names(team) & {
        "By read token",
        "By viewer",
        "By write token",
    }


def test_a_read_token_may_plan_since_a_plan_stores_nothing(
    app_client: TestClient, team: Team
) -> None:
    response = app_client.post(
        "/api/v1/plans",
        json={"brief": "healthy treats for dogs", "budget": 2000, "frontier": False},
        headers=bearer(team.editor_read),
    )
    assert response.status_code == 200, response.text


def test_a_token_revoked_while_the_server_runs_is_refused_at_once(
    app_client: TestClient, team: Team
) -> None:
    with open_workspace(team.settings) as ws:
        made = accounts.create_token(ws, "eddie", "read")
    assert app_client.get("/api/v1/shortlists", headers=bearer(made.token)).status_code == 200
    with open_workspace(team.settings) as ws:
        accounts.revoke_token(ws, made.info.id)
    assert app_client.get("/api/v1/shortlists", headers=bearer(made.token)).status_code == 401


def test_the_account_page_makes_a_token_once_and_revokes_it(app_client: TestClient) -> None:
    _sign_in(app_client, "vera")  # a viewer may hold tokens: they still only read
    made = app_client.post(
        "/account/tokens", data=form(app_client, {"scope": "read", "label": "bi"})
    )
    assert made.status_code == 201
    token = re.search(r'data-token="(ms_[^"]+)"', made.text)
    assert token
    assert app_client.get("/account").text.count(token.group(1)) == 0  # shown once only
    assert app_client.get("/api/v1/shortlists", headers=bearer(token.group(1))).status_code == 200
    listed = re.search(r'action="/account/tokens/(\d+)/revoke"', app_client.get("/account").text)
    assert listed
    app_client.post(f"/account/tokens/{listed.group(1)}/revoke", data=form(app_client, {}))
    assert app_client.get("/api/v1/shortlists", headers=bearer(token.group(1))).status_code == 401


def test_repeated_wrong_passwords_from_one_address_are_slowed_to_429(team: Team) -> None:
    with TestClient(create_app(team.settings), base_url=LOCAL) as client:
        codes = [
            client.post("/login", data={"name": "olga", "password": f"guess-{i:04d}"}).status_code
            for i in range(11)
        ]
        right = client.post("/login", data={"name": "olga", "password": PASSWORD})
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    assert right.status_code == 429  # even the right password waits out the window
    assert int(right.headers["retry-after"]) > 0


def test_the_access_log_names_the_user_and_masks_secrets(team: Team, tmp_path: Path) -> None:
    # a home of its own for the log; the warehouse stays the demo's
    settings = team.settings.model_copy(
        update={"home": tmp_path / "home", "warehouse_path": team.settings.warehouse_file}
    )
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        client.get("/api/v1/shortlists?token=hunter2", headers=bearer(team.editor_read))
        client.get("/search", follow_redirects=False, headers={"User-Agent": 'x" 200 "forged'})
    lines = settings.access_log_file.read_text().splitlines()
    parsed = [ACCESS_LINE.match(line) for line in lines]
    assert all(parsed), lines
    api, page = (m.groupdict() for m in parsed if m)
    assert (api["user"], api["status"]) == ("eddie", "200")
    assert api["request"] == "GET /api/v1/shortlists?token=*** HTTP/1.1"
    assert "hunter2" not in settings.access_log_file.read_text()
    assert (page["user"], page["status"]) == ("-", "303")
    assert page["agent"] == "x? 200 ?forged"  # quotes in a header cannot forge a new field


def test_the_app_still_names_users_after_its_stores_were_closed_and_reopened(team: Team) -> None:
    app = create_app(team.settings)
    for _ in range(2):  # the second start reopens the workspace the first one closed
        with TestClient(app, base_url=LOCAL) as client:
            answer = client.get("/api/v1/shortlists", headers=bearer(team.editor_read))
            assert answer.status_code == 200
            assert client.get("/shortlists", follow_redirects=False).status_code == 303
