"""A test client on the scored demo home; every web test reads that one home."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microscout.config import Settings
from microscout.web import create_app
from tests.local_web import LOCAL


@pytest.fixture(scope="module")
def client(scored_demo: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(scored_demo), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


@pytest.fixture(scope="module")
def micro(client: TestClient) -> dict[str, str]:
    """A scored micro creator of the demo, as the API lists it."""
    page = client.get("/api/v1/creators", params={"tier": "micro", "limit": 1}).json()
    return page["items"][0]  # type: ignore[no-any-return]
