"""The campaign API: create, add, move, agree and report, with bad input answered 4xx."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

CAMPAIGN = {
    "name": "API spring",
    "budget": 2500,
    "starts_on": "2025-01-01",
    "ends_on": "2026-12-31",
}


def test_a_campaign_through_the_api_from_creation_to_report(
    client: TestClient, micro: dict[str, Any]
) -> None:
    made = client.post("/api/v1/campaigns", json=CAMPAIGN)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    added = client.post(f"/api/v1/campaigns/{cid}/creators", json={"creators": [micro["handle"]]})
    assert added.json() == {"added": [micro["handle"]], "already": []}
    base = f"/api/v1/campaigns/{cid}/creators/{micro['platform']}/{micro['handle']}"
    early = client.post(f"{base}/status", json={"status": "paid"})
    assert early.status_code == 400
    assert "agreed fee first" in early.json()["error"]["message"]
    agreed = client.post(f"{base}/agreement", json={"fee": 300, "posts": 2})
    assert (agreed.json()["status"], agreed.json()["agreed_fee"]) == ("agreed", 300)
    live = client.post(f"{base}/status", json={"status": "content_live", "note": "posted"})
    assert live.json()["status"] == "content_live"
    detail = client.get(f"/api/v1/campaigns/{cid}").json()
    assert [m["handle"] for m in detail["creators"]] == [micro["handle"]]
    report = client.get(f"/api/v1/campaigns/{cid}/report").json()
    assert report["totals"]["spend"] == 300
    assert report["creators"][0]["status"] == "content_live"
    assert cid in [c["id"] for c in client.get("/api/v1/campaigns").json()]


def test_bad_campaign_requests_are_answered_4xx_naming_the_problem(client: TestClient) -> None:
    backwards = {**CAMPAIGN, "name": "Backwards", "ends_on": "2024-01-01"}
    assert client.post("/api/v1/campaigns", json=backwards).status_code == 400
    assert client.post("/api/v1/campaigns", json={**CAMPAIGN, "budget": -1}).status_code == 422
    assert client.post("/api/v1/campaigns", json={**CAMPAIGN, "tone": "fun"}).status_code == 422
    assert client.get("/api/v1/campaigns/999999").status_code == 404
    both = client.post("/api/v1/campaigns/1/creators", json={})
    assert both.status_code in (400, 404)
    unknown_status = client.post(
        "/api/v1/campaigns/1/creators/instagram/x/status", json={"status": "ghosted"}
    )
    assert unknown_status.status_code == 422
