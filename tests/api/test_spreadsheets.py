"""Spreadsheets: `?format=` on /sparql and the API's tables, Accept winning, XLSX read by openpyxl."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from graph_service.formats.representations import XLSX

SELECT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?category ?name WHERE { ?category a <https://w3id.org/achats-numeriques-responsables/def/PurchaseCategory> ;
  skos:prefLabel ?name FILTER (LANG(?name) = "fr") } ORDER BY ?category"""
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 4"


def workbook(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("srj", "application/sparql-results+json"),
    ],
)
def test_sparql_format_parameter_for_results(client: TestClient, fmt: str, media_type: str) -> None:
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/sparql", params={"query": SELECT, "format": fmt}, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("ntriples", "application/n-triples"),
        ("rdfxml", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
    ],
)
def test_sparql_format_parameter_for_graphs(client: TestClient, fmt: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_accept_wins_when_it_names_a_format(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"},
                          headers={"Accept": "application/sparql-results+xml"})  # fmt: skip
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    response = client.post("/sparql", data={"query": SELECT, "format": "tsv"}, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_unknown_or_unfit_format_is_a_clear_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "excel97"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert "excel97" in body["detail"] and "csv" in body["format_names"] and "xlsx" in body["format_names"]
    unfit = client.get("/sparql", params={"query": SELECT, "format": "turtle"})
    assert unfit.status_code == 406 and "text/csv" in unfit.json()["formats"]
    api = client.get("/api/labels/tco-certified", params={"format": "csv"})
    assert api.status_code == 406 and api.json()["format_names"] == ["json"]


def test_pandas_reads_the_csv(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    frame = pd.read_csv(io.BytesIO(response.content))
    assert list(frame.columns) == ["category", "name"]
    assert "Ordinateur portable" in set(frame["name"])
    coverage = pd.read_csv(io.BytesIO(client.get("/api/coverage", params={"format": "csv"}).content))
    assert list(coverage.columns[:2]) == ["label", "name"] and "eu-ecolabel" in set(coverage["label"])
    named = client.get("/api/queries/labels-for-category", params={"category": "laptop", "format": "csv"})
    assert "eu-ecolabel" in " ".join(pd.read_csv(io.BytesIO(named.content))["label"])


def test_sparql_xlsx_keeps_accents_and_types(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX.media_type
    assert "attachment" in response.headers["content-disposition"]
    rows = workbook(response.content)
    assert rows[0] == ["category", "name"]
    assert "Ordinateur portable" in {r[1] for r in rows[1:]}
    assert any("é" in str(r[1]) for r in rows[1:])
    count = workbook(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                                   "format": "xlsx"}).content)  # fmt: skip
    assert isinstance(count[1][0], int) and count[1][0] > 1000
    graph = workbook(client.get("/sparql", params={"query": CONSTRUCT, "format": "xlsx"}).content)
    assert graph[0] == ["subject", "predicate", "object"] and len(graph) == 5
    by_accept = client.get("/sparql", params={"query": SELECT}, headers={"Accept": XLSX.media_type})
    assert by_accept.headers["content-type"] == XLSX.media_type


def test_api_tables_as_xlsx_with_headers_in_the_language_asked(client: TestClient) -> None:
    french = workbook(client.get("/api/coverage", params={"format": "xlsx", "lang": "fr"}).content)
    assert french[0][:2] == ["Identifiant du label", "Label"]
    assert "Écolabel européen" in {r[1] for r in french[1:]}
    assert "Oui" in {c for r in french[1:] for c in r}
    english = workbook(client.get("/api/coverage", params={"format": "xlsx"}).content)
    assert english[0][0] == "Label id" and "EU Ecolabel" in {r[1] for r in english[1:]}
    named = client.get("/api/queries/labels-for-category",
                       params={"category": "laptop", "lang": "fr", "format": "xlsx"})  # fmt: skip
    assert named.status_code == 200
    rows = workbook(named.content)
    assert rows[0][:4] == ["catégorie", "langue", "label", "nom du label"]
    assert "Écolabel européen" in {r[3] for r in rows[1:]}


def test_json_and_xml_fit_both_query_forms_and_media_types_are_names(client: TestClient) -> None:
    graph = client.get("/sparql", params={"query": CONSTRUCT, "format": "json"})
    assert graph.headers["content-type"].startswith("application/ld+json")
    assert (
        client.get("/sparql", params={"query": CONSTRUCT, "format": "xml"})
        .headers["content-type"]
        .startswith("application/rdf+xml")
    )
    # SPARQLWrapper sends `format` twice (name and media type) beside its Accept header
    both = client.get("/sparql", params=[("query", SELECT), ("format", "tsv"), ("format", "text/tab-separated-values")])
    assert both.headers["content-type"].startswith("text/tab-separated-values")
    unknown_but_accept = client.get("/sparql", params={"query": CONSTRUCT, "format": "n3"},
                                    headers={"Accept": "text/turtle"})  # fmt: skip
    assert unknown_but_accept.status_code == 200  # Accept names a format: `format` is not read


def test_xlsx_text_that_looks_like_a_formula_stays_text(client: TestClient) -> None:
    """A literal such as `=HYPERLINK(...)` in an answer is a text cell, never a formula the workbook runs
    (a link to such a query would otherwise hand a buyer a live formula)."""
    texts = ['=HYPERLINK("http://evil.example/","open")', "=1+1", "+1+1", "@SUM(1)", "-2+3"]
    values = " ".join('"' + t.replace('"', '\\"') + '"' for t in texts)
    response = client.get(
        "/sparql", params={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == texts
    assert {c.data_type for c in cells} == {"s"}


def test_xlsx_bytes_and_tag_depend_on_the_table_alone(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """No clock in the workbook (member dates, created/modified), so every request and replica sends one tag."""
    first = client.get("/api/coverage", params={"format": "xlsx"})
    monkeypatch.setattr(time, "localtime", lambda *_: time.struct_time((2031, 5, 6, 7, 8, 9, 1, 126, 0)))
    again = client.get("/api/coverage", params={"format": "xlsx"})
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    core = zipfile.ZipFile(io.BytesIO(again.content)).read("docProps/core.xml")
    assert core.count(b">1980-01-01T00:00:00Z<") == 2  # created and modified
