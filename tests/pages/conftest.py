"""The pages tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_service.api_state import ApiState
from tests.helpers import real_app


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture(scope="session")
def state(real_client: TestClient) -> ApiState:
    """The state the app built at start-up (read model, sheets, finder)."""
    built: ApiState = real_app().state.api_state
    return built
