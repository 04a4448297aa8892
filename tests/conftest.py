"""Shared fixtures: settings, the project's graph (read-only), an Oxigraph store of it, the real-data app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.loading import LoadedGraph, load_project
from tests.helpers import real_app

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Default settings: the repository's ontology, data and queries."""
    return Settings()


@pytest.fixture(scope="session")
def project(settings: Settings) -> LoadedGraph:
    """The whole project graph (ontology + data), loaded once."""
    return load_project(settings)


@pytest.fixture(scope="session")
def store(project: LoadedGraph) -> Iterator[pyoxigraph.Store]:
    """An in-memory Oxigraph store holding the project graph."""
    st = pyoxigraph.Store()
    st.load(project.graph.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    yield st


@pytest.fixture(scope="session")
def real_client() -> Iterator[TestClient]:
    """A client of the one real-data app (lifespan run once: data loaded, validated, state built)."""
    with TestClient(real_app()) as test_client:
        yield test_client
