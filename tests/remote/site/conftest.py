"""The API and publishing tests' app in remote mode: the project's data on Oxigraph's server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.publishing.publication import Publication
from graph_service.runtime import Runtime
from graph_service.web.app import create_app
from tests.helpers import DCAT_AP_SHAPES, real_settings
from tests.remote.engine import Engine


@pytest.fixture(scope="session")
def remote_client(real_engine: Engine) -> Iterator[TestClient]:
    """The real-data app over the remote engine."""
    settings = real_settings().model_copy(update=real_engine.settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client(remote_client: TestClient) -> TestClient:
    """What the imported tests call `client`."""
    return remote_client


@pytest.fixture(scope="session")
def runtime(client: TestClient) -> Runtime:
    """The runtime of the remote app."""
    built: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return built


@pytest.fixture(scope="session")
def state(runtime: Runtime) -> Publication:
    """The publishing artefacts of the remote app."""
    return runtime.publication


@pytest.fixture(scope="session")
def dcat_ap_shapes() -> Graph:
    """DCAT-AP's properties as SHACL (tests/publishing)."""
    return Graph().parse(DCAT_AP_SHAPES, format="turtle")
