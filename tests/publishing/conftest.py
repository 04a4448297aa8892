"""Publishing tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.config import Settings
from graph_service.publishing.publication import Publication
from tests.helpers import DCAT_AP_SHAPES, real_settings


@pytest.fixture(scope="session")
def publishing_settings() -> Settings:
    """The settings of the real-data app."""
    return real_settings()


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture(scope="session")
def state(client: TestClient) -> Publication:
    """The publishing state the lifespan built."""
    app_state: Publication = client.app.state.runtime.publication  # type: ignore[attr-defined]
    return app_state


@pytest.fixture(scope="session")
def dcat_ap_shapes() -> Graph:
    """Our SHACL encoding of DCAT-AP's mandatory (Violation) and recommended (Warning) properties."""
    return Graph().parse(DCAT_AP_SHAPES, format="turtle")
