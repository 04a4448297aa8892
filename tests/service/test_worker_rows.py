"""The worker counts rows in the answer as it is written, in every results format, exactly."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.sparql.worker import _RowCount, run_query

FORMATS = ("JSON", "XML", "CSV", "TSV")
TRICKY = ['he said "hi",{ [{', "line\nbreak\r\n", "back\\slash\\", '<result>,{"x":{', '\\"', '""', ",", "[", "é€😀"]


def _store(values: list[str]) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    for i, value in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), p, ox.Literal(value)))
        store.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), p, ox.Literal(value, language="en")))
    return store


def _count(document: bytes, format_name: str, chunk: int) -> int:
    rows = _RowCount(format_name)
    bound = rows.bound
    for at in range(0, len(document), chunk):
        bound = rows.feed(document[at : at + chunk])
        assert bound >= rows.exact(document[: at + chunk])  # never below, at every step
    exact = rows.exact(document)
    assert bound >= exact
    return exact


@settings(derandomize=True, max_examples=60, deadline=None, database=None)
@given(
    st.lists(st.one_of(st.sampled_from(TRICKY), st.text(st.sampled_from('a"\\,{[\n\r<>/:é'), max_size=12)), max_size=8)
)
def test_rows_are_counted_exactly_in_any_chunking(values: list[str]) -> None:
    store = _store(values)
    queries = [
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        "SELECT ?o ?none WHERE { ?s ?p ?o } ORDER BY ?o",
        "SELECT * WHERE {}",
        "SELECT * WHERE { ?s ?p ?o FILTER(false) }",
    ]
    for query in queries:
        expected = len(list(store.query(query)))  # type: ignore[arg-type]
        for format_name in FORMATS:
            document = store.query(query).serialize(format=getattr(ox.QueryResultsFormat, format_name))
            assert document is not None
            for chunk in (1, 2, 3, 7, 64, len(document) or 1):
                assert _count(document, format_name, chunk) == expected, (format_name, chunk, document)


def _run(store: ox.Store, format_name: str, max_rows: int) -> dict[str, Any]:
    header, _ = run_query(
        store,
        {
            "query": "SELECT ?s ?o WHERE { ?s ?p ?o }",
            "results_format": format_name,
            "graph_format": "TURTLE",
            "max_rows": max_rows,
            "max_bytes": 1 << 20,
        },
    )
    return header


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_row_cap_holds_in_every_format(format_name: str) -> None:
    store = _store(TRICKY)  # two rows per value, values that look like row marks
    rows = 2 * len(TRICKY)
    assert _run(store, format_name, rows)["ok"] is True
    refused = _run(store, format_name, rows - 1)
    assert refused["error"] == "too-many-rows" and refused["max_rows"] == rows - 1
