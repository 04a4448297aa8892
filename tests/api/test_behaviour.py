"""Ids, languages, errors, named queries, neighbourhoods: the API's contract."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from graph_service.config import Settings
from graph_service.named.catalog import load_catalog
from graph_service.runtime import Runtime

TCO = "https://w3id.org/achats-numeriques-responsables/id/label/tco-certified"


@pytest.mark.parametrize("ref", ["tco-certified", "lbl:tco-certified", TCO, quote(TCO, safe="")])
def test_an_id_can_be_short_prefixed_or_a_full_iri(client: TestClient, ref: str) -> None:
    body = client.get(f"/api/labels/{ref}").json()
    assert (body["id"], body["iri"], body["name"]) == ("tco-certified", TCO, "TCO Certified")


def test_unknown_id_is_404_problem_with_closest_matches(client: TestClient) -> None:
    response = client.get("/api/labels/tco-certifed")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["suggestions"][0]["id"] == "tco-certified"


def test_an_id_of_the_wrong_kind_is_404(client: TestClient) -> None:
    response = client.get("/api/labels/laptop")
    assert response.status_code == 404
    assert "is not a label" in response.json()["detail"]


def test_language_from_parameter_then_accept_language(client: TestClient) -> None:
    assert client.get("/api/categories/laptop", params={"lang": "fr"}).json()["name"] == "Ordinateur portable"
    french = client.get("/api/categories/laptop", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert french.json()["name"] == "Ordinateur portable"
    assert french.headers["content-language"] == "fr"
    assert client.get("/api/categories/laptop", headers={"Accept-Language": "de"}).json()["name"] == "Laptop"


def test_bad_parameters_are_422_saying_what_was_expected(client: TestClient) -> None:
    for url, needle in [
        ("/api/labels?lang=de", "'fr' or 'en'"),
        ("/api/paths?from=laptop&to=computers&max_hops=0", "greater than or equal to 1"),
        ("/api/cpv/30213100-6?date=2024-13-01", "date"),
        ("/api/labels?kind=laptop", "label kind"),
    ]:
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.headers["content-type"] == "application/problem+json"
        assert needle in response.json()["detail"], response.json()["detail"]


def test_label_filters(client: TestClient) -> None:
    type_1 = {x["id"] for x in client.get("/api/labels", params={"kind": "type-1-ecolabel"}).json()}
    assert {"eu-ecolabel", "tco-certified", "blue-angel"} <= type_1 and "epeat" not in type_1
    laptop = [x["id"] for x in client.get("/api/labels", params={"category": "laptop"}).json()]
    assert set(laptop) == {"eu-ecolabel", "tco-certified", "epeat", "80-plus"}
    attesting = {x["id"] for x in client.get("/api/labels", params={"criterion": "ecolabelled-equipment"}).json()}
    assert "eu-ecolabel" in attesting


def test_category_tree_has_the_six_sheet_families_and_the_graphs_own(client: TestClient) -> None:
    tree = client.get("/api/categories").json()
    families = {n["id"]: n for n in tree if n["kind"] == "family"}
    # one family per practical sheet, and the graph's own family of the other repairable products
    assert set(families) == {
        "office-equipment",
        "printing",
        "networks",
        "hosting",
        "software",
        "it-services",
        "other-repairable-products",
    }
    others = {c["id"] for c in families["other-repairable-products"]["children"]}
    assert others == {"television", "connected-household-appliance"}
    computers = next(c for c in families["office-equipment"]["children"] if c["id"] == "computers")
    assert {"laptop", "desktop-computer"} <= {c["id"] for c in computers["children"]}


def test_every_named_query_and_its_examples(client: TestClient, settings: Settings) -> None:
    catalog = load_catalog(settings.queries_dir)
    listed = {q["name"] for q in client.get("/api/queries").json()}
    assert listed == set(catalog.names())
    for spec in catalog:
        for example in spec.examples:
            response = client.get(f"/api/queries/{spec.name}?{urlencode(example)}")
            assert response.status_code == 200, (spec.name, response.text)
            assert response.json()["rows"], f"{spec.name} {example} gave no row"


def test_named_query_rows_and_csv(client: TestClient) -> None:
    body = client.get("/api/queries/labels-for-category", params={"category": "laptop"}).json()
    assert {r["label"].rsplit("/", 1)[-1] for r in body["rows"]} == {"eu-ecolabel", "tco-certified", "epeat", "80-plus"}
    response = client.get("/api/queries/labels-for-category?category=laptop", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv") and len(rows) == len(body["rows"])


@pytest.mark.parametrize(
    "query",
    [
        "category=laptop> } ; DROP ALL ; {",
        "category=<http://x> } UNION { ?s ?p ?o }",
        "category=%22quoted%22",
        "category=laptop&lang=en%22)%20%7D",
        "category=laptop&lang=de",
        "category=tco-certified",
        "category=laptop&colour=blue",
        "category=laptop&category=printer",
        "lang=en",
    ],
)
def test_hostile_or_malformed_query_values_are_422(client: TestClient, query: str) -> None:
    response = client.get(f"/api/queries/labels-for-category?{query}")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_named_query_rows_are_capped(runtime: Runtime, client: TestClient) -> None:
    from graph_service.domain.queries import run_named

    spec = runtime.queries.get("legal-texts-by-family")
    assert spec is not None
    result = run_named(runtime.store, runtime.index, spec, {"lang": "fr"}, max_rows=3)
    assert len(result.rows) == 3 and result.truncated


def test_unknown_query_is_404(client: TestClient) -> None:
    assert client.get("/api/queries/labels-for-categroy").status_code == 404


def test_neighbourhood_json_and_svg(client: TestClient) -> None:
    body = client.get("/api/neighbourhood/laptop", params={"hops": 1}).json()
    ids = {n["id"] for n in body["nodes"]}
    assert {"laptop", "computers", "30213100"} <= ids
    assert all(n["hops"] <= 1 for n in body["nodes"])
    assert {(e["source"], e["predicate"]["id"], e["target"]) for e in body["edges"]} >= {
        ("laptop", "broader", "computers")
    }
    svg = client.get("/api/neighbourhood/laptop?hops=1", headers={"Accept": "image/svg+xml"})
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<svg") and "Laptop" in svg.text
    root = ElementTree.fromstring(svg.text)  # well-formed, one linked circle per node (others: the legend)
    nodes = root.findall(".//{http://www.w3.org/2000/svg}a[@class='node']")
    assert len(nodes) == len(body["nodes"])
    assert all(n.find("{http://www.w3.org/2000/svg}circle") is not None for n in nodes)
    assert client.get("/api/neighbourhood/laptop?hops=1&format=svg").text == svg.text


def test_coverage_nodes_are_collapsed_into_covers_edges(runtime: Runtime) -> None:
    graph = runtime.projection.graph
    label = "https://w3id.org/achats-numeriques-responsables/id/label/tco-certified"
    category = "https://w3id.org/achats-numeriques-responsables/id/category/computers"
    cover = "https://w3id.org/achats-numeriques-responsables/def/coversCategory"
    assert graph.has_edge(label, category, key=cover)
    assert graph.edges[label, category, cover]["sources"]
    assert not any("/id/coverage/" in n for n in graph.nodes)
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in runtime.projection.edge_predicates()


def test_paths_explain_inherited_coverage(client: TestClient) -> None:
    body = client.get("/api/paths", params={"from": "laptop", "to": "eu-ecolabel", "max_hops": 2}).json()
    sentence = body["paths"][0]["explanation"]
    assert "Laptop falls under Desktop and laptop computers" in sentence
    assert "EU Ecolabel covers Desktop and laptop computers" in sentence


def test_paths_explain_in_french_with_quoted_names(client: TestClient) -> None:
    """The prepositions read right whatever the name: « … » after "de", never "de Ordinateurs"."""
    body = client.get("/api/paths", params={"from": "laptop", "to": "eu-ecolabel", "max_hops": 2, "lang": "fr"})
    sentence = body.json()["paths"][0]["explanation"]
    assert sentence.startswith("« Ordinateur portable » est relié à « Écolabel européen » en 2 étapes : ")
    assert "« Ordinateur portable » relève de « Ordinateurs fixes et portables »" in sentence
    assert " de Ordinateurs" not in sentence and " de É" not in sentence


def test_paths_with_nothing_within_reach_is_empty(client: TestClient) -> None:
    body = client.get("/api/paths", params={"from": "laptop", "to": "afnor", "max_hops": 1}).json()
    assert body["paths"] == []
