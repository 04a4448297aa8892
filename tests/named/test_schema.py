"""The endpoint publishes its schema as nested VoID, where SIB's SPARQL editor and sparql-llm read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_service.namespaces import ANR
from graph_service.sparql.schema import compute_schema
from tests.helpers import parse

EDITORS = Path(__file__).parent.parent / "fixtures" / "editors"
EDITOR_QUERY = (EDITORS / "sparql-editor-void.rq").read_text(encoding="utf-8")
LLM_QUERY = (EDITORS / "sparql-llm-void.rq").read_text(encoding="utf-8")
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def sparql(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


def schema_of(rows: list[dict[str, Any]]) -> dict[str, dict[str, set[str]]]:
    """What the editors build from the rows: subject class → property → object classes and datatypes."""
    out: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        targets = out.setdefault(row["subjectClass"]["value"], {}).setdefault(row["prop"]["value"], set())
        for key in ("objectClass", "objectDatatype"):
            if key in row:
                targets.add(row[key]["value"])
    return out


@pytest.mark.parametrize("query", [EDITOR_QUERY, LLM_QUERY], ids=["sparql-editor", "sparql-llm"])
def test_the_editors_schema_query_lists_the_classes_and_their_properties(
    real_client: TestClient, store: ox.Store, query: str
) -> None:
    schema = schema_of(sparql(real_client, query))
    classes = {r["c"].value for r in store.query("SELECT DISTINCT ?c { ?s a ?c }")}  # type: ignore[union-attr]
    assert set(schema) == classes
    category = schema[str(ANR.PurchaseCategory)]
    assert XSD_STRING in category[PREF_LABEL] or LANG_STRING in category[PREF_LABEL]
    linked = [targets for props in schema.values() for targets in props.values() if targets & classes]
    assert linked, "some property points to a class of the graph"


def test_the_editors_query_reads_the_counts(real_client: TestClient) -> None:
    rows = sparql(real_client, EDITOR_QUERY)
    assert all(int(r["triples"]["value"]) > 0 for r in rows if "triples" in r)
    assert any("triples" in r for r in rows)


def test_the_service_description_nests_the_same_schema(real_client: TestClient) -> None:
    """sparql-llm falls back to the description (Turtle at GET /sparql) and runs its query there."""
    description = parse(real_client.get("/sparql", headers={"Accept": "text/turtle"}).content, "text/turtle")
    found = schema_of(_bindings(description, LLM_QUERY))
    assert found == schema_of(sparql(real_client, LLM_QUERY))


def test_well_known_void_has_the_nested_partitions(real_client: TestClient) -> None:
    response = real_client.get("/.well-known/void", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert response.status_code == 200
    void = parse(response.content, "text/turtle")
    found = schema_of(_bindings(void, LLM_QUERY))
    assert str(ANR.PurchaseCategory) in found and found[str(ANR.PurchaseCategory)]


def test_counts_follow_the_data() -> None:
    store = ox.Store()
    ex = "http://example.org/"
    store.load(
        f"""<{ex}a> a <{ex}A> ; <{ex}p> <{ex}b>, <{ex}c> ; <{ex}q> "x", "y"@fr, 3 .
        <{ex}b> a <{ex}B> . <{ex}c> a <{ex}B>, <{ex}C> .""".encode(),
        format=ox.RdfFormat.TURTLE,
    )
    schema = compute_schema(store)
    p = schema[ex + "A"][ex + "p"]
    assert p.triples == 2 and p.classes == {ex + "B": 2, ex + "C": 1} and not p.datatypes
    q = schema[ex + "A"][ex + "q"]
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert q.triples == 3 and q.datatypes == {XSD_STRING: 1, LANG_STRING: 1, integer: 1}
    assert set(schema[ex + "B"]) == {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}


def _bindings(graph: Graph, query: str) -> list[dict[str, Any]]:
    result = graph.query(query)
    return [
        {str(k): {"value": str(v)} for k, v in row.asdict().items()}  # type: ignore[union-attr]
        for row in result
    ]
