"""The JSON API tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_service.runtime import Runtime


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture(scope="session")
def runtime(client: TestClient) -> Runtime:
    """The runtime the lifespan built."""
    state: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return state
