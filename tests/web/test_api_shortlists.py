"""Shortlists through the API: create, add, note, remove, export, delete, and bad input.

The module's app writes its workspace (SQLite in the demo home) and never the warehouse.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.services.audit import recent_changes


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]  # type: ignore[no-any-return]


def three_creators(client: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get(
        "/api/v1/creators", params={"tier": "micro", "limit": 3, "sort": "er_median"}
    ).json()["items"]
    return items


def test_a_shortlist_from_creation_to_deletion(client: TestClient) -> None:
    created = client.post("/api/v1/shortlists", json={"name": "Autumn launch"})
    assert created.status_code == 201, created.json()
    list_id = created.json()["id"]
    creators = three_creators(client)
    keys = [f"{c['platform']}:{c['handle']}" for c in creators]
    added = client.post(
        f"/api/v1/shortlists/{list_id}/creators", json={"creators": keys, "note": "ask rates"}
    ).json()
    assert [a["handle"] for a in added["added"]] == [c["handle"] for c in creators]
    again = client.post(f"/api/v1/shortlists/{list_id}/creators", json={"creators": keys[:1]})
    assert again.json()["already"][0]["handle"] == creators[0]["handle"]

    first = creators[0]
    path = f"/api/v1/shortlists/{list_id}/creators/{first['platform']}/{first['handle']}"
    assert client.patch(path, json={"note": "send samples"}).status_code == 200
    detail = client.get(f"/api/v1/shortlists/{list_id}").json()
    assert detail["entries"] == 3
    by_handle = {i["handle"]: i for i in detail["items"]}
    assert by_handle[first["handle"]]["note"] == "send samples"
    assert by_handle[creators[1]["handle"]]["note"] == "ask rates"
    # figures are the warehouse's current ones
    assert by_handle[first["handle"]]["er_median"] == first["er_median"]

    exported = client.get(f"/api/v1/shortlists/{list_id}/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["handle"] for r in rows} == {c["handle"] for c in creators}

    assert client.delete(path).status_code == 200
    assert client.get(f"/api/v1/shortlists/{list_id}").json()["entries"] == 2
    renamed = client.patch(f"/api/v1/shortlists/{list_id}", json={"name": "Autumn launch v2"})
    assert renamed.json()["name"] == "Autumn launch v2"
    listed = {s["id"]: s for s in client.get("/api/v1/shortlists").json()}
    assert listed[list_id]["entries"] == 2
    assert client.delete(f"/api/v1/shortlists/{list_id}").status_code == 200
    assert client.get(f"/api/v1/shortlists/{list_id}").status_code == 404


def test_bad_shortlist_input_is_refused_and_changes_nothing(client: TestClient) -> None:
    list_id = client.post("/api/v1/shortlists", json={"name": "Keep me"}).json()["id"]
    before = client.get(f"/api/v1/shortlists/{list_id}").json()
    duplicate = client.post("/api/v1/shortlists", json={"name": "KEEP ME"})
    assert duplicate.status_code == 400
    assert error_of(duplicate)["parameter"] == "name"
    blank = client.post("/api/v1/shortlists", json={"name": ""})
    assert blank.status_code == 422
    assert error_of(blank)["parameter"] == "name"
    long_name = client.post("/api/v1/shortlists", json={"name": "x" * 101})
    assert long_name.status_code == 422
    unknown = client.post(
        f"/api/v1/shortlists/{list_id}/creators", json={"creators": ["nobody_at_all_here"]}
    )
    assert unknown.status_code == 404
    assert "nobody_at_all_here" in error_of(unknown)["message"]
    creator = three_creators(client)[0]
    long_note = client.post(
        f"/api/v1/shortlists/{list_id}/creators",
        json={"creators": [creator["handle"]], "note": "n" * 2001},
    )
    assert long_note.status_code == 422
    assert error_of(long_note)["parameter"] == "note"
    empty = client.post(f"/api/v1/shortlists/{list_id}/creators", json={"creators": []})
    assert empty.status_code == 422
    assert client.get(f"/api/v1/shortlists/{list_id}").json() == before
    assert client.get("/api/v1/shortlists/999999").status_code == 404
    assert client.get("/api/v1/shortlists/0").status_code == 422
    assert client.get("/api/v1/shortlists/abc").status_code == 422


def test_an_exported_note_that_looks_like_a_formula_opens_as_text(client: TestClient) -> None:
    list_id = client.post("/api/v1/shortlists", json={"name": "Formulas"}).json()["id"]
    creators = three_creators(client)
    notes = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
    for creator, note in zip(creators, notes, strict=False):
        key = f"{creator['platform']}:{creator['handle']}"
        client.post(
            f"/api/v1/shortlists/{list_id}/creators", json={"creators": [key], "note": note}
        )
    exported = client.get(f"/api/v1/shortlists/{list_id}/export.csv").text
    cells = [r["note"] for r in csv.DictReader(io.StringIO(exported))]
    assert sorted(cells) == sorted("'" + n for n in notes[: len(creators)])
    # the stored notes are unchanged: only the file a spreadsheet opens is neutralised
    stored = client.get(f"/api/v1/shortlists/{list_id}").json()["items"]
    assert sorted(i["note"] for i in stored) == sorted(notes[: len(creators)])


def test_a_change_through_the_api_is_audited_with_the_client_address(
    client: TestClient, scored_demo: Settings
) -> None:
    made = client.post("/api/v1/shortlists", json={"name": "Audited launch"}).json()
    with open_workspace(scored_demo) as workspace:
        changes = recent_changes(workspace, limit=50)
    mine = next(c for c in changes if c.entity == "shortlists" and c.entity_id == str(made["id"]))
    assert (mine.action, mine.actor) == ("created", "local")  # no users: the local owner
    assert mine.origin == "testclient"  # the client address Starlette's test client gives
    assert mine.detail["name"] == "Audited launch"
