"""Web-edge tests run on the one real-data app (tests/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers import real_settings, started_apps


@pytest.fixture(scope="session")
def client(real_client: TestClient) -> TestClient:
    """A client of the real-data app."""
    return real_client


@pytest.fixture
def make_real_client() -> Iterator[Callable[[], TestClient]]:
    """A client of a fresh real-data app that trusts no Host (closed at the end of the test)."""
    with started_apps(lambda: real_settings().model_copy(update={"trusted_hosts": ""})) as start:
        yield start
