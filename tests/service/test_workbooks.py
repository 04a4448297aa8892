"""Workbooks from /sparql (`format=xlsx`): built off the event loop, within their caps, for every term.

Every kind of result term (IRI, blank node, literal with a language, typed literal, triple term,
unbound) in every representation /sparql offers, by `format=` and by Accept: never a 500.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

import graph_service.web.tables as tables
from graph_service.formats.representations import GRAPHS, RESULTS, XLSX
from graph_service.formats.spreadsheet import Table
from tests.helpers import PATIENCE_S

XSD = "http://www.w3.org/2001/XMLSchema#"
EVERY_TERM = f"""SELECT ?iri ?bnode ?lang ?typed ?triple ?unbound WHERE {{
  BIND(<http://example.org/a> AS ?iri) BIND(BNODE() AS ?bnode) BIND("texte"@fr AS ?lang)
  BIND("7"^^<{XSD}integer> AS ?typed) BIND(<<( <http://example.org/a> <http://example.org/b> "c"@en )>> AS ?triple)
}}"""
TRIPLE_GRAPH = """CONSTRUCT { <http://example.org/a> <http://example.org/says> ?t . _:b <http://example.org/p> "x"@en }
WHERE { BIND(<<( <http://example.org/a> <http://example.org/b> <http://example.org/c> )>> AS ?t) }"""


def grid(rows: int, columns: int) -> str:
    """A query answering `rows` rows of `columns` columns (rows a multiple of 10), without data."""
    tens = " ".join(str(i) for i in range(rows // 10))
    binds = " ".join(f"BIND(?a + {c} AS ?c{c})" for c in range(columns - 2))
    return f"SELECT * WHERE {{ VALUES ?a {{ {tens} }} VALUES ?b {{ 0 1 2 3 4 5 6 7 8 9 }} {binds} }}"


def cells_of(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_largest_workbook_allowed_is_built_while_health_answers(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook is built off the event loop: /health is answered while it is being built (the
    build is held at its start until /health has answered; on the loop, it would answer after)."""
    client = make_client(workers=1, max_rows=1_000, max_sheet_cells=3_000)
    started, release, order = threading.Event(), threading.Event(), []
    build = tables.to_xlsx  # type: ignore[attr-defined]  # the name the route calls, replaced below

    def held(table: Table) -> bytes:
        started.set()
        release.wait(timeout=20)
        data = build(table)
        order.append("built")
        return data

    monkeypatch.setattr(tables, "to_xlsx", held)
    answers = []
    asking = threading.Thread(
        target=lambda: answers.append(client.get("/sparql", params={"query": grid(1_000, 3), "format": "xlsx"}))
    )
    asking.start()
    assert started.wait(PATIENCE_S)
    health = client.get("/health")
    order.append("health")
    release.set()
    asking.join(PATIENCE_S)
    assert health.status_code == 200
    assert order == ["health", "built"]
    assert answers[0].status_code == 200
    rows = cells_of(answers[0].content)
    assert len(rows) == 1_001 and len(rows[0]) == 3  # 1,000 x 3 = the cap, header row aside


def test_a_workbook_past_the_cell_cap_is_a_413_naming_the_cap(make_client: Callable[..., TestClient]) -> None:
    client = make_client(workers=1, max_rows=1_000, max_sheet_cells=3_000)
    response = client.get("/sparql", params={"query": grid(1_000, 4), "format": "xlsx"})
    assert response.status_code == 413
    problem = response.json()
    assert problem["code"] == "sheet-too-large" and problem["setting"] == "KG_MAX_SHEET_CELLS"
    assert "4000 cells" in problem["detail"] and "KG_MAX_SHEET_CELLS" in problem["detail"]
    assert "format=csv" in problem["detail"]
    assert client.get("/sparql", params={"query": grid(1_000, 4), "format": "csv"}).status_code == 200
    assert client.get("/health").status_code == 200


def test_a_workbook_from_too_many_bytes_is_a_413_before_it_is_read(make_client: Callable[..., TestClient]) -> None:
    client = make_client(workers=1, max_rows=1_000, max_sheet_bytes=10_000)
    response = client.get("/sparql", params={"query": grid(1_000, 2), "format": "xlsx"})
    assert response.status_code == 413
    assert "KG_MAX_SHEET_BYTES" in response.json()["detail"]


def test_a_triple_term_in_a_workbook_is_its_text(make_client: Callable[..., TestClient]) -> None:
    client = make_client(workers=1)
    response = client.get("/sparql", params={"query": EVERY_TERM, "format": "xlsx"})
    assert response.status_code == 200, response.text
    header, row = cells_of(response.content)
    assert header == ["iri", "bnode", "lang", "typed", "triple", "unbound"]
    assert row[0] == "http://example.org/a" and str(row[1]).startswith("_:")
    assert row[2:4] == ["texte", 7]
    assert row[4] == '<<( <http://example.org/a> <http://example.org/b> "c"@en )>>'
    assert row[5] is None


def _names() -> list[str]:
    return sorted({r.name for r in (*RESULTS, *GRAPHS, XLSX)})


def test_every_term_kind_in_every_representation_is_never_a_500(make_client: Callable[..., TestClient]) -> None:
    client = make_client(workers=1)
    seen = {}
    for query in (EVERY_TERM, TRIPLE_GRAPH):
        for name in _names():
            seen[(query[:9], "format", name)] = client.get("/sparql", params={"query": query, "format": name})
        for rep in (*RESULTS, *GRAPHS, XLSX):
            seen[(query[:9], "accept", rep.name)] = client.get(
                "/sparql", params={"query": query}, headers={"Accept": rep.media_type}
            )
    failures = {k: (r.status_code, r.text[:200]) for k, r in seen.items() if r.status_code >= 500}
    assert not failures
    ok = {k for k, r in seen.items() if r.status_code == 200}
    for kind in ("format", "accept"):  # the table formats hold every term kind
        assert {("SELECT ?i", kind, n) for n in ("json", "xml", "csv", "tsv", "xlsx")} <= ok
        assert {("CONSTRUCT", kind, n) for n in ("turtle", "ntriples", "xlsx")} <= ok
    refused = {k: r.json()["type"] for k, r in seen.items() if r.status_code != 200}
    assert all(r.status_code < 500 for r in seen.values()), refused


def test_the_tender_annex_is_built_while_health_answers(
    real_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ODT annex is built off the event loop too (held at its start until /health has answered)."""
    import graph_service.web.sheets as sheets

    started, release, order = threading.Event(), threading.Event(), []
    build = sheets.annex_odt  # type: ignore[attr-defined]  # the name the route calls, replaced below

    def held(*args: Any, **kwargs: Any) -> bytes:
        started.set()
        release.wait(timeout=20)
        data = build(*args, **kwargs)
        order.append("built")
        return data

    monkeypatch.setattr(sheets, "annex_odt", held)
    answers = []
    asking = threading.Thread(target=lambda: answers.append(real_client.get("/fiche/categorie/laptop/annexe.odt")))
    asking.start()
    assert started.wait(PATIENCE_S)
    health = real_client.get("/health")
    order.append("health")
    release.set()
    asking.join(PATIENCE_S)
    assert health.status_code == 200 and order == ["health", "built"]
    assert answers[0].status_code == 200 and answers[0].content.startswith(b"PK")


def test_workbooks_past_the_queue_are_a_503(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(workers=1)
    monkeypatch.setattr(tables, "_workbooks", [tables.MAX_WORKBOOKS])  # as many as allowed under way
    response = client.get("/sparql", params={"query": grid(10, 2), "format": "xlsx"})
    assert response.status_code == 503 and response.json()["code"] == "workbooks-busy"
    assert response.headers["retry-after"] == "5"
    monkeypatch.setattr(tables, "_workbooks", [tables.MAX_WORKBOOKS - 1])
    assert client.get("/sparql", params={"query": grid(10, 2), "format": "xlsx"}).status_code == 200
