"""Remote mode's own promises: the start-up check of the engine's data, deadlines, and an engine
that goes away and comes back (503 meanwhile, recovery without restarting the service)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from graph_service.runtime import StartupRefusedError
from graph_service.web.app import create_app
from tests.helpers import base_settings, real_settings, refusing_port
from tests.remote.engine import Engine, engine_server

pytestmark = [pytest.mark.remote, pytest.mark.slow]

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?y }"
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture
def own_engine() -> Iterator[Engine]:
    """An engine of the fixture data that this test may stop and start."""
    engine = engine_server(base_settings(), timeout_s=3)
    yield engine
    engine.remove()


def engine_errors(client: TestClient, reason: str) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "graph_service_engine_errors_total" and sample.labels.get("reason") == reason:
                return sample.value
    return 0.0


def test_an_engine_holding_other_data_is_refused(fixture_engine: Engine) -> None:
    settings = real_settings().model_copy(update=fixture_engine.settings)
    with pytest.raises(StartupRefusedError) as refused, TestClient(create_app(settings)):
        pass
    assert "triples in its default graph" in refused.value.report
    assert "graph-service export" in refused.value.report


def test_an_engine_without_this_version_is_refused(fixture_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same triples, but no dataset of this version: refused (the check asks for another version)."""
    from graph_service.sparql import remote

    monkeypatch.setattr(remote, "VERSION_QUERY", remote.VERSION_QUERY.replace("= %s", "= CONCAT(%s, '-other')"))
    with (
        pytest.raises(StartupRefusedError) as refused,
        TestClient(create_app(base_settings(**fixture_engine.settings))),
    ):
        pass
    assert "does not hold data version" in refused.value.report


def test_an_engine_that_does_not_answer_is_refused() -> None:
    with (
        refusing_port() as port,
        pytest.raises(StartupRefusedError) as refused,
        TestClient(create_app(base_settings(engine_url=f"http://127.0.0.1:{port}/query"))),
    ):
        pass
    assert "does not answer" in refused.value.report


def test_the_deadline_holds_over_a_slow_engine(own_engine: Engine) -> None:
    with TestClient(create_app(base_settings(**own_engine.settings, query_timeout_s=1))) as client:
        slow = client.get("/sparql", params={"query": SLOW})
        assert slow.status_code == 504 and slow.json()["code"] == "query-timeout"
        assert client.get("/sparql", params={"query": ASK}).status_code == 200
        assert client.get("/health").json()["worker_events"]["timeouts"] == 1


def test_an_engine_that_stops_gives_503_then_the_service_recovers(own_engine: Engine) -> None:
    with TestClient(create_app(base_settings(**own_engine.settings))) as client:
        assert client.get("/sparql", params={"query": ASK}).status_code == 200
        own_engine.stop()
        down = client.get("/sparql", params={"query": "ASK { ?s ?p 1 }"})
        assert down.status_code == 503 and down.json()["code"] == "engine-unavailable"
        assert int(down.headers["retry-after"]) > 0
        assert "etag" not in down.headers and down.headers["cache-control"] == "no-store"
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["workers"] == 0
        assert engine_errors(client, "engine-unavailable") == 1
        own_engine.start()
        back = client.get("/sparql", params={"query": "ASK { ?s ?p 2 }"})
        assert back.status_code == 200
        assert client.get("/health").status_code == 200
