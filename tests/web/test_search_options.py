"""Every option of `microscout search` is offered by `GET /api/v1/search` and the search page, and
every option of `microscout similar` by `GET /api/v1/creators/{platform}/{handle}/similar`; each
changes the answer as it says, through every door, and the doors offer the same option set."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient

from microscout.cli.discover import search as search_command
from microscout.cli.discover import similar as similar_command
from microscout.services.discovery.request import (
    LookalikeRequest,
    SearchRequest,
    cli_flag,
    request_fields,
)
from tests.search_options import BRIEF, CASES, WIDE, Facts, Key, check_case, lookalike_options

HIT = re.compile(r'<a class="handle" href="/creators/([^/"]+)/([^"]+)">')
Door = Callable[[TestClient, Mapping[str, str], Mapping[str, Any]], list[Key]]


def keys_of(response: Any) -> list[Key]:
    body = response.json()
    assert response.status_code == 200, body
    return [(h["platform"], h["handle"]) for h in body["items"]]


def search_api(
    client: TestClient, seed: Mapping[str, str], options: Mapping[str, Any]
) -> list[Key]:
    """The creators the search API answers for the brief and ``options``."""
    return keys_of(client.get("/api/v1/search", params={"brief": BRIEF, **options}))


def as_form(options: Mapping[str, Any]) -> dict[str, str]:
    """The options as a browser sends the search form: every field, empty when not set, the
    engagement rate in percent, and the reach gate only when its box is ticked."""
    form = {f.name: "" for f in request_fields(SearchRequest) if f.name != "reach_gate"}
    form["tier"] = "any"
    for name, value in options.items():
        if name == "min_engagement":
            form[name] = f"{value * 100:g}"
        elif isinstance(value, bool):
            form[name] = "1" if value else ""
        else:
            form[name] = str(value)
    return form


def search_page(
    client: TestClient, seed: Mapping[str, str], options: Mapping[str, Any]
) -> list[Key]:
    """The creators the search page lists for the same request, read from their links."""
    response = client.get("/search", params={**as_form(options), "brief": BRIEF})
    assert response.status_code == 200, response.text[-2000:]
    return [(p, html.unescape(h)) for p, h in HIT.findall(response.text)]


def similar_api(
    client: TestClient, seed: Mapping[str, str], options: Mapping[str, Any]
) -> list[Key]:
    """The lookalikes the API answers for the seed creator and ``options``."""
    path = f"/api/v1/creators/{seed['platform']}/{seed['handle']}/similar"
    return keys_of(client.get(path, params=lookalike_options(options)))


DOORS: Mapping[str, Door] = {
    "search api": search_api,
    "search page": search_page,
    "similar api": similar_api,
}


@pytest.fixture(scope="module")
def facts(client: TestClient) -> Facts:
    """Each demo creator's figures as the API lists them, and its language from its profile."""
    rows: dict[Key, dict[str, Any]] = {}
    for offset in (0, 200, 400):
        page = client.get("/api/v1/creators", params={"limit": 200, "offset": offset}).json()
        rows.update({(r["platform"], r["handle"]): r for r in page["items"]})

    def lookup(key: Key) -> Mapping[str, Any]:
        row = rows[key]
        if "language" not in row:
            row["language"] = client.get(f"/api/v1/creators/{key[0]}/{key[1]}").json()["language"]
        return row

    return lookup


@pytest.fixture(scope="module")
def wide(client: TestClient, micro: dict[str, str]) -> dict[str, list[Key]]:
    """Each door's answer with every tier and a long list: what the options narrow down."""
    return {name: door(client, micro, WIDE) for name, door in DOORS.items()}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("case", CASES)
def test_each_filter_drops_the_creators_it_should(
    client: TestClient,
    micro: dict[str, str],
    facts: Facts,
    wide: dict[str, list[Key]],
    door: str,
    case: str,
) -> None:
    found = DOORS[door](client, micro, {**WIDE, **CASES[case].options})
    check_case(CASES[case], wide[door], found, facts)


@pytest.mark.parametrize("door", ["search api", "similar api"])
def test_the_api_keeps_to_the_micro_tier_unless_told_any(
    client: TestClient,
    micro: dict[str, str],
    facts: Facts,
    wide: dict[str, list[Key]],
    door: str,
) -> None:
    assert {facts(k)["tier"] for k in wide[door]} > {"micro"}
    found = DOORS[door](client, micro, {"limit": 100})
    assert found
    assert {facts(k)["tier"] for k in found} == {"micro"}


def test_the_page_allows_every_tier_unless_it_picks_one(
    client: TestClient, micro: dict[str, str], facts: Facts
) -> None:
    # The page starts at the micro band as a follower range, which the user may widen.
    untold = search_page(client, micro, {"limit": 100})
    assert {facts(k)["tier"] for k in untold} > {"micro"}
    micro_only = search_page(client, micro, {"tier": "micro", "limit": 100})
    assert micro_only
    assert {facts(k)["tier"] for k in micro_only} == {"micro"}


@pytest.mark.parametrize("door", DOORS)
def test_limit_sets_the_length_of_the_list(
    client: TestClient, micro: dict[str, str], door: str
) -> None:
    assert len(DOORS[door](client, micro, {"tier": "any", "limit": 7})) == 7


def _command_options(command: Callable[..., None]) -> tuple[set[str], set[str]]:
    """The options and the arguments of one command."""
    app = typer.Typer()
    app.command()(command)
    app.command("noop")(lambda: None)
    group = typer.main.get_command(app)
    params = group.commands[command.__name__].params  # type: ignore[attr-defined]
    options = {flag for p in params for flag in (*p.opts, *p.secondary_opts) if flag[:2] == "--"}
    arguments = {p.name for p in params if not p.opts[0].startswith("-")}
    return options, arguments


def test_the_commands_the_api_and_the_page_offer_the_same_options(client: TestClient) -> None:
    outputs = {"--json", "--csv", "--no-reach-gate"}
    for command, model in ((search_command, SearchRequest), (similar_command, LookalikeRequest)):
        fields = request_fields(model)
        options, arguments = _command_options(command)
        assert options - outputs == {cli_flag(f.name) for f in fields if not f.required}
        assert arguments == {f.name for f in fields if f.required}
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    searched = {p["name"] for p in paths["/api/v1/search"]["get"]["parameters"]}
    assert searched == {f.name for f in request_fields(SearchRequest)}
    similar = paths["/api/v1/creators/{platform}/{handle}/similar"]["get"]["parameters"]
    assert {p["name"] for p in similar} == {f.name for f in request_fields(LookalikeRequest)}
    form = client.get("/search").text
    names = {f.name for f in request_fields(SearchRequest)}
    assert {n for n in names if f'name="{n}"' in form} == names


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"tier": "giant"}, "tier"),
        ({"platform": "myspace"}, "platform"),
        ({"country": "USA"}, "country"),
        ({"language": "e"}, "language"),
        ({"min_engagement": 2}, "min_engagement"),
        ({"min_audience_quality": 101}, "min_audience_quality"),
        ({"max_fee": -1}, "max_fee"),
        ({"max_followers": -1}, "max_followers"),
    ],
)
def test_out_of_range_options_name_the_field_through_each_door(
    client: TestClient, micro: dict[str, str], options: dict[str, Any], field: str
) -> None:
    api = client.get("/api/v1/search", params={"brief": BRIEF, **options})
    assert api.status_code == 422
    assert api.json()["error"]["parameter"] == field
    lookalike = lookalike_options(options)
    path = f"/api/v1/creators/{micro['platform']}/{micro['handle']}/similar"
    similar = client.get(path, params=lookalike)
    assert similar.status_code == 422
    assert similar.json()["error"]["parameter"] == next(iter(lookalike))
    page = client.get("/search", params={**as_form(options), "brief": BRIEF})
    assert page.status_code == 400
    assert f"{field}: " in html.unescape(page.text)


def test_an_unknown_query_parameter_is_refused_not_ignored(
    client: TestClient, micro: dict[str, str]
) -> None:
    # A misspelt filter would otherwise return unfiltered creators that look filtered.
    typo = client.get("/api/v1/search", params={"brief": BRIEF, "max_fees": 10})
    assert typo.status_code == 422
    assert typo.json()["error"]["parameter"] == "max_fees"
    path = f"/api/v1/creators/{micro['platform']}/{micro['handle']}/similar"
    assert client.get(path, params={"language_code": "de"}).status_code == 422
