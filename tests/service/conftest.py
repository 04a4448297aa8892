"""Fixtures of the service tests: settings on a small valid fixture (or the real data), an
in-process client (lifespan included) and a real server started with `graph-service serve`.

Set KG_TEST_DATA=real to run the same tests against the project's own ontology, data and queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.web.app import create_app
from tests.helpers import Server, base_settings


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
    opened: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        test_client = TestClient(create_app(base_settings(**overrides)))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A real server (deadline 1 s so the slow-query test is quick)."""
    running = Server(base_settings(query_timeout_s=1, workers=2))
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()
