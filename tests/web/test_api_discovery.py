"""Search, compare and plan through the ASGI client, with their bad inputs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

BRIEF = "healthy treats for dogs and cats and their owners"


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]  # type: ignore[no-any-return]


def test_search_ranks_hits_with_reasons_within_the_filters(client: TestClient) -> None:
    response = client.get(
        "/api/v1/search",
        params={"brief": BRIEF, "tier": "any", "min_followers": 10_000, "max_followers": 50_000},
    )
    body = response.json()
    assert response.status_code == 200, body
    hits = body["items"]
    assert hits
    assert body["candidates"] >= len(hits)
    assert all(10_000 <= h["followers"] <= 50_000 for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all(h["reasons"] for h in hits)
    # The demo's pet creators talk about dogs and cats: the top hits must use those words.
    assert any({"dogs", "cats", "dog", "cat"} & set(h["matched_terms"]) for h in hits[:3])


def test_search_refuses_only_a_brief_without_content_words(client: TestClient) -> None:
    empty = client.get("/api/v1/search", params={"brief": ""})
    assert empty.status_code == 422
    assert error_of(empty)["parameter"] == "brief"
    hollow = client.get("/api/v1/search", params={"brief": "the and for of ... !"})
    assert hollow.status_code == 400
    assert error_of(hollow)["parameter"] == "brief"
    assert "no content words" in error_of(hollow)["message"]
    unknown = client.get("/api/v1/search", params={"brief": "zzqx wvvy"})
    assert unknown.status_code == 200
    assert unknown.json()["notes"]


def test_search_with_filters_nobody_passes_is_a_404_that_says_so(client: TestClient) -> None:
    response = client.get(
        "/api/v1/search", params={"brief": BRIEF, "min_followers": 10**9, "tier": "any"}
    )
    assert response.status_code == 404
    assert "loosen" in error_of(response)["message"]


def test_compare_returns_a_symmetric_overlap_matrix(
    client: TestClient, micro: dict[str, Any]
) -> None:
    listed = client.get("/api/v1/creators", params={"tier": "micro", "limit": 50}).json()["items"]
    # two creators on one platform (a measured or modelled overlap) and one on another (none)
    first = listed[0]
    same = next(c for c in listed[1:] if c["platform"] == first["platform"])
    other = next(c for c in listed if c["platform"] != first["platform"])
    others = [first, same, other]
    chosen = [f"{c['platform']}:{c['handle']}" for c in others]
    body = client.get("/api/v1/creators/compare", params={"creator": chosen}).json()
    matrix = body["overlap"]
    assert len(matrix) == 3
    assert all(len(row) == 3 for row in matrix)
    for i in range(3):
        assert matrix[i][i] == 1.0
        assert body["basis"][i][i] == "self"
        for j in range(3):
            assert matrix[i][j] == matrix[j][i]
            assert body["basis"][i][j] == body["basis"][j][i]
            if others[i]["platform"] != others[j]["platform"]:
                # audiences on two platforms cannot be matched: no number, and it says why
                assert matrix[i][j] is None
                assert body["basis"][i][j] == "no shared platform"
            else:
                assert 0.0 <= matrix[i][j] <= 1.0
    assert [c["handle"] for c in body["creators"]] == [c["handle"] for c in others]


def test_compare_needs_two_to_six_distinct_creators(
    client: TestClient, micro: dict[str, Any]
) -> None:
    key = f"{micro['platform']}:{micro['handle']}"
    one = client.get("/api/v1/creators/compare", params={"creator": [key]})
    assert one.status_code == 422
    assert error_of(one)["parameter"] == "creator"
    twice = client.get("/api/v1/creators/compare", params={"creator": [key, key]})
    assert twice.status_code == 400
    assert "twice" in error_of(twice)["message"]
    unknown = client.get("/api/v1/creators/compare", params={"creator": [key, "nobody_here"]})
    assert unknown.status_code == 404


def test_a_plan_stays_within_budget_beside_one_macro_creator(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": 3000})
    body = response.json()
    assert response.status_code == 200, body
    totals = body["totals"]
    assert 0 < totals["cost"] <= 3000
    assert totals["creators"] == len(body["creators"]) >= 1
    spent = sum(c["fee"] + c["coordination"] for c in body["creators"])  # coordination: 0 or more
    assert spent == pytest.approx(totals["cost"])
    assert body["frontier"], "the budget -> reach frontier is part of the answer"
    macro = body["comparisons"]["macro"]
    if macro is not None:
        assert macro["cost"] <= 3000


def test_plan_bad_bodies_are_422_naming_the_field(client: TestClient) -> None:
    cases: list[tuple[Any, str]] = [
        ({"brief": BRIEF, "budget": -5}, "budget"),
        ({"brief": BRIEF, "budget": 1000, "objective": "fame"}, "objective"),
        ({"brief": BRIEF}, "budget"),
        ({"brief": BRIEF, "budget": 1000, "surprise": 1}, "surprise"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/plans", json=body)
        assert response.status_code == 422, body
        assert error_of(response)["parameter"] == field, body


def test_malformed_json_is_a_422_with_a_clear_message(client: TestClient) -> None:
    response = client.post(
        "/api/v1/plans",
        content=b'{"brief": "x", "budget": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "not valid JSON" in error_of(response)["message"]
