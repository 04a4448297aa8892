"""Real HTTP against `graph-service serve`: SPARQLWrapper, rdflib's SPARQLStore, the deadline."""

from __future__ import annotations

import subprocess
import sys
import threading

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.helpers import FIXTURES, PATIENCE_S, Server, base_settings, settings_env, wait_for

pytestmark = pytest.mark.e2e

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER isIRI(?s) } ORDER BY ?s ?p ?o LIMIT 3"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
DESCRIBE = "DESCRIBE ?s WHERE { ?s a ?type } LIMIT 1"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?y }"


def wrapper(server: Server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json_and_xml(server: Server, method: str) -> None:
    as_json = wrapper(server, SELECT, JSON, method).queryAndConvert()
    assert len(as_json["results"]["bindings"]) == 3  # type: ignore[index,call-overload]
    as_xml = wrapper(server, SELECT, XML, method).queryAndConvert()
    assert len(as_xml.getElementsByTagName("result")) == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(server: Server, fmt: str, separator: str) -> None:
    text = wrapper(server, SELECT, fmt).queryAndConvert().decode()  # type: ignore[union-attr]
    lines = text.strip().splitlines()
    assert len(lines) == 4 and lines[0].count(separator) == 2


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask(server: Server, fmt: str) -> None:
    result = wrapper(server, ASK, fmt).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True  # type: ignore[index,call-overload]
    elif fmt == XML:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    else:
        assert result.decode().strip() == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlwrapper_graph_formats(server: Server, fmt: str, query: str) -> None:
    sparql = wrapper(server, query, fmt)
    response = sparql.query()
    content_type = response.response.headers["Content-Type"]
    expected = {TURTLE: "text/turtle", N3: "text/turtle", RDFXML: "application/rdf+xml", JSONLD: "application/ld+json"}[
        fmt
    ]
    assert content_type.startswith(expected)
    graph = response.convert()
    if not isinstance(graph, Graph):  # SPARQLWrapper returns Turtle/N3 as bytes
        graph = Graph().parse(data=graph, format="turtle")  # type: ignore[arg-type]
    assert len(graph) == (3 if query == CONSTRUCT else len(graph)) and len(graph) >= 1


def test_sparqlwrapper_ntriples_by_accept(server: Server) -> None:
    response = httpx.get(
        server.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"}
    )
    assert response.headers["content-type"] == "application/n-triples"
    assert len(Graph().parse(data=response.text, format="nt")) == 3


def test_rdflib_sparqlstore(server: Server) -> None:
    store = SPARQLStore(server.url + "/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(SELECT))
    assert len(rows) == 3 and all(isinstance(row[0], URIRef) for row in rows)  # type: ignore[index]
    assert graph.query(ASK).askAnswer is True
    assert len(graph.query(CONSTRUCT).graph or []) == 3
    assert len(store) > 0
    typed = list(graph.triples((None, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)))
    assert typed


def test_deadline_stops_the_query_while_others_are_served(server: Server) -> None:
    outcome: dict[str, httpx.Response] = {}

    def slow() -> None:
        outcome["slow"] = httpx.get(
            server.url + "/sparql", params={"query": SLOW}, timeout=server.settings.query_timeout_s + PATIENCE_S
        )

    def in_flight() -> int:
        count: int = httpx.get(server.url + "/health", timeout=PATIENCE_S).json()["queries_in_flight"]
        return count

    thread = threading.Thread(target=slow)
    thread.start()
    wait_for(lambda: not thread.is_alive() or in_flight() >= 1, "the slow query in flight")
    running = thread.is_alive()
    health = httpx.get(server.url + "/health", timeout=PATIENCE_S)
    quick = httpx.get(server.url + "/sparql", params={"query": ASK}, timeout=PATIENCE_S)
    answered_meanwhile = thread.is_alive()
    thread.join()
    assert running and answered_meanwhile
    assert health.status_code == 200 and quick.status_code == 200
    slow_response = outcome["slow"]
    assert slow_response.status_code == 504
    assert slow_response.headers["content-type"] == "application/problem+json"
    assert slow_response.json()["code"] == "query-timeout"
    after = httpx.get(server.url + "/sparql", params={"query": ASK}, timeout=PATIENCE_S)
    assert after.status_code == 200

    def replaced() -> bool:
        body = httpx.get(server.url + "/health", timeout=PATIENCE_S).json()
        return bool(body["workers_replaced"] >= 1 and body["workers"] == 2)

    wait_for(replaced, "the killed worker replaced")


def test_serve_refuses_invalid_data_with_exit_code_1() -> None:
    settings = base_settings(ontology_dir=FIXTURES / "ontology", data_dir=FIXTURES / "invalid")
    done = subprocess.run(
        [sys.executable, "-m", "graph_service.cli", "serve", "--port", "9"],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "refusing to start" in done.stderr and "A label needs a name" in done.stderr
    assert "Traceback" not in done.stderr


def test_pandas_reads_csv_from_the_url(server: Server) -> None:
    """What analysts type: `pandas.read_csv(…/sparql?query=…&format=csv)` (urllib, no Accept header)."""
    import urllib.parse

    import pandas as pd

    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": SELECT, "format": "csv"})
    frame = pd.read_csv(url)
    assert list(frame.columns) == ["s", "p", "o"]
    assert len(frame) == 3


def test_start_up_log_lists_the_egress_layers_the_probes_proved(server: Server) -> None:
    """`serve` writes the egress layers at INFO on its own log (Python's default handler would print
    WARNING and above only, so the line never reached an operator)."""
    health = httpx.get(server.url + "/health", timeout=PATIENCE_S).json()
    server.log.seek(0)
    log = server.log.read().decode(errors="replace")
    words = ", ".join(f"{name.replace('_', ' ')} {'on' if on else 'OFF'}" for name, on in health["egress"].items())
    assert f"egress layers (proven by the workers' probes): {words}" in log
