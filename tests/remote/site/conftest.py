"""The API and publishing tests' app in remote mode: the project's data on Oxigraph's server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.api_state import STATE_KEY, ApiState
from graph_service.publishing.state import PublishingState
from graph_service.web.app import create_app
from tests.helpers import DCAT_AP_SHAPES, real_settings
from tests.remote.engine import OxigraphServer


@pytest.fixture(scope="session")
def remote_client(real_engine: OxigraphServer) -> Iterator[TestClient]:
    """The real-data app over the remote engine."""
    settings = real_settings().model_copy(update={"engine_url": real_engine.url})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client(remote_client: TestClient) -> TestClient:
    """What the imported tests call `client`."""
    return remote_client


@pytest.fixture(scope="session")
def api_state(client: TestClient) -> ApiState:
    """The JSON API state of the remote app."""
    state: ApiState = getattr(client.app.state, STATE_KEY)  # type: ignore[attr-defined]
    return state


@pytest.fixture(scope="session")
def state(client: TestClient) -> PublishingState:
    """The publishing state of the remote app."""
    publishing: PublishingState = client.app.state.publishing  # type: ignore[attr-defined]
    return publishing


@pytest.fixture(scope="session")
def dcat_ap_shapes() -> Graph:
    """DCAT-AP's properties as SHACL (tests/publishing)."""
    return Graph().parse(DCAT_AP_SHAPES, format="turtle")
