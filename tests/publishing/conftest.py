"""The real application (create_app, lifespan included) on the project's data, for publishing tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.app import create_app
from graph_service.config import Settings
from graph_service.publishing.state import PublishingState

DCAT_AP_SHAPES = Path(__file__).parent / "dcat-ap-shapes.ttl"
CONTACT = "publication@example.org"


@pytest.fixture(scope="session")
def publishing_settings() -> Settings:
    """The project's data, a contact address set, one query worker."""
    return Settings(contact_email=CONTACT, workers=1, trusted_hosts="testserver")


@pytest.fixture(scope="session")
def client(publishing_settings: Settings) -> Iterator[TestClient]:
    """A client of create_app(): data loaded, validated, dumps built at start-up."""
    with TestClient(create_app(publishing_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def state(client: TestClient) -> PublishingState:
    """The publishing state the lifespan built."""
    app_state: PublishingState = client.app.state.publishing  # type: ignore[attr-defined]
    return app_state


@pytest.fixture(scope="session")
def dcat_ap_shapes() -> Graph:
    """Our SHACL encoding of DCAT-AP's mandatory (Violation) and recommended (Warning) properties."""
    return Graph().parse(DCAT_AP_SHAPES, format="turtle")


def parse(body: bytes, media_type: str) -> Graph:
    """Parse a response body by its media type."""
    fmt = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }[media_type.split(";")[0].strip()]
    return Graph().parse(data=body, format=fmt)
