"""Web-edge tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from graph_service.web.app import create_app
from tests.helpers import real_settings


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture
def make_real_client() -> Iterator[Callable[[], TestClient]]:
    """A client of a fresh real-data app that trusts no Host (closed at the end of the test)."""
    opened: list[TestClient] = []

    def make() -> TestClient:
        settings = real_settings().model_copy(update={"trusted_hosts": ""})
        test_client = TestClient(create_app(settings))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)
