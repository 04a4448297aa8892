"""Shared fixtures: settings, the project's graph (read-only), an Oxigraph store of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from graph_service.config import Settings
from graph_service.loading import LoadedGraph, load_project

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
