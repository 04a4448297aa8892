"""The JSON API tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_service.api_state import STATE_KEY, ApiState


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture(scope="session")
def api_state(client: TestClient) -> ApiState:
    """The state the lifespan built."""
    state: ApiState = getattr(client.app.state, STATE_KEY)  # type: ignore[attr-defined]
    return state
