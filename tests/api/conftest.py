"""The JSON API through the real application (create_app, lifespan included), on the project's data.

One application for the whole folder: the schemathesis module loads its OpenAPI document at import
time, the `client` fixture runs its lifespan (data loaded and validated, API state built).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph_service.api.state import STATE_KEY, ApiState
from graph_service.app import create_app
from graph_service.config import Settings

APP = create_app(Settings(workers=1, trusted_hosts="testserver"))


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """A client of the app whose lifespan ran."""
    with TestClient(APP) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def api_state(client: TestClient) -> ApiState:
    """The state the lifespan built."""
    state: ApiState = getattr(client.app.state, STATE_KEY)  # type: ignore[attr-defined]
    return state
