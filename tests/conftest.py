"""Shared fixtures: settings, the project's graph (read-only), an Oxigraph store of it, the real-data app."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.dataset.loading import LoadedGraph, load_project
from tests.helpers import TEST_PROFILE, examples, real_app

FIXTURES = Path(__file__).parent / "fixtures"
# the SHACL verdicts of this run (and of the servers it starts) go to a folder of its own, not the user's cache
if "KG_CACHE_DIR" not in os.environ:
    os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")
    atexit.register(shutil.rmtree, os.environ["KG_CACHE_DIR"], ignore_errors=True)

# The profile of tests that name no settings; tests that name theirs are scaled below.
hypothesis.settings.register_profile("full", max_examples=100)
hypothesis.settings.register_profile("fast", max_examples=examples(100))
hypothesis.settings.load_profile(TEST_PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a real server (e2e, remote, browser) is slow. In the fast profile
    (KG_TEST_PROFILE=fast), every hypothesis test draws examples(its max_examples)."""
    for item in items:
        if any(item.get_closest_marker(name) for name in ("e2e", "remote", "browser")):
            item.add_marker(pytest.mark.slow)
    if TEST_PROFILE == "full":
        return
    for item in items:
        test = getattr(item, "obj", None)
        chosen = getattr(test, "_hypothesis_internal_use_settings", None)
        if chosen is None or getattr(test, "_scaled_for_the_fast_profile", False):
            continue
        test._hypothesis_internal_use_settings = hypothesis.settings(  # type: ignore[union-attr]
            chosen, max_examples=examples(chosen.max_examples)
        )
        test._scaled_for_the_fast_profile = True  # type: ignore[union-attr]


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
