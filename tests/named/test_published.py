"""The endpoint publishes its named queries and prefixes as SHACL, where query editors look for them."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.named.binding import bind, substitutions
from graph_service.named.catalog import Catalog, load_catalog
from graph_service.named.published import runnable_text
from graph_service.namespaces import PREFIXES
from tests.helpers import parse

SH = "http://www.w3.org/ns/shacl#"

# The queries the SIB SPARQL editor (and sparql-llm) send to an endpoint to list its examples and prefixes.
EXAMPLES_QUERY = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?sq ?comment ?query ?label WHERE {
  ?sq a sh:SPARQLExecutable ; rdfs:label ?label ; rdfs:comment ?comment ;
      sh:select|sh:ask|sh:construct|sh:describe ?query .
  FILTER (LANG(?comment) = "fr" && LANG(?label) = "fr")
} ORDER BY ?sq"""
PREFIXES_QUERY = """PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT DISTINCT ?prefix ?namespace WHERE { [] sh:namespace ?namespace ; sh:prefix ?prefix }"""


@pytest.fixture(scope="module")
def catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.queries_dir)


def sparql(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


def test_every_named_query_is_an_example_in_french_and_english(real_client: TestClient, catalog: Catalog) -> None:
    rows = sparql(real_client, EXAMPLES_QUERY)
    assert sorted(r["sq"]["value"].rsplit("#", 1)[1] for r in rows) == catalog.names()
    for row in rows:
        spec = catalog.get(row["sq"]["value"].rsplit("#", 1)[1])
        assert spec is not None
        assert row["label"]["value"] == spec.titles["fr"]
        assert row["query"]["value"] == runnable_text(spec)
    english = sparql(real_client, EXAMPLES_QUERY.replace('"fr"', '"en"'))
    assert len(english) == len(catalog)
    select = sparql(real_client, f"SELECT (COUNT(*) AS ?n) {{ ?sq a <{SH}SPARQLSelectExecutable> }}")
    assert int(select[0]["n"]["value"]) == sum(1 for s in catalog if s.returns == "select")


def test_prefixes_are_declared(real_client: TestClient) -> None:
    rows = sparql(real_client, PREFIXES_QUERY)
    assert {r["prefix"]["value"]: r["namespace"]["value"] for r in rows} == PREFIXES
    assert {r["namespace"]["datatype"] for r in rows} == {"http://www.w3.org/2001/XMLSchema#anyURI"}


def test_each_example_runs_as_published_and_answers_as_the_named_query(
    real_client: TestClient, catalog: Catalog, store: ox.Store
) -> None:
    for spec in catalog:
        text = runnable_text(spec)
        if spec.examples:
            assert "VALUES" in text
        expected = store.query(spec.text, substitutions=substitutions(bind(spec, spec.examples[0])))  # type: ignore[arg-type]
        assert isinstance(expected, ox.QuerySolutions)
        expected_rows = len(list(expected))
        assert expected_rows > 0, spec.name
        assert len(sparql(real_client, text)) == expected_rows, spec.name


def test_service_description_links_the_examples_graph(real_client: TestClient) -> None:
    response = real_client.get("/sparql", headers={"Accept": "text/turtle"})
    description = parse(response.content, "text/turtle")
    examples = [str(o) for o in description.objects(None, ox_see_also())]
    assert len(examples) == 1 and examples[0].endswith("/graph/examples")
    names = {str(o) for o in description.objects(None, sd("name"))}
    assert examples[0] in names  # also listed among the named graphs, with its triple count
    in_graph = sparql(real_client, f"SELECT (COUNT(*) AS ?n) FROM <{examples[0]}> {{ ?s a <{SH}SPARQLExecutable> }}")
    assert int(in_graph[0]["n"]["value"]) > 0


def ox_see_also() -> Any:
    from rdflib import RDFS

    return RDFS.seeAlso


def sd(local: str) -> Any:
    from rdflib import URIRef

    return URIRef("http://www.w3.org/ns/sparql-service-description#" + local)


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p ?o . FOO }"])
def test_syntax_errors_never_suggest_a_refused_keyword(real_client: TestClient, query: str) -> None:
    response = real_client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "syntax-error"
    assert "SERVICE" not in response.text
