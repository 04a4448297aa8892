"""SPARQL 1.1 Protocol over the in-process app: operations, formats, dataset parameters."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph_service.formats.representations import GRAPHS as GRAPH_FORMATS
from graph_service.formats.representations import RESULTS as RESULTS_FORMATS

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}


def graphs(client: TestClient) -> list[str]:
    return sorted(client.app.state.runtime.graphs)  # type: ignore[attr-defined]


def rows(response_json: dict[str, object]) -> list[dict[str, dict[str, str]]]:
    return response_json["results"]["bindings"]  # type: ignore[index,no-any-return]


def test_get_post_form_and_post_direct_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": SELECT})
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
    assert len(rows(by_get.json())) == 5
    assert by_get.json() == by_form.json() == by_body.json()


@pytest.mark.parametrize("fmt", RESULTS_FORMATS, ids=lambda f: f.name)
def test_select_in_each_results_format(client: TestClient, fmt: object) -> None:
    media_type = fmt.media_type  # type: ignore[attr-defined]
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["s", "p", "o"] and len(table) == 6
    elif media_type == "text/tab-separated-values":
        assert response.text.splitlines()[0] == "?s\t?p\t?o"
        assert len(response.text.splitlines()) == 6
    elif media_type.endswith("xml"):
        assert response.text.count("<result>") == 5
    else:
        assert len(rows(response.json())) == 5


@pytest.mark.parametrize("fmt", RESULTS_FORMATS, ids=lambda f: f.name)
def test_ask_in_each_results_format(client: TestClient, fmt: object) -> None:
    media_type = fmt.media_type  # type: ignore[attr-defined]
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert "true" in response.text


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("query", [CONSTRUCT, "DESCRIBE ?s WHERE { ?s a ?type } LIMIT 1"])
def test_graph_results_in_each_rdf_format(client: TestClient, fmt: object, query: str) -> None:
    media_type = fmt.media_type  # type: ignore[attr-defined]
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    parsed = Graph().parse(data=response.content, format=RDFLIB_FORMAT[fmt.name])  # type: ignore[attr-defined]
    assert len(parsed) >= 1
    if query == CONSTRUCT:
        assert len(parsed) == 5


def test_describe_answers_in_turtle_not_results_xml(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "DESCRIBE ?s WHERE { ?s a ?type } LIMIT 1"},
        headers={"Accept": "application/sparql-results+xml, text/turtle;q=0.5"},
    )
    assert response.headers["content-type"].startswith("text/turtle")


def test_default_graph_is_the_union_and_dataset_parameters_restrict_it(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params: str | list[str]) -> int:
        response = client.get("/sparql", params={"query": count, **params})
        assert response.status_code == 200, response.text
        return int(rows(response.json())[0]["n"]["value"])

    union = n()
    per_graph = [n(**{"default-graph-uri": iri}) for iri in graphs(client)]
    assert all(k > 0 for k in per_graph)
    assert union >= max(per_graph) and sum(per_graph) >= union
    assert n(**{"default-graph-uri": graphs(client)[:2]}) <= per_graph[0] + per_graph[1]


def test_named_graph_uri_limits_graph_patterns(client: TestClient) -> None:
    first = graphs(client)[0]
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = client.get("/sparql", params={"query": query}).json()
    assert {b["g"]["value"] for b in rows(everything)} == set(graphs(client))
    limited = client.get("/sparql", params={"query": query, "named-graph-uri": first}).json()
    assert [b["g"]["value"] for b in rows(limited)] == [first]


def test_from_a_held_graph_is_honoured(client: TestClient) -> None:
    first = graphs(client)[0]
    via_from = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{first}> {{ ?s ?p ?o }}"})
    via_param = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": first},
    )
    assert via_from.status_code == 200
    assert rows(via_from.json()) == rows(via_param.json())


def test_service_description_turtle_and_jsonld(client: TestClient) -> None:
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void = "http://rdfs.org/ns/void#"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("*/*", "turtle")):
        response = client.get("/sparql", headers={"Accept": accept})
        assert response.status_code == 200
        graph = Graph().parse(data=response.content, format=fmt)
        endpoint = URIRef("http://testserver/sparql")
        assert (endpoint, RDF.type, URIRef(sd + "Service")) in graph
        assert (None, URIRef(sd + "feature"), URIRef(sd + "BasicFederatedQuery")) not in graph
        triples = {int(o) for o in graph.objects(None, URIRef(void + "triples"))}  # type: ignore[call-overload]
        health = client.get("/health").json()
        assert health["triples"] in triples
        names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
        assert names == set(graphs(client))


def test_browser_gets_the_query_page_at_sparql_and_the_home_page_at_root(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path, mark in (("/sparql", '<textarea id="query"'), ("/", 'action="http://testserver/recherche"')):
        response = client.get(path, headers={"Accept": browser})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert mark in response.text, path
    for asset in ("/static/query.js", "/static/site.css"):
        assert client.get(asset).status_code == 200


def test_examples_list_the_named_queries(client: TestClient) -> None:
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    stems = sorted(p.stem for p in settings.queries_dir.glob("*.rq"))
    examples = client.get("/sparql/examples").json()
    assert sorted(e["name"] for e in examples) == stems
    for example in examples:
        assert example["titles"]["en"] and example["titles"]["fr"]
        assert not example["query"].startswith("#+")


def test_health(client: TestClient) -> None:
    from graph_service.dataset.data_version import data_version
    from graph_service.dataset.loading import project_files
    from graph_service.dataset.store import build_store

    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["triples"] > 0 and body["workers"] == settings.workers
    assert body["data_version"] == data_version(build_store(project_files(settings), settings.base_iri)[0])


def test_cors_is_open_without_credentials(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_problem_bodies_are_json(client: TestClient) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert json.loads(response.text)["detail"]


def test_repeated_query_is_answered_from_the_cache(make_client: object) -> None:
    """Kept from its second request on: the first costs no memory, the third is a hit."""
    client: TestClient = make_client()  # type: ignore[operator]
    cache = client.app.state.runtime.engine.cache  # type: ignore[attr-defined]
    size = cache.size
    first = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert cache.size == size
    second = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert cache.size > size
    hits = cache.hits
    third = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    other_format = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    assert first.content == second.content == third.content and cache.hits == hits + 1
    assert other_format.headers["content-type"].startswith("text/tab-separated-values")


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    for path in ("/health", "/sparql", "/", "/api/labels", "/id/label/eu-ecolabel"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]


def test_text_star_does_not_turn_a_query_into_the_html_page(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/*"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("text/csv", "text/tab-separated-values")


def test_a_preflight_varies_on_every_request_header_it_reads(client: TestClient) -> None:
    """The answer to a preflight depends on Origin and the three Access-Control-Request-* headers
    (a private-network request is refused with 400): a shared cache must key on all of them."""
    asked = {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    plain = client.options("/sparql", headers=asked)
    private = client.options("/sparql", headers={**asked, "Access-Control-Request-Private-Network": "true"})
    assert (plain.status_code, private.status_code) == (200, 400)
    for preflight in (plain, private):
        vary = {name.strip().lower() for name in preflight.headers["vary"].split(",")}
        assert {
            "origin",
            "access-control-request-method",
            "access-control-request-headers",
            "access-control-request-private-network",
        } <= vary


def test_the_first_valid_request_id_of_several_is_sent_back(client: TestClient) -> None:
    """As before the edge was one layer: several X-Request-ID headers, the first valid one is kept."""
    response = client.get("/health", headers=[("X-Request-ID", "given-1"), ("X-Request-ID", "not valid!")])
    assert response.headers["x-request-id"] == "given-1"


def test_a_refused_preflight_is_not_stored_like_every_error(client: TestClient) -> None:
    """Before the edge answered preflights, a refused one crossed the caching layer and got
    `Cache-Control: no-store` as every 4xx does; it still does."""
    asked = {"Origin": "https://example.org", "Access-Control-Request-Method": "PUT"}
    refused = client.options("/sparql", headers=asked)
    assert refused.status_code == 400 and refused.headers["cache-control"] == "no-store"
