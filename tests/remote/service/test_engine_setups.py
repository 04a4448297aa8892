"""The engine set-ups of the README besides the default one (`oxigraph load` + `serve-read-only`)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_service.web.app import create_app
from tests.helpers import base_settings
from tests.remote.engine import OxigraphServer

pytestmark = [pytest.mark.remote, pytest.mark.slow]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_an_in_memory_engine_loaded_over_http_at_each_start_serves_the_service() -> None:
    """`oxigraph serve` without a store directory, loaded with POST /store (deploy/systemd/oxigraph-memory@)."""
    engine = OxigraphServer(base_settings(), memory=True)
    try:
        assert engine.location is None
        with TestClient(create_app(base_settings(**engine.settings))) as client:
            before = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).text
            assert int(before.split()[-1]) == client.get("/health").json()["triples"]
            engine.stop()
            engine.start()  # nothing on disk: the restart loads the export again
            again = client.get("/sparql", params={"query": COUNT + " #again"}, headers={"Accept": "text/csv"})
            assert again.status_code == 200 and again.text == before
    finally:
        engine.remove()
