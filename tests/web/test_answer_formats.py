"""The one negotiation of /sparql: Accept or `?format=` decide the answer's formats, once."""

from __future__ import annotations

import pytest

from graph_service.formats.representations import CSV, JSONLD, NTRIPLES, RDFXML, SPARQL_JSON, SPARQL_XML, TURTLE
from graph_service.problems import ProblemError
from graph_service.web.tables import answer_formats


@pytest.mark.parametrize(
    ("accept", "fmt", "results", "graph", "workbook"),
    [
        (None, None, SPARQL_JSON, TURTLE, False),
        ("text/csv", None, CSV, None, False),
        ("text/turtle", None, None, TURTLE, False),
        ("*/*", "json", SPARQL_JSON, JSONLD, False),  # a results format's name also means its graph partner
        (None, "xml", SPARQL_XML, RDFXML, False),
        (None, "csv", CSV, None, False),
        (None, "ntriples", None, NTRIPLES, False),
        ("text/csv", "turtle", CSV, None, False),  # Accept names a format itself: it wins
        (None, "xlsx", SPARQL_JSON, NTRIPLES, True),  # a workbook is built from these
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None, SPARQL_JSON, NTRIPLES, True),
    ],
)
def test_formats_decided_from_accept_or_format(
    accept: str | None, fmt: str | None, results: object, graph: object, workbook: bool
) -> None:
    wanted, as_workbook = answer_formats(accept, fmt)
    assert (wanted.results, wanted.graph, as_workbook) == (results, graph, workbook)


def test_the_same_request_gets_the_same_decision_object() -> None:
    assert answer_formats("text/csv", None)[0] is answer_formats("text/csv", None)[0]


def test_a_format_naming_nothing_is_refused() -> None:
    with pytest.raises(ProblemError) as caught:
        answer_formats(None, "png")
    assert caught.value.status == 406
