"""What one plan may cost the server: a budget cap naming its setting, and at most
``web_plans_at_once`` plans at once per process, the next refused with 429 and Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microscout.config import Settings
from microscout.web import create_app
from microscout.web.state import AppState
from tests.local_web import LOCAL

BRIEF = "healthy treats for dogs and cats and their owners"


def state_of(client: TestClient) -> AppState:
    state: AppState = client.app.state.microscout  # type: ignore[attr-defined]
    return state


@pytest.fixture
def every_slot_taken(client: TestClient) -> Iterator[int]:
    """Every plan slot of the app held, as plans already running would hold them."""
    state = state_of(client)
    slots = state.settings.web_plans_at_once
    for _ in range(slots):
        assert state.plans.acquire(blocking=False)
    yield slots
    for _ in range(slots):
        state.plans.release()


def test_a_budget_over_the_cap_is_refused_naming_the_setting(client: TestClient) -> None:
    cap = state_of(client).settings.plan_max_budget
    over = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": cap * 10})
    assert over.status_code == 400
    error = over.json()["error"]
    assert error["parameter"] == "--budget"
    assert "plan_max_budget" in error["message"]
    page = client.get("/plan", params={"brief": BRIEF, "budget": str(cap * 10)})
    assert page.status_code == 400
    assert "plan_max_budget" in page.text


def test_a_plan_beyond_the_slots_gets_429_with_retry_after(
    client: TestClient, every_slot_taken: int
) -> None:
    refused = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": 3000})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    error = refused.json()["error"]
    assert error["code"] == "too_many_requests"
    assert "web_plans_at_once" in error["message"]
    page = client.get("/plan", params={"brief": BRIEF, "budget": "3000"})
    assert page.status_code == 429
    # the form itself, without a brief, costs nothing and is still served
    assert client.get("/plan").status_code == 200


def test_a_slot_is_given_back_after_each_plan_even_a_refused_one(client: TestClient) -> None:
    settings = state_of(client).settings
    slots = settings.web_plans_at_once
    for _ in range(slots + 1):  # each refused inside its slot, by the planner
        over = {"brief": BRIEF, "budget": settings.plan_max_budget * 10}
        assert client.post("/api/v1/plans", json=over).status_code == 400
    done = client.post("/api/v1/plans", json={"brief": BRIEF, "budget": 3000})
    assert done.status_code == 200, done.json()
    state = state_of(client)
    taken = [state.plans.acquire(blocking=False) for _ in range(slots)]
    assert all(taken)
    for _ in range(slots):
        state.plans.release()


def test_a_plan_past_its_time_limit_stops_and_says_it_is_unfinished(
    scored_demo: Settings,
) -> None:
    hurried = scored_demo.model_copy(update={"plan_time_limit": 1e-6})
    with TestClient(create_app(hurried), base_url=LOCAL) as client:
        body = {"brief": BRIEF, "budget": 50_000}
        cut = client.post("/api/v1/plans", json=body)
    with TestClient(create_app(scored_demo), base_url=LOCAL) as client:
        whole = client.post("/api/v1/plans", json=body)
    assert cut.status_code == whole.status_code == 200
    notes = cut.json()["notes"]
    assert notes[0].startswith("UNFINISHED: the time limit (plan_time_limit")
    assert any("cut the budget frontier short" in n for n in notes)
    assert not any(n.startswith("UNFINISHED") for n in whole.json()["notes"])
    assert cut.json()["totals"]["unique_reach"] < whole.json()["totals"]["unique_reach"]
