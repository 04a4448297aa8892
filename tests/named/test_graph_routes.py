"""The named graphs the service mints (examples, schema) dereference, and so do the examples' IRIs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import RDF, URIRef

from graph_service.config import Settings
from tests.helpers import parse

SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"


def test_every_example_iri_dereferences(real_client: TestClient, settings: Settings) -> None:
    query = f"SELECT ?sq {{ ?sq a <{SH}SPARQLExecutable> }}"
    answer = real_client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = answer.json()["results"]["bindings"]
    assert rows
    for row in rows:
        iri = row["sq"]["value"]
        assert iri.startswith(settings.base_iri + "graph/examples#")
        document = iri.split("#", 1)[0].removeprefix(settings.base_iri.rstrip("/"))
        response = real_client.get(document, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, iri
        graph = parse(response.content, response.headers["content-type"])
        assert (URIRef(iri), RDF.type, URIRef(SH + "SPARQLExecutable")) in graph


def test_the_schema_graph_dereferences(real_client: TestClient, settings: Settings) -> None:
    response = real_client.get("/graph/schema", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = parse(response.content, response.headers["content-type"])
    assert len(set(graph.objects(None, URIRef(VOID + "propertyPartition")))) > 10


def test_a_browser_is_sent_to_the_page_and_an_unknown_graph_is_a_404(real_client: TestClient) -> None:
    page = real_client.get("/graph/examples", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/sparql/examples"
    missing = real_client.get("/graph/nothing", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
