"""Fixtures of the service tests: settings on a small valid fixture (or the real data), an
in-process client (lifespan included) and a real server started with `graph-service serve`.

Set KG_TEST_DATA=real to run the same tests against the project's own ontology, data and queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.web.app import create_app
from tests.helpers import Server, base_settings, started_apps


@pytest.fixture(scope="session")
def service_settings() -> Settings:
    """Settings of the shared in-process app."""
    return base_settings(max_rows=50, max_query_length=2_000, query_timeout_s=5)


@pytest.fixture(scope="module")
def client(service_settings: Settings) -> Iterator[TestClient]:
    """A client of an app whose lifespan ran (data loaded, validated, workers started)."""
    with TestClient(create_app(service_settings)) as test_client:
        yield test_client


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """Start an app with its own settings; closed at the end of the test."""
    with started_apps(base_settings) as start:
        yield start


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A real server, its deadline short for the slow-query test, long beside a quick query's time even
    on a loaded machine (the quick one must be answered while the slow one still runs)."""
    running = Server(base_settings(query_timeout_s=5, workers=2))
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()
