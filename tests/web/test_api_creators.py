"""The creators routes through the ASGI client: lists, pages, one creator, vet, similar."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from microscout.services.browse.detail import CreatorDetail, Metric, Post
from microscout.services.browse.listing import ALL_COLUMNS
from microscout.services.vetting.report import FakeFollowers, Reason, VetReport
from microscout.web.api.creators import router
from microscout.web.api.schemas import MAX_PAGE_SIZE, CreatorSummary


def error_of(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    return body["error"]  # type: ignore[no-any-return]


def test_the_list_honours_filters_and_sorting(client: TestClient) -> None:
    body = client.get(
        "/api/v1/creators",
        params={"tier": "micro", "sort": "er_median", "order": "desc", "limit": 20},
    ).json()
    items = body["items"]
    assert items
    assert all(i["tier"] == "micro" for i in items)
    assert all(10_000 <= i["followers"] < 50_000 for i in items)
    rates = [i["er_median"] for i in items if i["er_median"] is not None]
    assert rates == sorted(rates, reverse=True)


def keys(page: dict[str, Any]) -> set[tuple[str, str]]:
    return {(i["platform"], i["handle"]) for i in page["items"]}


def test_pages_do_not_overlap_and_add_up_to_the_total(client: TestClient) -> None:
    first = client.get("/api/v1/creators", params={"limit": 7, "platform": "tiktok"}).json()
    second = client.get(
        "/api/v1/creators", params={"limit": 7, "offset": 7, "platform": "tiktok"}
    ).json()
    assert len(keys(first)) == 7
    assert not keys(first) & keys(second)
    assert first["next_offset"] == 7
    everything = client.get(
        "/api/v1/creators", params={"limit": MAX_PAGE_SIZE, "platform": "tiktok"}
    ).json()
    assert everything["total"] == first["total"] == len(everything["items"])
    assert everything["next_offset"] is None
    assert all(i["platform"] == "tiktok" for i in everything["items"])


def test_the_list_answers_the_summary_by_default_and_every_column_when_asked(
    client: TestClient,
) -> None:
    summary = client.get("/api/v1/creators", params={"limit": 3}).json()
    assert all(set(i) == set(CreatorSummary.model_fields) for i in summary["items"])
    every = client.get("/api/v1/creators", params={"limit": 3, "columns": "all"}).json()
    assert [i["handle"] for i in every["items"]] == [i["handle"] for i in summary["items"]]
    assert every["total"] == summary["total"]
    for item in every["items"]:
        assert list(item) == list(ALL_COLUMNS)
        assert isinstance(item["null_reasons"], list)
        assert item["niche_name"]
    many = client.get("/api/v1/creators", params={"limit": 1, "columns": "handle"})
    assert many.status_code == 422
    assert error_of(many)["parameter"] == "columns"


def test_tier_any_lists_every_tier(client: TestClient) -> None:
    every = client.get("/api/v1/creators", params={"tier": "any", "limit": 1}).json()
    unfiltered = client.get("/api/v1/creators", params={"limit": 1}).json()
    micro = client.get("/api/v1/creators", params={"tier": "micro", "limit": 1}).json()
    assert every["total"] == unfiltered["total"] > micro["total"]


def test_one_creator_explains_every_metric(client: TestClient, micro: dict[str, str]) -> None:
    body = client.get(f"/api/v1/creators/{micro['platform']}/{micro['handle']}").json()
    assert body["handle"] == micro["handle"]
    assert body["scored"]
    metrics = {m["name"]: m for m in body["metrics"]}
    er = metrics["er_median"]
    assert er["sample_column"] == "er_n"
    assert er["sample_size"] >= 1
    assert er["window"].startswith("posts from ")
    assert "engagement" in er["meaning"].lower()
    assert metrics["growth_30d"]["window"] == "follower snapshots"
    assert all(m["meaning"] for m in body["metrics"])
    assert 1 <= len(body["recent_posts"]) <= 5


def test_the_handle_is_found_with_an_at_sign_and_any_case(
    client: TestClient, micro: dict[str, str]
) -> None:
    handle = "@" + micro["handle"].upper()
    response = client.get(f"/api/v1/creators/{micro['platform']}/{handle}")
    assert response.status_code == 200
    assert response.json()["handle"] == micro["handle"]


def test_an_unknown_creator_is_a_404_naming_it_on_every_route(client: TestClient) -> None:
    for tail in ("", "/vet", "/similar"):
        response = client.get(f"/api/v1/creators/instagram/nobody_by_this_name{tail}")
        assert response.status_code == 404, tail
        assert "nobody_by_this_name" in error_of(response)["message"]  # type: ignore[operator]
    unknown_platform = client.get("/api/v1/creators/myspace/somebody")
    assert unknown_platform.status_code == 422
    assert error_of(unknown_platform)["parameter"] == "platform"


def test_invalid_filter_values_are_422_naming_the_parameter(client: TestClient) -> None:
    cases = {
        "platform": "myspace",
        "tier": "giant",
        "min_followers": "-5",
        "min_engagement": "3",
        "sort": "bogus",
        "order": "sideways",
        "country": "USA",
        "offset": "-1",
    }
    for name, bad in cases.items():
        response = client.get("/api/v1/creators", params={name: bad})
        assert response.status_code == 422, name
        error = error_of(response)
        assert error["parameter"] == name, error
        assert name in error["message"]  # type: ignore[operator]


def test_a_huge_page_size_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/creators", params={"limit": 10**6})
    assert response.status_code == 422
    assert error_of(response)["parameter"] == "limit"
    assert str(MAX_PAGE_SIZE) in error_of(response)["message"]  # type: ignore[operator]


def test_vet_gives_a_verdict_with_reasons(client: TestClient, micro: dict[str, str]) -> None:
    body = client.get(f"/api/v1/creators/{micro['platform']}/{micro['handle']}/vet").json()
    assert body["verdict"] in ("ok", "caution", "high risk")
    assert 0 <= body["audience_quality"] <= 100
    assert body["signals_checked"] >= 1
    for reason in body["reasons"]:
        assert reason["message"]
        assert "points" in reason


def test_the_profile_and_vet_routes_answer_the_services_own_models() -> None:
    models = {r.path: r.response_model for r in router.routes if isinstance(r, APIRoute)}
    assert models["/creators/{platform}/{handle}"] is CreatorDetail
    assert models["/creators/{platform}/{handle}/vet"] is VetReport


def test_the_openapi_schema_of_profile_and_vet_is_built_from_the_service_models(
    client: TestClient,
) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for tail, model in (("", CreatorDetail), ("/vet", VetReport)):
        ok = spec["paths"][f"/api/v1/creators/{{platform}}/{{handle}}{tail}"]["get"]["responses"]
        schema = ok["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model.__name__}"}
    components = spec["components"]["schemas"]
    service_models: tuple[type[BaseModel], ...] = (
        CreatorDetail,
        Metric,
        Post,
        VetReport,
        Reason,
        FakeFollowers,
    )
    for declared in service_models:
        component = components[declared.__name__]
        assert list(component["properties"]) == list(declared.model_fields), declared.__name__
        assert component["description"] == declared.__doc__, declared.__name__
    verdict = components["VetReport"]["properties"]["verdict"]
    assert verdict["enum"] == ["ok", "caution", "high risk", "not vetted"]


def test_similar_excludes_the_seed_and_ranks_by_score(
    client: TestClient, micro: dict[str, str]
) -> None:
    response = client.get(
        f"/api/v1/creators/{micro['platform']}/{micro['handle']}/similar",
        params={"tier": "any", "limit": 5},
    )
    body = response.json()
    assert response.status_code == 200, body
    handles = [h["handle"] for h in body["items"]]
    assert micro["handle"] not in handles
    assert 1 <= len(handles) <= 5
    scores = [h["score"] for h in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert [h["rank"] for h in body["items"]] == list(range(1, len(handles) + 1))


def test_an_unknown_route_is_a_json_404_under_api(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert "nothing-here" in error_of(response)["message"]  # type: ignore[operator]
