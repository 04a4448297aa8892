"""The service over a real Virtuoso (Debian's virtuoso-opensource): what remote mode needs from it
and refuses of it. Marked `virtuoso`; skipped, saying why, when Virtuoso is not installed (it is not
installed by `make test`: apt-get install virtuoso-opensource). The whole remote suite also runs
over it: KG_TEST_ENGINE=virtuoso pytest -m remote (docs/operators.md, "A remote engine")."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.runtime import StartupRefusedError
from graph_service.web.app import create_app
from tests.helpers import base_settings
from tests.remote.engine import VirtuosoServer, virtuoso_cli
from tests.service.egress import CountingListener, counting_listener, service_queries

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.slow,
    pytest.mark.skipif(
        virtuoso_cli() is None, reason="Virtuoso is not installed (apt-get install virtuoso-opensource)"
    ),
]
CUT = 20  # Virtuoso's ResultSetMaxRows here: below the service's row cap, to see it cut
SPELLINGS = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[VirtuosoServer]:
    """Virtuoso holding the fixture data; its SPARQL user may call SERVICE (as some operators allow)."""
    engine = VirtuosoServer(base_settings(), timeout_s=2, result_rows=CUT)
    engine.sql('GRANT SPARQL_SELECT_FED TO "SPARQL"; GRANT SPARQL_SPONGE TO "SPARQL";')
    yield engine
    engine.remove()


@pytest.fixture(scope="module")
def client(virtuoso: VirtuosoServer) -> Iterator[TestClient]:
    """The service over it, as docs/operators.md says: KG_ENGINE_DATASET=graphs."""
    with TestClient(create_app(base_settings(**virtuoso.settings, query_timeout_s=10))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def embedded() -> Iterator[TestClient]:
    """The service with its own workers, over the same files."""
    with TestClient(create_app(base_settings())) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    with counting_listener() as running:
        yield running


def direct(virtuoso: VirtuosoServer, query: str) -> httpx.Response:
    """The query sent to Virtuoso itself, not through the service."""
    return httpx.post(
        virtuoso.url, data={"query": query}, timeout=30, headers={"Accept": "application/sparql-results+json"}
    )


def test_the_start_up_check_passes_and_answers_match_the_embedded_mode(
    client: TestClient, embedded: TestClient
) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["triples"] == embedded.get("/health").json()["triples"]
    select = 'SELECT ?s ?o WHERE { ?s a ?o FILTER(!CONTAINS(STR(?s), "/graph/")) } ORDER BY ?s ?o LIMIT 15'
    rows = [
        client.get("/sparql", params={"query": select}, headers={"Accept": "text/csv"}).text
        for client in (client, embedded)
    ]
    assert rows[0] == rows[1] and rows[0].count("\n") == 16
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?t ; ?p ?o } LIMIT 10"  # Virtuoso: N-Triples, not a table
    answer = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200 and len(list(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))) == 10


def test_without_naming_the_graphs_virtuosos_own_graphs_fail_the_check(virtuoso: VirtuosoServer) -> None:
    with (
        pytest.raises(StartupRefusedError) as refused,
        TestClient(create_app(base_settings(engine_url=virtuoso.url, engine_dataset="union"))),
    ):
        pass
    assert "triples in its default graph" in refused.value.report
    assert "KG_ENGINE_DATASET=graphs" in refused.value.report


def test_a_syntax_error_is_a_400(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert answer.status_code == 400 and answer.json()["code"] == "syntax-error"
    assert "SP030" in answer.json()["detail"]  # Virtuoso's own message


def test_an_answer_cut_by_virtuoso_is_refused_not_served_as_complete(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(client.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"}).text.split()[-1]) > CUT
    answer = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert answer.status_code == 400 and answer.json()["code"] == "too-many-rows"
    assert answer.json()["max_rows"] == CUT


def test_virtuosos_time_limit_is_a_504(client: TestClient) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # > 2 s (MaxQueryExecutionTime)
    answer = client.get("/sparql", params={"query": slow})
    assert answer.status_code == 504 and answer.json()["code"] == "query-timeout"
    for foreseen in (
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",  # over its cost limit
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }",
    ):  # estimate < 0
        assert client.get("/sparql", params={"query": foreseen}).status_code == 504


@pytest.mark.parametrize(
    ("template", "virtuoso_connects"),
    [
        ('SELECT (bif:http_get("{url}a") AS ?x) {{}}', True),
        ('SELECT ?x {{ BIND(bif:http_get("{url}b") AS ?x) }}', True),
        ('SELECT (<bif:http_get>("{url}c") AS ?x) {{}}', True),
        ('PREFIX f: <bif:> SELECT (f:http_get("{url}d") AS ?x) {{}}', True),
        ('define input:grab-all "yes" SELECT * WHERE {{ <{url}e> ?p ?o }}', True),
        ('SELECT (BIF:http_get("{url}f") AS ?x) {{}}', False),
        ('SELECT (b\\u0069f:http_get("{url}g") AS ?x) {{}}', False),  # Virtuoso reads no \\u escape
    ],
)
def test_virtuoso_extensions_that_reach_the_network_are_refused(
    template: str,
    virtuoso_connects: bool,
    virtuoso: VirtuosoServer,
    client: TestClient,
    listener: CountingListener,
) -> None:
    query = template.format(url=listener.url)
    before = listener.connections
    refused = client.get("/sparql", params={"query": query})
    assert refused.status_code == 400 and refused.json()["code"] in ("engine-extension", "not-a-query")
    assert listener.connections == before
    direct(virtuoso, query)  # the oracle: Virtuoso itself (as its SPARQL user) does, or does not, connect
    assert listener.connections == before + virtuoso_connects


def test_generated_service_spellings_virtuoso_acts_on_are_all_refused(
    virtuoso: VirtuosoServer, client: TestClient, listener: CountingListener
) -> None:
    """The guard's differential egress test, with Virtuoso's parser as the oracle."""
    seen = {"sent": 0, "connected": 0}

    @SPELLINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        query = data.draw(service_queries(listener.url))
        before = listener.connections
        direct(virtuoso, query)
        seen["sent"] += 1
        if listener.connections > before:
            seen["connected"] += 1
            assert client.get("/sparql", params={"query": query}).status_code == 400, query
            assert listener.connections == before + 1, query

    run()
    print(seen)  # figures for the README (pytest -s)
    # the spellings are worth something: some reach out (fewer than through Oxigraph: no \\u escapes here)
    assert seen["connected"] >= seen["sent"] // 20
