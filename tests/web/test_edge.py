"""The app's outer wall: hosts it answers, cross-site writes it refuses, headers on every answer.

The module's app writes its workspace (shortlists in the demo home), never the warehouse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microscout.config import Settings
from microscout.web import create_app
from microscout.web.edge import host_name
from tests.local_web import LOCAL

CSP_SOURCES = ("default-src", "script-src", "style-src", "img-src", "connect-src")


def shortlist_names(client: TestClient) -> set[str]:
    return {s["name"] for s in client.get("/api/v1/shortlists").json()}


def assert_secure(headers: Any) -> None:
    policy = headers["content-security-policy"]
    for source in CSP_SOURCES:
        directive = next(d.strip() for d in policy.split(";") if d.strip().startswith(source))
        # nothing from outside this site; no inline code (inline styles only: plotly.js)
        for loophole in ("http", "*", "unsafe-eval"):
            assert loophole not in directive, directive
        if source != "style-src":
            assert "unsafe-inline" not in directive, directive
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.2"])
def test_a_host_outside_the_allowlist_gets_400_on_pages_and_api(
    client: TestClient, host: str
) -> None:
    page = client.get("/search", headers={"host": host})
    assert page.status_code == 400
    assert "allowed_hosts" in page.text
    api = client.get("/api/v1/creators", headers={"host": host})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "bad_request"
    assert_secure(api.headers)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000"])
def test_loopback_names_are_answered_on_any_port(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/creators", headers={"host": host}).status_code == 200


def test_every_kind_of_answer_carries_the_security_headers(client: TestClient) -> None:
    answers = [
        client.get("/search", params={"q": "vegan skincare"}),
        client.get("/search", params={"q": "vegan skincare"}),  # from the page cache
        client.get("/no/such/page"),
        client.get("/static/app.css"),
        client.get("/api/v1/creators", params={"limit": 0}),  # 422
        client.get("/api/v1/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 200, 422, 200]
    assert answers[1].headers.get("x-page-cache") == "hit"
    for answer in answers:
        assert_secure(answer.headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://127.0.0.1:9999"},  # another port is another origin
        {"origin": "http://attacker.example"},
        {"origin": "null"},  # a sandboxed frame or a local file
        {"referer": "http://attacker.example/page.html"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_a_cross_site_write_is_refused_and_changes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    before = shortlist_names(client)
    page = client.post("/shortlists", data={"name": "planted"}, headers=headers)
    api = client.post("/api/v1/shortlists", json={"name": "planted"}, headers=headers)
    assert page.status_code == 403
    assert "cross-site request refused" in page.text
    assert api.status_code == 403
    assert api.json()["error"]["message"].startswith("cross-site request refused")
    assert shortlist_names(client) == before


def test_a_same_site_write_and_a_client_without_browser_headers_go_through(
    client: TestClient,
) -> None:
    own = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    made = client.post("/api/v1/shortlists", json={"name": "from the page"}, headers=own)
    assert made.status_code == 201
    scripted = client.post("/api/v1/shortlists", json={"name": "from a script"})
    assert scripted.status_code == 201
    assert {"from the page", "from a script"} <= shortlist_names(client)


def test_a_star_in_the_allowlist_answers_every_host(scored_demo: Settings) -> None:
    settings = scored_demo.model_copy(update={"allowed_hosts": ("*",)})
    with TestClient(create_app(settings), base_url="http://shop.example") as client:
        assert client.get("/api/v1/creators", params={"limit": 1}).status_code == 200


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:80", "::1"),
        ("Example.COM", "example.com"),
        ("::1", "::1"),
        ("", ""),
    ],
)
def test_the_host_name_leaves_out_the_port(header: str, name: str) -> None:
    assert host_name(header) == name


def test_a_broken_store_answers_503_without_paths_or_process_ids(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "broken"
    home.mkdir()
    (home / "warehouse.duckdb").write_bytes(b"not a database " * 400)
    with TestClient(create_app(Settings(home=home)), base_url=LOCAL) as client:
        page = client.get("/search", params={"q": "vegan"})
        api = client.get("/api/v1/creators")
    assert page.status_code == 503
    assert api.status_code == 503
    for text in (page.text, api.text):
        assert str(tmp_path) not in text
        assert "warehouse.duckdb" not in text
        assert "PID" not in text
    assert "try again shortly" in api.json()["error"]["message"]
    assert_secure(api.headers)
    # whoever runs the server still learns which file is at fault
    assert any("warehouse.duckdb" in r.getMessage() for r in caplog.records)
