"""Schemathesis over the OpenAPI schema: generated requests (valid and invalid) never get a 5xx,
an undocumented status, a wrong content type or a body that breaks the documented schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from microscout.config import Settings
from microscout.web import create_app
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
