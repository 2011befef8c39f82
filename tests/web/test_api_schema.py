"""Schemathesis over the OpenAPI schema: generated requests (valid and invalid) never get a 5xx,
an undocumented status, a wrong content type or a body that breaks the documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete

from microscout.adapters.workspace.campaign_rows import Brand, Campaign
from microscout.adapters.workspace.models import Shortlist
from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.web import create_app
from tests.accounts import Team, bearer, team_home
from tests.local_web import LOCAL

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# The schema does not depend on data: read it from an app that never opens its (absent) store
# (and answers the loader's own host name); the requests go to the test client's app, which
# serves the scored demo, on a loopback name it answers.
schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json",
    create_app(Settings(home=Path("/nonexistent/microscout"), allowed_hosts=("*",))),
)


@schema.parametrize()
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_the_api_keeps_its_contract(case: schemathesis.Case[Any], client: TestClient) -> None:
    case.call_and_validate(checks=CHECKS, app=client.app, base_url=LOCAL)


@pytest.fixture(scope="module")
def team(scored_demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Team:
    return team_home(scored_demo, tmp_path_factory.mktemp("team"))


@pytest.fixture(scope="module")
def team_client(team: Team) -> Iterator[TestClient]:
    with TestClient(create_app(team.settings), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_with_sign_in_on_a_write_token_keeps_the_contract(
    case: schemathesis.Case[Any], team: Team, team_client: TestClient
) -> None:
    case.call_and_validate(
        checks=CHECKS, app=team_client.app, base_url=LOCAL, headers=bearer(team.editor_write)
    )


def test_sequences_of_calls_with_a_token_keep_the_contract(
    team: Team, team_client: TestClient
) -> None:
    """Stateful: shortlists made, renamed, filled and deleted in generated orders (links
    inferred from the schema), every step with the editor's write token."""
    machine = schema.as_state_machine()
    statuses: list[int] = []

    class WithToken(machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            # every scenario starts from no shortlist and no campaign (ids start again at 1),
            # so a replayed scenario meets the same answers
            with open_workspace(team.settings) as ws, ws.session() as session:
                for table in (Shortlist, Campaign, Brand):
                    session.execute(delete(table))

        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"app": team_client.app, "base_url": LOCAL, "headers": bearer(team.editor_write)}

        def validate_response(
            self, response: Any, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            statuses.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

    WithToken.run(
        settings=hypothesis.settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    # the sequences did reach the writes: lists were made with the token
    assert statuses.count(201) >= 3, statuses
