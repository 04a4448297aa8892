"""The service tests' app in remote mode: fixture data on Oxigraph's server, the same limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.web.app import create_app
from tests.helpers import base_settings, started_apps
from tests.remote.engine import Engine


@pytest.fixture(scope="session")
def service_settings(fixture_engine: Engine) -> Settings:
    """The service tests' settings (tests/service/conftest.py), in remote mode."""
    return base_settings(max_rows=50, max_query_length=2_000, query_timeout_s=5, **fixture_engine.settings)


@pytest.fixture(scope="session")
def client(service_settings: Settings) -> Iterator[TestClient]:
    """The service tests' app over the remote engine."""
    with TestClient(create_app(service_settings)) as test_client:
        yield test_client


@pytest.fixture
def make_client(fixture_engine: Engine) -> Iterator[Callable[..., TestClient]]:
    """Start a remote-mode app with its own settings; closed at the end of the test."""
    with started_apps(lambda **overrides: base_settings(**{**fixture_engine.settings, **overrides})) as start:
        yield start
