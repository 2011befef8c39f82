"""The plan's gates and its macro comparison through the API and the plan page, on the demo."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

QUERY = {"brief": "vegan skincare for sensitive skin", "budget": 5000}
EXCLUDED = re.compile(r'<tr data-excluded="([^"]*)" data-codes="([^"]*)">')
VERSUS = re.compile(r'<p class="versus"[^>]*>([^<]*)</p>')


def test_the_api_and_the_page_list_the_same_excluded_creators_with_their_reasons(
    client: TestClient,
) -> None:
    body = client.post("/api/v1/plans", json=QUERY).json()
    excluded = body["excluded"]
    assert excluded
    assert all(c["reasons"] and len(c["reasons"]) == len(c["codes"]) for c in excluded)
    assert body["gates"]["candidates"] == body["gates"]["passed"] + len(excluded)
    assert {c["handle"] for c in body["creators"]}.isdisjoint(c["handle"] for c in excluded)
    page = client.get("/plan", params={k: str(v) for k, v in QUERY.items()}).text
    listed = {html.unescape(h): codes.split("|") for h, codes in EXCLUDED.findall(page)}
    assert listed == {c["handle"]: c["codes"] for c in excluded}
    assert f"Left out by the gates: {len(excluded)} of {body['gates']['candidates']}" in page


def test_the_api_and_the_page_state_the_macro_comparison_in_the_same_words(
    client: TestClient,
) -> None:
    body = client.post("/api/v1/plans", json=QUERY).json()
    versus = body["comparisons"]["versus_macro"]
    assert versus is not None
    assert versus["summary"].startswith("Against one macro creator")
    page = client.get("/plan", params={k: str(v) for k, v in QUERY.items()}).text
    shown = VERSUS.search(page)
    assert shown is not None
    assert html.unescape(shown.group(1)) == versus["summary"]


def test_include_unvetted_reaches_the_plan_through_either_door(client: TestClient) -> None:
    body = client.post("/api/v1/plans", json={**QUERY, "include_unvetted": True}).json()
    assert body["gates"]["include_unvetted"] is True
    page = client.get(
        "/plan", params={**{k: str(v) for k, v in QUERY.items()}, "include_unvetted": "on"}
    ).text
    assert "creators with no audience evidence included" in page
