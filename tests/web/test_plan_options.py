"""Every option of `microscout plan` is offered by `POST /api/v1/plans` and the plan page, and each
one changes the plan as it says, through either door."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient

from microscout.cli.plan import plan as plan_command
from microscout.services.planning.request import cli_flag, request_fields

BRIEF = "healthy treats for dogs and cats and their owners"
BUDGET = 3000
ROW = re.compile(r"<tr (data-handle=[^>]*)>")
ATTR = re.compile(r'data-([\w-]+)="([^"]*)"')
TOTALS = re.compile(r'<table class="totals" ([^>]*)>')


def outcome_from_api(client: TestClient, options: dict[str, Any]) -> dict[str, Any]:
    """The plan the API answers for the brief, the budget and ``options``."""
    response = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": BUDGET, **options})
    body = response.json()
    assert response.status_code == 200, body
    return {
        "creators": body["creators"],
        "objective": body["request"]["objective"],
        "k": body["request"]["k"],
        "frontier": len(body["frontier"]),
    }


def _as_form(options: dict[str, Any]) -> list[tuple[str, str]]:
    """The options as a browser sends the plan form: lists repeat or are typed comma-separated,
    quotes are typed one per line."""
    params: list[tuple[str, str]] = []
    for name, value in options.items():
        if name == "quotes":
            params.append((name, "\n".join(f"{h} {fee}" for h, fee in value.items())))
        elif name in ("platforms", "tiers"):
            params += [(name, v) for v in value]
        elif isinstance(value, list):
            params.append((name, ", ".join(value)))
        elif isinstance(value, bool):
            params.append((name, "on" if value else "off"))
        else:
            params.append((name, str(value)))
    return params


def outcome_from_page(client: TestClient, options: dict[str, Any]) -> dict[str, Any]:
    """The plan the page shows for the same request, read from its data attributes."""
    params = [("brief", BRIEF), ("budget", str(BUDGET)), *_as_form(options)]
    response = client.get("/plan", params=tuple(params))
    assert response.status_code == 200, response.text[-2000:]
    rows = [
        {name: html.unescape(value) for name, value in ATTR.findall(attrs)}
        for attrs in ROW.findall(response.text)
    ]
    creators = [
        {
            "handle": r["handle"],
            "platform": r["platform"],
            "country": r["country"] or None,
            "niche": r["niche"] or None,
            "posts": int(r["posts"]),
            "followers": int(r["followers"]),
            "fee_per_post": float(r["fee-per-post"]),
            "fee_basis": r["fee-basis"],
        }
        for r in rows
    ]
    totals = TOTALS.search(response.text)
    assert totals is not None
    echo = dict(ATTR.findall(totals.group(1)))
    return {
        "creators": creators,
        "objective": echo["objective"],
        "k": int(echo["k"]),
        "frontier": int(echo["frontier"]),
    }


DOORS = {"api": outcome_from_api, "page": outcome_from_page}
Outcome = dict[str, Any]


@pytest.fixture(scope="module")
def baseline(client: TestClient) -> Outcome:
    """The plan with no option set: each option's test first checks that it would change it."""
    return outcome_from_api(client, {})


def most_per(creators: list[dict[str, Any]], key: str) -> int:
    return max(Counter(c[key] for c in creators).values())


def handles(outcome: Outcome) -> set[str]:
    return {c["handle"] for c in outcome["creators"]}


@pytest.mark.parametrize("door", DOORS)
def test_max_per_platform_caps_each_platform(
    client: TestClient, baseline: Outcome, door: str
) -> None:
    assert most_per(baseline["creators"], "platform") > 1
    got = DOORS[door](client, {"max_per_platform": 1})
    assert got["creators"]
    assert most_per(got["creators"], "platform") == 1


@pytest.mark.parametrize("door", DOORS)
def test_max_per_country_and_per_niche_cap_each_group(
    client: TestClient, baseline: Outcome, door: str
) -> None:
    for option, key in (("max_per_country", "country"), ("max_per_niche", "niche")):
        assert most_per(baseline["creators"], key) > 1
        got = DOORS[door](client, {option: 1})
        assert got["creators"], option
        assert most_per(got["creators"], key) == 1, option


@pytest.mark.parametrize("door", DOORS)
def test_max_and_min_creators_bound_the_number_of_creators(
    client: TestClient, baseline: Outcome, door: str
) -> None:
    assert len(baseline["creators"]) > 3
    assert len(DOORS[door](client, {"max_creators": 3})["creators"]) <= 3
    few = DOORS[door](client, {"max_creators": 2, "max_posts": 3})
    more = DOORS[door](client, {"min_creators": len(few["creators"]) + 3, "max_posts": 3})
    assert len(more["creators"]) >= len(few["creators"]) + 3


@pytest.mark.parametrize("door", DOORS)
def test_max_posts_limits_the_posts_of_each_creator(
    client: TestClient, baseline: Outcome, door: str
) -> None:
    assert max(c["posts"] for c in baseline["creators"]) > 1
    got = DOORS[door](client, {"max_posts": 1})
    assert {c["posts"] for c in got["creators"]} == {1}


@pytest.mark.parametrize("door", DOORS)
def test_exclude_removes_a_creator_and_include_adds_one(
    client: TestClient, baseline: Outcome, door: str, micro: dict[str, str]
) -> None:
    gone = baseline["creators"][0]["handle"]
    assert gone not in handles(DOORS[door](client, {"exclude": [f"@{gone}"]}))
    outsider = micro["handle"]
    assert outsider not in handles(baseline)
    added = DOORS[door](client, {"include": [f"{micro['platform']}:{outsider}"]})
    assert outsider in handles(added)


@pytest.mark.parametrize("door", DOORS)
def test_a_quote_replaces_the_model_fee(client: TestClient, baseline: Outcome, door: str) -> None:
    chosen = baseline["creators"][1]
    key = f"{chosen['platform']}:@{chosen['handle'].upper()}"
    got = DOORS[door](client, {"quotes": {key: 1.0}})
    fees = {c["handle"]: (c["fee_per_post"], c["fee_basis"]) for c in got["creators"]}
    assert fees[chosen["handle"]] == (1.0, "quote")


@pytest.mark.parametrize("door", DOORS)
def test_platforms_countries_and_tiers_filter_the_candidates(
    client: TestClient, baseline: Outcome, door: str
) -> None:
    assert {c["platform"] for c in baseline["creators"]} != {"instagram"}
    on_instagram = DOORS[door](client, {"platforms": ["instagram"]})["creators"]
    assert on_instagram
    assert {c["platform"] for c in on_instagram} == {"instagram"}
    assert {c["country"] for c in baseline["creators"]} != {"US"}
    in_us = DOORS[door](client, {"countries": ["US"]})["creators"]
    assert in_us
    assert {c["country"] for c in in_us} == {"US"}
    nano = DOORS[door](client, {"tiers": ["nano"]})["creators"]
    assert nano
    assert all(c["followers"] < 10_000 for c in nano)


@pytest.mark.parametrize("door", DOORS)
def test_objective_k_and_frontier_are_taken(client: TestClient, door: str) -> None:
    got = DOORS[door](client, {"objective": "frequency", "k": 3, "frontier": False})
    assert (got["objective"], got["k"], got["frontier"]) == ("frequency", 3, 0)


def test_the_command_the_api_and_the_page_offer_the_same_options(client: TestClient) -> None:
    fields = {f.name for f in request_fields()}
    app = typer.Typer()
    app.command()(plan_command)
    app.command("noop")(lambda: None)
    command = typer.main.get_command(app).commands["plan"]  # type: ignore[attr-defined]
    flags = {flag for p in command.params for flag in (*p.opts, *p.secondary_opts)}
    assert flags - {"--out", "--json", "--no-frontier"} == {cli_flag(f) for f in fields}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PlanRequest"]
    assert set(schema["properties"]) == fields
    form = client.get("/plan").text
    assert {f for f in fields if f'name="{f}"' in form} == fields


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"max_per_platform": 0}, "max_per_platform"),
        ({"max_posts": 11}, "max_posts"),
        ({"tiers": ["giant"]}, "tiers"),
        ({"countries": ["USA"]}, "countries"),
        ({"quotes": {"someone": -5}}, "quotes"),
    ],
)
def test_out_of_range_options_name_the_field_through_either_door(
    client: TestClient, options: dict[str, Any], field: str
) -> None:
    api = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": BUDGET, **options})
    assert api.status_code == 422
    assert api.json()["error"]["parameter"].split(".")[0] == field
    params = [("brief", BRIEF), ("budget", str(BUDGET)), *_as_form(options)]
    page = client.get("/plan", params=tuple(params))
    assert page.status_code == 400
    assert field in page.text
