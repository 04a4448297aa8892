"""Property-based tests of every /api operation from the OpenAPI document: no 5xx, responses conform.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example
database, no network (the app is called in-process through ASGI, its lifespan held open).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.helpers import real_app

schema = schemathesis.openapi.from_asgi("/openapi.json", real_app()).include(path_regex="^/api/")


@pytest.fixture(autouse=True)
def running_app(client: TestClient) -> None:
    """The application's lifespan runs (held open by the session `client`)."""


@schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_operation(case: schemathesis.Case) -> None:
    # Schema-valid but unknown ids (random strings) are refused with 404/422 by design.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
