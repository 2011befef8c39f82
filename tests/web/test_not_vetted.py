"""A creator with no evidence is "not vetted" through the API and on every page that shows a
verdict, never 100 and never a green badge; search ranks it after the vetted creators and
``min_audience_quality`` leaves it out unless unvetted creators are asked for (issue 16)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microscout.config import Settings
from microscout.web import create_app
from tests.local_web import LOCAL
from tests.unvetted import BRIEF, MISSING, UNVETTED, build_home

PLATFORM, HANDLE = UNVETTED[0][0], UNVETTED[0][2]
HANDLES = {u[2] for u in UNVETTED}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_home(tmp_path_factory.mktemp("unvetted") / "home")


@pytest.fixture(scope="module")
def client(world: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(world), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.text[-2000:]
    return response.json()


def _hits(client: TestClient, **options: Any) -> list[dict[str, Any]]:
    params = {"brief": BRIEF, "tier": "any", "limit": 100, **options}
    items: list[dict[str, Any]] = _ok(client.get("/api/v1/search", params=params))["items"]
    return items


# -- the API --------------------------------------------------------------------------------------
def test_vet_answers_not_vetted_with_no_score_and_names_what_is_missing(
    client: TestClient,
) -> None:
    body = _ok(client.get(f"/api/v1/creators/{PLATFORM}/{HANDLE}/vet"))
    assert body["verdict"] == "not vetted"
    assert body["audience_quality"] is None
    assert body["signals_checked"] == 0
    assert [r["message"] for r in body["reasons"]] == [MISSING]
    assert body["reasons"][0]["flag"] is False


def test_the_schema_lists_not_vetted_among_the_verdicts(client: TestClient) -> None:
    schemas = _ok(client.get("/api/v1/openapi.json"))["components"]["schemas"]
    assert "not vetted" in schemas["VetReport"]["properties"]["verdict"]["enum"]
    assert "authenticity_verdict" in schemas["SearchHit"]["properties"]


def test_the_creator_detail_and_the_list_say_not_vetted(client: TestClient) -> None:
    detail = _ok(client.get(f"/api/v1/creators/{PLATFORM}/{HANDLE}"))
    metrics = {m["name"]: m["value"] for m in detail["metrics"]}
    assert metrics["audience_quality"] is None
    assert metrics["authenticity_verdict"] == "not vetted"
    assert MISSING in metrics["audience_quality_reasons"]
    page = _ok(client.get("/api/v1/creators", params={"limit": 200, "tier": "micro"}))
    rows = {r["handle"]: r for r in page["items"]}
    assert set(rows) >= HANDLES
    for handle in HANDLES:
        assert rows[handle]["audience_quality"] is None
        assert rows[handle]["authenticity_verdict"] == "not vetted"


def test_search_ranks_unvetted_creators_after_every_vetted_one(client: TestClient) -> None:
    hits = _hits(client)
    verdicts = [h["authenticity_verdict"] for h in hits]
    assert "not vetted" in verdicts
    first = verdicts.index("not vetted")
    assert first > 0
    assert set(verdicts[first:]) == {"not vetted"}
    for hit in hits[first:]:
        assert hit["audience_quality"] is None
        assert not any("audience quality" in r for r in hit["reasons"])
        assert any("ranked after every vetted creator" in r for r in hit["reasons"])


def test_min_audience_quality_leaves_unvetted_creators_out_unless_asked(
    client: TestClient,
) -> None:
    strict = _hits(client, min_audience_quality=90, limit=20)
    assert strict
    assert not HANDLES & {h["handle"] for h in strict}
    assert all(h["audience_quality"] >= 90 for h in strict)
    asked = _hits(client, min_audience_quality=90, include_unvetted=True, limit=20)
    found = [h for h in asked if h["handle"] in HANDLES]
    assert {h["handle"] for h in found} == HANDLES
    # asked for, they rank among the vetted by their score, not after them all
    scores = [h["score"] for h in asked]
    assert scores == sorted(scores, reverse=True)
    vetted_ranks = [h["rank"] for h in asked if h["handle"] not in HANDLES]
    assert min(h["rank"] for h in found) < max(vetted_ranks)
    assert all(h["authenticity_verdict"] == "not vetted" for h in found)
    assert all(h["audience_quality"] is None for h in found)


def test_lookalikes_take_the_same_switch(client: TestClient) -> None:
    seed = _hits(client, limit=1)[0]
    path = f"/api/v1/creators/{seed['platform']}/{seed['handle']}/similar"
    strict = _ok(client.get(path, params={"tier": "any", "min_audience_quality": 1, "limit": 100}))
    assert not HANDLES & {h["handle"] for h in strict["items"]}
    loose: dict[str, str | int | bool] = {
        "tier": "any",
        "min_audience_quality": 1,
        "limit": 100,
        "include_unvetted": True,
    }
    asked = _ok(client.get(path, params=loose))
    assert HANDLES & {h["handle"] for h in asked["items"]}


# -- the pages ------------------------------------------------------------------------------------
QUALITY_BADGE = re.compile(r'<span class="badge ([a-z]+)"[^>]*>quality (\d+)</span>')


def _hit_html(page: str, handle: str) -> str:
    start = page.index(f'data-handle="{handle}"')
    return page[start : page.index("</li>", start)]


def test_the_search_page_shows_a_not_vetted_badge_never_a_quality(client: TestClient) -> None:
    form = {"brief": BRIEF, "tier": "any", "min_audience_quality": "90", "include_unvetted": "1"}
    response = client.get("/search", params=form)
    assert response.status_code == 200, response.text[-2000:]
    for handle in HANDLES:
        hit = _hit_html(response.text, handle)
        assert "not vetted" in hit
        assert QUALITY_BADGE.search(hit) is None
        assert "100/100" not in hit


def test_the_search_pages_quality_badges_take_their_colour_from_the_verdict(
    client: TestClient,
) -> None:
    response = client.get("/search", params={"brief": BRIEF, "tier": "any", "limit": "100"})
    badges = re.findall(
        r'<span class="badge ([a-z]+)"[^>]*data-verdict="([a-z ]*)"[^>]*>quality', response.text
    )
    assert badges
    colour = {"ok": "ok", "caution": "warn", "high risk": "bad"}
    assert all(colour[verdict] == css for css, verdict in badges), badges


def test_the_profile_says_not_vetted_and_what_is_missing(client: TestClient) -> None:
    response = client.get(f"/creators/{PLATFORM}/{HANDLE}")
    assert response.status_code == 200, response.text[-2000:]
    card = response.text[response.text.index('data-verdict="not vetted"') :]
    card = card[: card.index("</div>")]
    assert "no audience quality" in card
    assert MISSING in card
    assert "/ 100" not in card


def test_compare_shows_not_vetted_beside_a_vetted_creator(client: TestClient) -> None:
    vetted = _hits(client, limit=1)[0]
    response = client.get(
        "/compare",
        params=[("c", f"{PLATFORM}:{HANDLE}"), ("c", f"{vetted['platform']}:{vetted['handle']}")],
    )
    assert response.status_code == 200, response.text[-2000:]
    row = response.text[response.text.index("Audience quality (0–100)") :]
    row = row[: row.index("</tr>")]
    assert ">not vetted</td>" in row
    assert MISSING in row
    assert f"{vetted['audience_quality']:.0f} / 100" in row


def test_a_shortlist_shows_not_vetted_without_a_score(client: TestClient) -> None:
    made = client.post("/api/v1/shortlists", json={"name": "unvetted check"})
    assert made.status_code == 201, made.text
    number = made.json()["id"]
    added = client.post(
        f"/api/v1/shortlists/{number}/creators", json={"creators": [f"{PLATFORM}:{HANDLE}"]}
    )
    assert added.status_code == 200, added.text
    entry = _ok(client.get(f"/api/v1/shortlists/{number}"))["items"][0]
    assert (entry["authenticity_verdict"], entry["audience_quality"]) == ("not vetted", None)
    page = client.get(f"/shortlists/{number}").text
    row = page[page.index(f'<tr data-handle="{HANDLE}">') :]
    row = row[: row.index("</tr>")]
    assert ">not vetted</span>" in row
    assert "(100)" not in row


def test_plans_leave_them_out_by_default_and_show_not_vetted_when_included(
    client: TestClient,
) -> None:
    asked = {"brief": BRIEF, "budget": "5000"}
    default = client.get("/plan", params=asked)
    assert default.status_code == 200, default.text[-2000:]
    for handle in HANDLES:
        left_out = re.search(
            rf'<tr data-excluded="{re.escape(handle)}" data-codes="([^"]*)"', default.text
        )
        assert left_out is not None, handle
        assert "unvetted" in left_out.group(1).split("|")
    named = client.get(
        "/plan", params={**asked, "include_unvetted": "on", "include": f"{PLATFORM}:{HANDLE}"}
    )
    assert named.status_code == 200, named.text[-2000:]
    row = named.text[named.text.index(f'<tr data-handle="{HANDLE}"') :]
    row = row[: row.index("</tr>")]
    assert ">not vetted</td>" in row
    assert ">100</td>" not in row
