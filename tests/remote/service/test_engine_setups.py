"""The engine set-ups of docs/operators.md besides the default one (`oxigraph load` + `serve-read-only`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from graph_service.web.app import create_app
from tests.helpers import base_settings
from tests.remote.engine import Engine, OxigraphServer

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


def test_naming_the_graphs_in_every_query_gives_the_union_modes_answers(
    fixture_engine: Engine, make_client: Callable[..., TestClient]
) -> None:
    """KG_ENGINE_DATASET=graphs (for engines holding other graphs) over an engine serving the union."""
    if fixture_engine.dataset != "union":
        pytest.skip("this engine does not serve the union of the data's graphs as its default graph")
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    answers = [
        make_client(engine_dataset=mode).get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        for mode in ("union", "graphs")
    ]
    assert answers[0].status_code == answers[1].status_code == 200
    assert answers[0].text == answers[1].text and answers[0].text.count("\n") > 2


# An undeclared prefix (`bif:`, `sql:`) or a text before the query form is refused by the guard, which
# cannot write it back as SPARQL 1.1 (syntax-error); a declared prefix naming Virtuoso's functions passes
# the guard (it is SPARQL 1.1) and is refused by the remote layer (engine-extension).
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('SELECT (bif:http_get("http://127.0.0.1:9/") AS ?x) {}', "syntax-error"),
        ('PREFIX f: <BIF:> SELECT (f:http_get("http://127.0.0.1:9/") AS ?x) {}', "engine-extension"),
        ('SELECT (b\\u0069f:http_get("http://127.0.0.1:9/") AS ?x) {}', "syntax-error"),
        ("SELECT (sql:anything(1) AS ?x) {}", "syntax-error"),
        ('define input:grab-all "yes" SELECT * WHERE { ?s ?p ?o }', "syntax-error"),
    ],
)
def test_what_only_another_engine_reads_is_refused_before_it(
    query: str, code: str, make_client: Callable[..., TestClient]
) -> None:
    """Virtuoso's functions and pragmas (docs/operators.md, "A remote engine"): refused with a 400 in remote mode."""
    client = make_client()
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 400 and answer.json()["code"] == code
    assert client.get("/health").json()["worker_events"]["sent"] == 2  # the start-up check's two queries only
